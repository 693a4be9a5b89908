"""Signing in and out of the pages. The same checks as the API's sign-in
(``grants.core.sign_in``): input refused before hashing, failures counted, a lock-out shown
with the wait. With two-factor sign-in on, a page of its own asks for the code after the
password (the sign-in held meanwhile, for minutes, in an HttpOnly cookie). A new session id
at every sign-in; the old one, if any, ends. Whoever must set up two-factor sign-in first is
taken to their account page."""

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grants.core.errors import GrantsError, Unauthorized
from grants.core.ja.messages import message
from grants.core.sign_in import PENDING_MINUTES, CodeNeeded, SignedIn, sign_in, sign_in_with_code
from grants.core.users import revoke_token
from grants.web import csrf
from grants.web.session import COOKIE, PageDep, see_other
from grants.web.templating import render

router = APIRouter(include_in_schema=False)
PENDING = "grants_pending"  # the sign-in waiting for its code


def _next(target: str | None) -> str:
    """Back to where the person was going, but only to a page of this site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, page: PageDep, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", me=await page.who(), next=_next(next), username="",
                  problem=None)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, page: PageDep) -> Response:
    form = await request.form()
    typed = {"username": form.get("username"), "password": form.get("password")}
    target = _next(form.get("next") if isinstance(form.get("next"), str) else None)
    shown = typed["username"] if isinstance(typed["username"], str) else ""

    def again(problem: str, status: int) -> HTMLResponse:
        return render(request, "login.html", status=status, me=None, next=target,
                      username=shown[:64], problem=problem)

    if not all(isinstance(value, str) for value in typed.values()):
        return again(message("login_failed"), 401)
    try:
        outcome = await run_in_threadpool(sign_in, page.sessions.open, typed, _client(request),
                                          kind="web")
    except GrantsError as error:  # unreadable (422), locked out (429), busy (503), wrong (401)
        return again(error.detail, error.status)
    if isinstance(outcome, CodeNeeded):
        response = render(request, "login_code.html", me=None, next=target, problem=None)
        response.set_cookie(PENDING, outcome.pending, max_age=PENDING_MINUTES * 60,
                            path="/login", httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")
        return response
    return await _signed_in(request, page, outcome, target)


@router.post("/login/code", response_class=HTMLResponse)
async def login_code(request: Request, page: PageDep) -> Response:
    """The second step: the code from the app (or a recovery code)."""
    form = await request.form()
    target = _next(form.get("next") if isinstance(form.get("next"), str) else None)
    pending = request.cookies.get(PENDING)
    try:
        if not pending:
            raise Unauthorized(message("otp_expired"), code="otp_expired")
        outcome = await run_in_threadpool(sign_in_with_code, page.sessions.open, pending,
                                          form.get("code"), _client(request))
    except Unauthorized as error:
        template = "login.html" if error.code == "otp_expired" else "login_code.html"
        return render(request, template, status=401, me=None, next=target, username="",
                      problem=error.detail)
    except GrantsError as error:  # locked out (429)
        return render(request, "login_code.html", status=error.status, me=None, next=target,
                      problem=error.detail)
    response = await _signed_in(request, page, outcome, target)
    response.delete_cookie(PENDING, path="/login", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


async def _signed_in(request: Request, page, outcome: SignedIn, target: str) -> Response:
    """The session's cookie, a new CSRF token, and on to the page asked for (or, to set up
    two-factor sign-in first, to the account page)."""
    if page.token:  # whatever session this browser had before ends here
        await page.anonymous(lambda session: revoke_token(session, page.token), write=True)
    response = see_other("/account?enrol=1" if outcome.enrolment_only else target)
    response.set_cookie(COOKIE, outcome.token, expires=outcome.record.expires_at, path="/",
                        httponly=True, samesite="lax", secure=request.url.scheme == "https")
    csrf.renew(response)
    return response


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


@router.post("/logout")
async def logout(request: Request, page: PageDep) -> RedirectResponse:
    if page.token:
        await page.anonymous(lambda session: revoke_token(session, page.token), write=True)
    response = see_other("/login")
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    csrf.renew(response)
    return response
