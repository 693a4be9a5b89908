"""The web application: API and pages (FastAPI)."""

from fastapi import FastAPI
from sqlalchemy import text

from grants import plugins
from grants.api import attachments, audit, auth, documents, errors, grants, reference
from grants.db import unit_of_work

plugins.install()

app = FastAPI(
    title="みどり東京・温暖化防止プロジェクト 助成金ワークフロー",
    description="オール東京62市区町村共同事業「みどり東京・温暖化防止プロジェクト」の助成金の申請から公表まで。",
    version="0.1.0",
)
errors.install(app)
for module in (auth, reference, grants, attachments, documents, audit):
    app.include_router(module.router)


@app.get("/healthz", tags=["system"])
def health() -> dict[str, str]:
    """Liveness and database reachability."""
    with unit_of_work(write=False) as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}
