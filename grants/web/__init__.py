"""The pages in Japanese that applicants, the secretariat, auditors and admins work in:
server-rendered (Jinja2), signed in with a session cookie, every form guarded against
cross-site requests, and every rule taken from the same domain functions as the API."""

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from grants.web import admin, audit, auth, csrf, errors, grant_pages, home, inbox, outbox
from grants.web.session import SignInRequired

ROUTERS = (auth, home, grant_pages, admin, audit, inbox, outbox)


def install(app: FastAPI) -> None:
    """The pages' routes, each guarded against cross-site posts (the JSON API, which takes
    bearer tokens and never cookies, needs no such guard), their files and their errors."""
    for module in ROUTERS:
        app.include_router(module.router, dependencies=[Depends(csrf.guard)])
    app.mount("/static", StaticFiles(packages=[("grants.web", "static")]), name="static")
    app.add_exception_handler(SignInRequired, lambda request, _error: errors.sign_in(request))
    app.add_exception_handler(csrf.CsrfRefused, lambda request, _error: errors.csrf_failed(request))


def is_page(path: str) -> bool:
    """Whether an answer to this path is read by a person in a browser (else by a program)."""
    return not path.startswith(("/api/", "/openapi.json", "/docs", "/redoc", "/healthz"))
