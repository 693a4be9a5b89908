"""The pages in Japanese that applicants, the secretariat, auditors and admins work in:
server-rendered (Jinja2), signed in with a session cookie, every form guarded against
cross-site requests, and every rule taken from the same domain functions as the API."""

from urllib.parse import parse_qsl, urlencode

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from grants.web import account, admin, audit, auth, csrf, errors, grants, home, ledger, notifications, outbox, public
from grants.web.session import EnrolmentRequired, SignInRequired, see_other

ROUTERS = (auth, account, home, grants, admin, audit, notifications, outbox, ledger, public)


def install(app: FastAPI) -> None:
    """The pages' routes, each guarded against cross-site posts (the JSON API, which takes
    bearer tokens and never cookies, needs no such guard), their files and their errors."""
    for module in ROUTERS:
        app.include_router(module.router, dependencies=[Depends(csrf.guard)])
    app.add_middleware(BlankChoiceIsNoFilter)
    app.mount("/static", StaticFiles(packages=[("grants.web", "static")]), name="static")
    app.add_exception_handler(SignInRequired, lambda request, _error: errors.sign_in(request))
    app.add_exception_handler(EnrolmentRequired, lambda _request, _error: see_other("/account?enrol=1"))
    app.add_exception_handler(csrf.CsrfRefused, lambda request, _error: errors.csrf_failed(request))


def is_page(path: str) -> bool:
    """Whether an answer to this path is read by a person in a browser (else by a program)."""
    return not path.startswith(("/api/", "/openapi.json", "/docs", "/redoc", "/healthz", "/readyz"))


class BlankChoiceIsNoFilter:
    """A page's filter form sends its "all" choice (すべての年度) as ``fiscal_year=``: for the
    pages an empty value is no filter at all, not a malformed year. The API is left strict."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope.get("query_string") and is_page(scope["path"]):
            pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            kept = urlencode([(key, value) for key, value in pairs if value.strip() != ""])
            scope = dict(scope, query_string=kept.encode("ascii"))
        await self.app(scope, receive, send)
