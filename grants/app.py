"""The web application: API and pages (FastAPI)."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from grants.db import unit_of_work
from grants.errors import GrantsError

app = FastAPI(
    title="みどり東京・温暖化防止プロジェクト 助成金ワークフロー",
    description="オール東京62市区町村共同事業「みどり東京・温暖化防止プロジェクト」の助成金の申請から公表まで。",
    version="0.1.0",
)


@app.exception_handler(GrantsError)
async def _grants_error(_request: Request, error: GrantsError) -> JSONResponse:
    return JSONResponse({"detail": error.detail, "code": error.code}, status_code=error.status)


@app.get("/healthz", tags=["system"])
def health() -> dict[str, str]:
    """Liveness and database reachability."""
    with unit_of_work(write=False) as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}
