"""Every state-changing form of the pages carries a CSRF token, and a post whose token is not
its session's is refused (403) before any work is done.

- Signed in, the token is bound to the session: an HMAC of the session's cookie under the
  site's secret (the OWASP "HMAC-based token" pattern). Another session's token never
  matches; a new session at sign-in brings a new token, and signing out ends it. Forms open
  in several tabs of one session all stay valid.
- Not signed in (the sign-in form), fastapi-csrf-protect's double submit: a random token in
  the form and its signed copy in an HttpOnly cookie, renewed at sign-in and sign-out.

And a post that says where it comes from (``Origin``, or else ``Referer``) must come from
this site: from the address it was sent to, or from ``GRANTS_BASE_URL``."""

import hashlib
import hmac
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import Response
from fastapi_csrf_protect import CsrfProtect
from fastapi_csrf_protect.exceptions import CsrfProtectError
from itsdangerous import BadData, URLSafeTimedSerializer

from grants.core.settings import get_settings

FIELD, COOKIE = "csrftoken", "grants_csrf"
SESSION_COOKIE = "grants_session"  # the session's cookie (grants.web.session)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class CsrfRefused(Exception):
    """A form posted without the token of its page, or from another site."""


@CsrfProtect.load_config
def _config() -> list[tuple[str, object]]:
    settings = get_settings()
    return [("secret_key", settings.secret_key), ("token_location", "body"),
            ("token_key", FIELD), ("cookie_key", COOKIE), ("cookie_samesite", "lax"),
            ("cookie_secure", settings.environment == "production"), ("httponly", True),
            ("max_age", settings.token_ttl_minutes * 60)]


_protect = CsrfProtect()


def session_token(session: str) -> str:
    """The token of the forms of the session whose cookie this is."""
    key = hashlib.sha256(f"csrf:{get_settings().secret_key}".encode()).digest()
    return hmac.new(key, session.encode(), hashlib.sha256).hexdigest()


def token_for(request: Request) -> tuple[str, str | None]:
    """The token this page's forms carry, and the signed copy to set in the cookie when a
    browser without a session has none yet (or only a stale one)."""
    cached = request.scope.get("grants_csrf")
    if cached:
        return cached
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        request.scope["grants_csrf"] = (session_token(session), None)
        return request.scope["grants_csrf"]
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


def renew(response: Response) -> None:
    """At sign-in and sign-out: the token of the visit before is not the next one's."""
    _protect.unset_csrf_cookie(response)


async def guard(request: Request) -> None:
    """A dependency of every page route: a post must come from this site and carry its
    session's token (or, before signing in, its page's)."""
    if request.method in SAFE_METHODS:
        return
    if not _from_this_site(request):
        raise CsrfRefused
    form = await request.form()  # read once; the route reads the same form afterwards
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        sent = form.get(FIELD)
        if not isinstance(sent, str) or not hmac.compare_digest(sent, session_token(session)):
            raise CsrfRefused
        return
    try:
        await _protect.validate_csrf(request)
    except CsrfProtectError:
        raise CsrfRefused from None


def _from_this_site(request: Request) -> bool:
    claimed = request.headers.get("origin") or request.headers.get("referer")
    if not claimed:
        return True  # nothing claimed (an old client): the token alone decides
    ours = {_origin(str(request.base_url)), _origin(get_settings().base_url)}
    return _origin(claimed) in ours


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower()
