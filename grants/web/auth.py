"""Signing in and out of the pages. The same checks as the API's sign-in (``grants.core.users``):
input refused before hashing, failures counted per username and per address, a lock-out
shown with the wait. A new session id at every sign-in; the old one, if any, ends."""

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from grants.core.errors import GrantsError
from grants.core.ja.messages import message
from grants.core.users import revoke_token, sign_in
from grants.web import csrf
from grants.web.session import COOKIE, PageDep, see_other
from grants.web.templating import render

router = APIRouter(include_in_schema=False)


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
    client = request.client.host if request.client else ""
    shown = typed["username"] if isinstance(typed["username"], str) else ""

    def again(problem: str, status: int) -> HTMLResponse:
        return render(request, "login.html", status=status, me=None, next=target,
                      username=shown[:64], problem=problem)

    if not all(isinstance(value, str) for value in typed.values()):
        return again(message("login_failed"), 401)
    try:
        issued = await run_in_threadpool(sign_in, page.sessions.open, typed, client, kind="web")
    except GrantsError as error:  # unreadable (422), locked out (429), busy (503), wrong (401)
        return again(error.detail, error.status)
    if page.token:  # whatever session this browser had before ends here
        await page.anonymous(lambda session: revoke_token(session, page.token), write=True)
    token, record = issued
    response = see_other(target)
    response.set_cookie(COOKIE, token, expires=record.expires_at, path="/", httponly=True,
                        samesite="lax", secure=request.url.scheme == "https")
    csrf.renew(response)
    return response


@router.post("/logout")
async def logout(request: Request, page: PageDep) -> RedirectResponse:
    if page.token:
        await page.anonymous(lambda session: revoke_token(session, page.token), write=True)
    response = see_other("/login")
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    csrf.renew(response)
    return response
