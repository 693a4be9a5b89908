"""Bad input on every page form (the reliability issue, part 4): every form each role is shown
is found on the pages themselves and posted with garbage (control characters, over-long text,
wrong types, bytes that are not UTF-8): the answer is never a 500, a refusal is told in
Japanese, and a refused post changes nothing in the record."""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from grants.core.models import AuditEvent, Grant, Program, User
from tests import factories as f
from tests.web_support import csrf, sign_in

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
GARBAGE = {
    "control": "緑の\x1bカーテン\x00",
    "long": "長" * 100_000,
    "number-like": "1e309",
    "negative": "-1",
    "markup": "<script>alert(1)</script>",
    "empty": "",
    "superscript digit": "²",  # str.isdigit() says yes, int() says no
    "circled digit": "①",
    "huge number": "9" * 40,
    "invisible only": "\u200b\ufeff\u3164\u00ad",
    "separators and tags": "緑\u2028の\U000e0041カーテン\ue000",
}
# Forms that are meant to act whatever is in them: signing out ends the visit.
SKIPPED_ACTIONS = ("/logout",)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self.forms.append((attrs.get("action") or "", []))
        elif tag in ("input", "textarea", "select") and self.forms and attrs.get("name"):
            if attrs["name"] != "csrftoken":
                self.forms[-1][1].append(attrs["name"])


def forms_on(html: str, page: str) -> list[tuple[str, list[str]]]:
    parser = _Forms()
    parser.feed(html)
    return [(action or page, names) for action, names in parser.forms
            if not action.startswith(SKIPPED_ACTIONS)]


def _record(session) -> tuple:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(entity))
                 for entity in (AuditEvent, Grant, User, Program))


@pytest.fixture
def world(session):
    f.program(session, allows_advance=True)
    return {state: f.grant_in(session, state, code) for state, code in (
        ("draft", f.CITY), ("under_review", f.TOWN), ("awarded", f.WARD), ("confirmed", "133078"))}


PEOPLE = {
    "applicant": (f.applicant(), lambda w: [f"/grants/{w['draft'].id}", "/grants/new",
                                            f"/grants/{w['draft'].id}/edit"]),
    "secretariat": (f.secretariat(), lambda w: [f"/grants/{w['under_review'].id}",
                                                f"/grants/{w['confirmed'].id}"]
                    + [f"/grants/{w['under_review'].id}/actions/{a}" for a in ("award", "return", "reject")]),
    "admin": (f.ADMIN, lambda w: ["/admin"]),
    "auditor": (f.AUDITOR, lambda w: ["/ledger"]),
}


@pytest.mark.parametrize("who", sorted(PEOPLE))
def test_every_form_posted_with_garbage_never_fails_and_refuses_in_japanese(
        client, session, password_hash, world, who):
    actor, pages = PEOPLE[who]
    sign_in(client, session, actor, password_hash)
    tried = 0
    for page in ["/", "/notifications", *pages(world)]:
        shown = client.get(page)
        assert shown.status_code < 500, page
        for action, names in forms_on(shown.text, page):
            for kind, value in GARBAGE.items():
                before = _record(session)
                answer = client.post(action, data={**dict.fromkeys(names, value),
                                                   "csrftoken": csrf(client)},
                                     follow_redirects=False)
                tried += 1
                assert answer.status_code < 500, (action, kind, answer.text[:300])
                if answer.status_code >= 400:
                    assert JAPANESE.search(answer.text), (action, kind)
                    assert _record(session) == before, (action, kind)
            # Bytes that are not UTF-8 at all, as a misconfigured client might send them.
            raw = "&".join(f"{name}=%FF%FE%80" for name in names) + f"&csrftoken={csrf(client)}"
            answer = client.post(action, content=raw.encode(), follow_redirects=False,
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert answer.status_code < 500, (action, "not utf-8", answer.text[:300])
    assert tried >= len(GARBAGE), f"{who}: no form was found to try"
