"""The pages in Japanese that applicants, the secretariat, auditors and admins work in:
server-rendered (Jinja2), signed in with a session cookie, every form guarded against
cross-site requests, and every rule taken from the same domain functions as the API."""

from asgi_csrf import asgi_csrf
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from grants.settings import get_settings
from grants.web import admin, audit, auth, errors, grant_pages, home
from grants.web.session import SignInRequired

ROUTERS = (auth, home, grant_pages, admin, audit)


class CSRF:
    """asgi-csrf (the CSRF guard Datasette uses) as middleware: every state-changing form
    must carry the token of its csrftoken cookie; the JSON API, authenticated by bearer
    tokens and never by cookies, is outside its reach."""

    def __init__(self, app, **options) -> None:
        self.app = asgi_csrf(app, **options)

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    for module in ROUTERS:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(packages=[("grants.web", "static")]), name="static")
    app.add_exception_handler(SignInRequired, lambda request, _error: errors.sign_in(request))
    settings = get_settings()
    app.add_middleware(
        CSRF, signing_secret=settings.secret_key, always_protect={"/login", "/logout"},
        skip_if_scope=lambda scope: scope["path"].startswith("/api/"),
        cookie_secure=settings.environment == "production", send_csrf_failed=errors.csrf_failed)


def is_page(path: str) -> bool:
    """Whether an answer to this path is read by a person in a browser (else by a program)."""
    return not path.startswith(("/api/", "/openapi.json", "/docs", "/redoc", "/healthz"))
