"""What every answer of the running service carries and what it refuses before any work:
security headers, one JSON log line per request, request bodies over the limit (413) before
they are read in full. ASGI middleware, so that pages, the API and files are all covered."""

import json
import logging
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import Response
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from grants.core.actors import REQUEST_NOTES
from grants.core.ja.messages import message
from grants.core.settings import get_settings

log = logging.getLogger("grants.requests")

# No inline script anywhere (the pages have none); inline styles only in attributes the pages
# and pictures still use. Frames: none.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")
# The API's own browsable description (/docs, /redoc) is FastAPI's page, which loads Swagger
# UI from its CDN with an inline start-up script: allowed there, and nowhere else.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "img-src 'self' data: https://fastapi.tiangolo.com; frame-ancestors 'none'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
           (b"x-frame-options", b"DENY")]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
NO_STORE = b"no-store"
KEPT_A_WHILE = b"public, max-age=300"  # the public site: what everyone may read, for five minutes
SHARED_PATHS = ("/public", "/static/")


def _https(scope) -> bool:
    """Served over HTTPS, directly or behind a trusted proxy that says so (``Forwarded``)."""
    return scope.get("scheme") == "https"


class _Http:
    """An ASGI middleware for HTTP requests; anything else (lifespan) passes straight on."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope, receive, send) -> None:
        raise NotImplementedError


class SecurityHeaders(_Http):
    """The security headers, and whether the answer may be kept: never an answer to someone
    signed in (a session cookie or a bearer token), nor one that sets a cookie, so that Back
    after signing out shows nothing private; the public site and the static files may be
    kept a while; anything else is not kept unless it says otherwise."""

    def __init__(self, app, *, session_cookie: str) -> None:
        super().__init__(app)
        self.session_cookie = session_cookie.encode()

    async def handle(self, scope, receive, send) -> None:
        path = scope["path"]
        csp = DOCS_CSP if path in ("/docs", "/redoc") else CSP
        extra = [(b"content-security-policy", csp.encode()), *HEADERS,
                 *([HSTS] if _https(scope) else [])]
        shared = path.startswith(SHARED_PATHS)
        private = not path.startswith("/static/") and self._signed_in(scope)

        async def with_headers(event) -> None:
            if event["type"] == "http.response.start":
                headers = list(event.get("headers", []))
                sets_cookie = any(name.lower() == b"set-cookie" for name, _ in headers)
                if private or sets_cookie:
                    headers = [(name, value) for name, value in headers if name.lower() != b"cache-control"]
                    headers.append((b"cache-control", NO_STORE))
                names = {name.lower() for name, _ in headers}
                if b"cache-control" not in names:
                    headers.append((b"cache-control", KEPT_A_WHILE if shared else NO_STORE))
                event = dict(event, headers=headers + [(name, value) for name, value in extra
                                                       if name not in names])
            await send(event)
        await self.app(scope, receive, with_headers)

    def _signed_in(self, scope) -> bool:
        for name, value in scope.get("headers", ()):
            if name == b"authorization" or (name == b"cookie" and self.session_cookie + b"=" in value):
                return True
        return False


class Forwarded(_Http):
    """X-Forwarded-For and X-Forwarded-Proto believed only from the proxies in
    ``GRANTS_TRUSTED_PROXIES`` (none by default): anyone else's would let a client choose the
    address its failed sign-ins are counted against. uvicorn's own middleware does the work."""

    async def handle(self, scope, receive, send) -> None:
        trusted = tuple(get_settings().trusted_proxies)
        if not trusted:
            await self.app(scope, receive, send)
            return
        await _believing(self.app, trusted)(scope, receive, send)


@lru_cache(maxsize=4)
def _believing(app, trusted: tuple[str, ...]) -> ProxyHeadersMiddleware:
    return ProxyHeadersMiddleware(app, trusted_hosts=list(trusted))


class BodyLimit(_Http):
    """A request body over ``limit`` bytes is refused with 413 as soon as that is known: from
    its Content-Length before anything is read, or while it streams in without one."""

    def __init__(self, app, *, files: int, other: int) -> None:
        super().__init__(app)
        self.files, self.other = files, other

    async def handle(self, scope, receive, send) -> None:
        headers = dict(scope.get("headers") or [])
        # Uploads (multipart forms) may carry an attachment; JSON and plain forms far less.
        limit = (self.files if headers.get(b"content-type", b"").startswith(b"multipart/")
                 else self.other)
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _too_large(send, limit)
            return
        seen, refused = 0, False

        # Past the limit the 413 goes out at once and the app is told the client left: the
        # rest is never read, and what the app would still answer is dropped.
        async def counted():
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            event = await receive()
            if event["type"] == "http.request":
                seen += len(event.get("body", b""))
                if seen > limit:
                    refused = True
                    await _too_large(send, limit)
                    return {"type": "http.disconnect"}
            return event

        async def unless_refused(event) -> None:
            if not refused:
                await send(event)
        await self.app(scope, counted, unless_refused)


async def _too_large(send, limit: int) -> None:
    body = json.dumps({"detail": message("body_too_large", limit=f"{limit // (1024 * 1024)}MB"),
                       "code": "body_too_large"}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class Crashes(_Http):
    """An error that nothing else answered: logged with its traceback, and answered 500 in
    Japanese (a page or JSON, by ``answer``) from inside the other middlewares, so that even
    this answer carries the security headers, the request id and its log line."""

    def __init__(self, app, *, answer: Callable[[Request, Exception], Awaitable[Response]]) -> None:
        super().__init__(app)
        self.answer = answer

    async def handle(self, scope, receive, send) -> None:
        started = False

        async def watched(event) -> None:
            nonlocal started
            started = started or event["type"] == "http.response.start"
            await send(event)
        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            log.exception("unexpected error: %s %s", scope.get("method"), scope.get("path"))
            if started:  # half an answer went out: nothing better can be sent now
                raise
            response = await self.answer(Request(scope), error)
            await response(scope, receive, send)


class RequestLog(_Http):
    """One JSON line per request on stdout: id, method, route, status, user, milliseconds."""

    async def handle(self, scope, receive, send) -> None:
        request_id = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode(
            "latin-1")[:64] or uuid.uuid4().hex
        notes = {"user": None}
        token = REQUEST_NOTES.set(notes)
        started, status = time.perf_counter(), 500

        async def noted(event) -> None:
            nonlocal status
            if event["type"] == "http.response.start":
                status = event["status"]
                event = dict(event, headers=list(event.get("headers", [])) +
                             [(b"x-request-id", request_id.encode("latin-1"))])
            await send(event)
        try:
            await self.app(scope, receive, noted)
        finally:
            REQUEST_NOTES.reset(token)
            route = scope.get("route")
            log.info(json.dumps({
                "request_id": request_id, "method": scope.get("method"), "path": scope.get("path"),
                "route": getattr(route, "path", None), "status": status,
                "user": notes["user"],
                "ms": round((time.perf_counter() - started) * 1000, 1)}, ensure_ascii=False))


def log_to_stdout() -> None:
    """The request log as plain JSON lines on stdout, for the service manager to collect."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers = [handler]
    log.setLevel(logging.INFO)
    log.propagate = False
