"""The web application: API and pages (FastAPI)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import text

from grants import plugins
from grants.api import attachments, audit, auth, documents, errors, grants, reference
from grants.db import close_async_pools, unit_of_work

plugins.install()


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    await close_async_pools()


app = FastAPI(
    title="みどり東京・温暖化防止プロジェクト 助成金ワークフロー",
    description="オール東京62市区町村共同事業「みどり東京・温暖化防止プロジェクト」の助成金の申請から公表まで。",
    version="0.1.0",
    lifespan=lifespan,
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
