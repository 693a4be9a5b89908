"""The web application: API and pages (FastAPI)."""

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from forms import pdf
from grants import web
from grants.api import (
    account,
    attachments,
    audit,
    auth,
    documents,
    errors,
    grants,
    ledger,
    links,
    notifications,
    reference,
)
from grants.core import attachments as attachments_rules
from grants.core import migrate
from grants.core.db import DATABASE_AWAY, close_async_pools
from grants.core.errors import GrantsError, NotReady, Unexpected
from grants.core.ja.labels import SYSTEM_DESCRIPTION, SYSTEM_NAME
from grants.core.ja.messages import message
from grants.core.settings import get_settings
from grants.http.sessions import Sessions, sessions
from grants.operations import plugins
from grants.operations.serving import BodyLimit, Crashes, Forwarded, RequestLog, SecurityHeaders, log_to_stdout
from grants.web.csrf import SESSION_COOKIE
from grants.web.errors import as_page
from notifications import scheduler


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """In each worker process uvicorn starts: actions taken here issue their forms and
    notify the other side, the request log goes to stdout, and the clock ticks if asked."""
    plugins.install()
    log_to_stdout()
    clock = scheduler.start_background() if get_settings().scheduler == "on" else None
    yield
    if clock is not None:
        clock.shutdown(wait=False)
    await run_in_threadpool(pdf.office.close)  # LibreOffice and its profile end with us
    await close_async_pools()


app = FastAPI(
    title=SYSTEM_NAME,
    description=SYSTEM_DESCRIPTION,
    version="0.1.0",
    lifespan=lifespan,
)
for module in (auth, account, reference, grants, attachments, documents, audit, notifications, ledger):
    app.include_router(module.router)
web.install(app)
_plain_openapi = app.openapi
# Each text field states its pattern in full: stated once and referred to (allOf with a $ref)
# was smaller, but schemathesis then took schema-valid bodies for invalid ones.
app.openapi = lambda: links.add_links(_plain_openapi())  # type: ignore[method-assign]
# Outermost last: every answer, errors and refusals included, carries the headers and is logged.
app.add_middleware(Crashes, answer=lambda request, _error: _answer(request, Unexpected()))
app.add_middleware(BodyLimit, files=attachments_rules.MAX_BYTES + 1024 * 1024,
                   other=get_settings().max_json_bytes)
app.add_middleware(SecurityHeaders, session_cookie=SESSION_COOKIE)
app.add_middleware(RequestLog)
app.add_middleware(Forwarded)  # first of all: who the client is, and whether over HTTPS


async def _answer(request: Request, error: Exception):
    """One answer for each error, told as JSON to programs and as a page to people."""
    if isinstance(error, HTTPException) and error.status_code == 405:
        allowed = _documented_methods(request.url.path)
        error = HTTPException(405, headers={"Allow": allowed} if allowed else error.headers)
    page = web.is_page(request.url.path)
    if page and isinstance(error, RequestValidationError) and all(
            problem["loc"][:1] == ("path",) for problem in error.errors()):
        error = HTTPException(404)  # /grants/abc: an address that leads nowhere, to a person
    answer = errors.answer_for(error)
    return as_page(request, answer) if page else errors.as_json(answer)


def _documented_methods(path: str) -> str | None:
    """Every method the API documents at this path (the router names only one route's,
    where a path has a route per method), or None for a path the API does not document."""
    methods = {method.upper() for template, operations in app.openapi()["paths"].items()
               if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), path)
               for method in operations}
    return ", ".join(sorted(methods)) or None


for kind in (GrantsError, RequestValidationError, HTTPException, *DATABASE_AWAY):
    app.add_exception_handler(kind, _answer)


@app.get("/healthz", tags=["system"])
def health() -> dict[str, str]:
    """Liveness: the process is up and answering."""
    return {"status": "ok"}


@app.get("/readyz", tags=["system"], responses={503: {"model": errors.ErrorOut}})
def ready(units: Annotated[Sessions, Depends(sessions)]) -> dict[str, str]:
    """Readiness: the database answers and its schema is the newest this code knows."""
    try:
        with units.open("read") as session:
            current = migrate.is_current(session.connection())
    except DBAPIError as error:
        raise NotReady(message("not_ready_database")) from error
    if not current:
        raise NotReady(message("not_ready_migrations"))
    return {"status": "ok", "database": "ok", "migrations": "current"}
