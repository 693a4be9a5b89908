"""Helpers for the page tests: sign a person in through the sign-in page, post a form with
the page's CSRF token, and read what a page says."""

import re
from html import unescape

from tests.conftest import PASSWORD
from tests.support import ensure_user


def csrf(client) -> str:
    """The token the page's forms carry (read from the sign-in page's form)."""
    page = client.get("/login")
    return re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)


def sign_in(client, session, actor, password_hash: str) -> None:
    ensure_user(session, actor, password_hash)
    response = client.post("/login", data={"username": actor.username, "password": PASSWORD,
                                           "csrftoken": csrf(client), "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def post(client, url: str, data: dict | None = None, **kwargs):
    return client.post(url, data={**(data or {}), "csrftoken": csrf(client)},
                       follow_redirects=False, **kwargs)


def text(html: str) -> str:
    """The words a person reads on the page, without markup."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def alert(html: str) -> str:
    """The refusal shown at the top of a form or page."""
    found = (re.search(r'<div class="problem" role="alert">(.*?)</div>', html, re.S)
             or re.search(r'<p class="problem" role="alert">(.*?)</p>', html, re.S))
    return text(found.group(1)) if found else ""
