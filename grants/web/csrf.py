"""Every state-changing form of the pages carries a CSRF token, with fastapi-csrf-protect:
a random token in the form and its signed copy in an HttpOnly cookie; a post whose token
does not match its cookie's is refused (403) before any work is done. The token is kept for
as long as the cookie is good, so that forms open in several tabs all stay valid."""

from fastapi import Request
from fastapi.responses import Response
from fastapi_csrf_protect import CsrfProtect
from fastapi_csrf_protect.exceptions import CsrfProtectError
from itsdangerous import BadData, URLSafeTimedSerializer

from grants.core.settings import get_settings

FIELD, COOKIE = "csrftoken", "grants_csrf"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class CsrfRefused(Exception):
    """A form posted without the token of its page."""


@CsrfProtect.load_config
def _config() -> list[tuple[str, object]]:
    settings = get_settings()
    return [("secret_key", settings.secret_key), ("token_location", "body"),
            ("token_key", FIELD), ("cookie_key", COOKIE), ("cookie_samesite", "lax"),
            ("cookie_secure", settings.environment == "production"), ("httponly", True),
            ("max_age", settings.token_ttl_minutes * 60)]


_protect = CsrfProtect()


def token_for(request: Request) -> tuple[str, str | None]:
    """The token this page's forms carry, and the signed copy to set in the cookie when
    the browser has none yet (or only a stale one)."""
    cached = request.scope.get("grants_csrf")
    if cached:
        return cached
    signed = request.cookies.get(COOKIE)
    if signed:
        try:  # the library's own signing (its salt), read back to reuse the live token
            token = URLSafeTimedSerializer(get_settings().secret_key, salt="fastapi-csrf-token") \
                .loads(signed, max_age=get_settings().token_ttl_minutes * 60)
            request.scope["grants_csrf"] = (token, None)
            return token, None
        except BadData:
            pass
    token, signed = _protect.generate_csrf_tokens()
    request.scope["grants_csrf"] = (token, signed)
    return token, signed


def remember(request: Request, response: Response) -> None:
    """Set the cookie a newly made token needs."""
    _, signed = token_for(request)
    if signed:
        _protect.set_csrf_cookie(signed, response)


async def guard(request: Request) -> None:
    """A dependency of every page route: a post must carry its page's token."""
    if request.method in SAFE_METHODS:
        return
    await request.form()  # read once; the route reads the same form afterwards
    try:
        await _protect.validate_csrf(request)
    except CsrfProtectError:
        raise CsrfRefused from None
