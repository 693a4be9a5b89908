"""Errors told as pages: the same status and Japanese words as the API's JSON, on a page
with a way back; a page that needs a session sends the person to sign in and back; a form
without a valid CSRF token is refused before anything happens."""

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from grants.core.ja.pages import PAGE
from grants.web.templating import render


def as_page(request: Request, answer) -> HTMLResponse:
    """``answer`` is the API's Answer: status, detail, code and problems."""
    return render(request, "error.html", status=answer.status, answer=answer,
                  headers=answer.headers)


def sign_in(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    where = f"/login?next={quote(target, safe='')}" if request.method == "GET" else "/login"
    return RedirectResponse(where, status_code=303)


def csrf_failed(request: Request) -> HTMLResponse:
    """A form posted without its page's token: 403, in Japanese, nothing done."""
    return render(request, "error.html", status=403, answer=_Refusal())


class _Refusal:
    status, code, problems, headers = 403, "csrf_failed", {}, None
    detail = PAGE["csrf_failed"]
