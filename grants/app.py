"""The web application: API and pages (FastAPI)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy import text
from starlette.exceptions import HTTPException

from grants import plugins, web
from grants.api import attachments, audit, auth, documents, errors, grants, ledger, notifications, reference
from grants.db import close_async_pools, unit_of_work
from grants.errors import GrantsError
from grants.settings import get_settings
from grants.web.errors import as_page
from notifications import scheduler

plugins.install()


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    clock = scheduler.start_background() if get_settings().scheduler == "on" else None
    yield
    if clock is not None:
        clock.shutdown(wait=False)
    await close_async_pools()


app = FastAPI(
    title="みどり東京・温暖化防止プロジェクト 助成金ワークフロー",
    description="オール東京62市区町村共同事業「みどり東京・温暖化防止プロジェクト」の助成金の申請から公表まで。",
    version="0.1.0",
    lifespan=lifespan,
)
for module in (auth, reference, grants, attachments, documents, audit, notifications, ledger):
    app.include_router(module.router)
web.install(app)


async def _answer(request: Request, error: Exception):
    """One answer for each error, told as JSON to programs and as a page to people."""
    answer = errors.answer_for(error)
    return as_page(request, answer) if web.is_page(request.url.path) else errors.as_json(answer)


for kind in (GrantsError, RequestValidationError, HTTPException):
    app.add_exception_handler(kind, _answer)


@app.get("/healthz", tags=["system"])
def health() -> dict[str, str]:
    """Liveness and database reachability."""
    with unit_of_work(write=False) as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok", "database": "ok"}
