"""Text that cannot break anything: every text field of every input schema refuses control
characters (422 naming the field, nothing stored), and the longest text every field allows,
in Japanese with emoji and combining marks, goes through the whole lifecycle into every
form, which a real client opens."""

import io
import json
import typing
import unicodedata

import docx
import pytest
from pydantic import BaseModel
from pypdf import PdfReader
from sqlalchemy import func, select

from grants.core import schemas, users
from grants.core.errors import InvalidInput
from grants.core.fields import normalise
from grants.core.models import AuditEvent, Document, Grant, User
from tests import factories as f
from tests.conftest import PASSWORD
from tests.documents_support import text_of, to_pdf

CONTROL = ["\u001b", "\u0000", "\u000b", "\u0001", "\ufffe", "\u202e", "\ud800"]


class Case(typing.NamedTuple):
    """How a schema is typed over the API: the route, the grant's state, who, a valid body."""

    path: str
    state: str | None
    caller: str
    body: dict


SECRETARIAT, APPLICANT = "secretariat", "applicant"
CASES: dict[type[BaseModel], Case] = {
    schemas.GrantDraft: Case("/api/grants", None, APPLICANT,
                             {"fiscal_year": f.FY, "municipality_code": f.CITY, "title": "事業"}),
    schemas.GrantEdit: Case("/api/grants/{id}", "draft", APPLICANT, {"summary": "概要"}),
    schemas.ReasonBody: Case("/api/grants/{id}/actions/return", "submitted", SECRETARIAT,
                             {"reason": "理由"}),
    schemas.AwardBody: Case("/api/grants/{id}/actions/award", "under_review", SECRETARIAT,
                            {"awarded_yen": 1, "decision_date": "2025-05-20", "conditions": "条件"}),
    schemas.ChangeBody: Case("/api/grants/{id}/actions/request_change", "awarded", APPLICANT,
                             {"reason": "理由", "title": "新しい事業名", "summary": "概要"}),
    schemas.ReportBody: Case("/api/grants/{id}/actions/submit_report", "awarded", APPLICANT,
                             {"actual_cost_yen": 1, "outcomes": "成果"}),
    schemas.PublishBody: Case("/api/grants/{id}/actions/publish", "paid", SECRETARIAT,
                              {"public_summary": "概要"}),
    schemas.ProgramPatch: Case(f"/api/programs/{f.FY}", None, "admin",
                               {"guideline_name": "交付要綱", "award_conditions": "条件"}),
    schemas.PaymentRequestBody: Case("/api/grants/{id}/actions/request_payment", "confirmed",
                                     APPLICANT, f.BODIES["request_payment"]),
}


def _text_fields(schema: type[BaseModel]) -> list[str]:
    def holds_text(annotation) -> bool:
        return annotation is str or any(holds_text(a) for a in typing.get_args(annotation))
    return [name for name, field in schema.model_fields.items()
            if holds_text(field.annotation) and field.annotation is not type(None)]


INPUT_SCHEMAS = [s for s in vars(schemas).values()
                 if isinstance(s, type) and issubclass(s, schemas.Body) and s is not schemas.Body]
API_FIELDS = [(schema, field) for schema in CASES for field in _text_fields(schema)]


def test_every_text_field_of_every_input_schema_is_tried_here():
    """A new schema or text field fails here until it is tried with control characters."""
    # tried below, at sign-in and user creation; the bank account's fields as the 交付請求's
    elsewhere = {schemas.SignIn, schemas.UserBody, schemas.BankAccountIn, schemas.CodeBody,
                 schemas.PasswordChange}
    with_text = {schema for schema in INPUT_SCHEMAS if _text_fields(schema)}
    assert with_text == set(CASES) | elsewhere


@pytest.mark.parametrize(("schema", "field"), API_FIELDS,
                         ids=[f"{s.__name__}.{name}" for s, name in API_FIELDS])
def test_control_characters_are_refused_in_every_text_field(client, session, login, schema, field):
    f.program(session, allows_advance=True)
    case = CASES[schema]
    grant = f.grant_in(session, case.state) if case.state else None
    headers = login({APPLICANT: f.applicant(), "admin": f.ADMIN}.get(case.caller, f.secretariat()))
    url = case.path.format(id=grant.id if grant else 0)
    method = "PATCH" if case.path in ("/api/grants/{id}", f"/api/programs/{f.FY}") else "POST"
    before = _stored(session, grant)
    for char in CONTROL:
        body = case.body | {field: f"緑の{char}カーテン"}
        # ASCII-escaped JSON, so a lone surrogate travels as it would from a careless client.
        response = client.request(method, url, headers={**headers, "Content-Type": "application/json"},
                                  content=json.dumps(body, ensure_ascii=True))
        assert response.status_code == 422, (char, response.text)
        assert field in response.json()["problems"], (char, response.json())
        assert _stored(session, grant) == before, char


def _stored(session, grant):
    session.expire_all()
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    grants = session.scalar(select(func.count()).select_from(Grant))
    return events, grants, session.get(Grant, grant.id).model_dump() if grant else None


def test_control_characters_in_the_text_are_named_in_japanese(client, session, login):
    f.program(session)
    response = client.post("/api/grants", headers=login(f.applicant()),
                           json={"fiscal_year": f.FY, "municipality_code": f.CITY,
                                 "title": "里山\u001b保全"})
    assert response.json()["problems"] == {
        "title": "使用できない文字（U+001B、制御文字など）が含まれています"}


@pytest.mark.parametrize("field", ["username", "password"])
def test_control_characters_at_sign_in_are_422_never_500(client, session, password_hash, field):
    session.add(User(username="hachioji", role="applicant", municipality_code=f.CITY,
                     password_hash=password_hash))
    session.flush()
    for char in CONTROL[:-1]:  # a form field cannot carry a lone surrogate
        form = {"username": "hachioji", "password": PASSWORD} | {field: f"hachi{char}oji"}
        response = client.post("/api/auth/token", data=form)
        assert response.status_code == 422, (char, response.text)
        assert field in response.json()["problems"]


@pytest.mark.parametrize("field", ["username", "password", "email", "org_id"])
def test_control_characters_are_refused_when_adding_users(session, field):
    data = {"username": "kikuchi", "role": "secretariat", "password": "long enough password",
            "org_id": f.CITY_ORG, "email": "kikuchi@example.jp"}
    for char in CONTROL:
        with pytest.raises(InvalidInput) as invalid:
            users.add_user(session, data | {field: f"ki{char}kuchi"})
        assert field in invalid.value.problems, char


def test_control_characters_in_a_code_are_422_never_500(client, session, login):
    headers = login(f.applicant())
    client.post("/api/me/totp", headers=headers)
    for char in CONTROL:
        response = client.post("/api/me/totp/confirm", headers={**headers, "Content-Type": "application/json"},
                               content=json.dumps({"code": f"12{char}3456"}, ensure_ascii=True))
        assert response.status_code == 422 and "code" in response.json()["problems"], char


@pytest.mark.parametrize("field", ["current_password", "new_password", "new_password_again"])
def test_control_characters_in_a_new_password_are_refused(field):
    from grants.core.validation import parse
    typed = {"current_password": "the old one", "new_password": "a long new password",
             "new_password_again": "a long new password"}
    for char in CONTROL:
        with pytest.raises(InvalidInput) as invalid:
            parse(schemas.PasswordChange, typed | {field: f"a long{char} new password"})
        assert field in invalid.value.problems, char


def test_text_is_stored_as_nfc_with_unix_line_breaks(session):
    f.program(session)
    grant = f.draft(session, summary="  か\u3099くしゅう\r\n会\r  ", title="里山")
    assert grant.summary == "がくしゅう\n会"
    with pytest.raises(InvalidInput) as invalid:
        f.draft(session, title="一行目\n二行目")
    assert invalid.value.problems["title"] == "改行は入力できません"


def _longest(limit: int, *, multiline: bool = True) -> str:
    """Exactly ``limit`` characters after normalisation: Japanese, emoji (a family joined by
    ZWJ, a tree), combining marks with no precomposed form, and line breaks where allowed."""
    unit = "里山を守る🌳👨\u200d👩\u200d👧q\u0301x\u0323\u0304" + ("\n" if multiline else "。")
    head = (unit * (limit // len(unit) + 1))[:limit - 1]
    if head.endswith("\u200d"):  # cut inside the family: a joiner joins only pictographs
        head = head[:-1] + "。"
    text = head + "終"
    assert len(normalise(text, multiline=multiline)) == limit
    assert unicodedata.is_normalized("NFC", text)
    return text


LONGEST = {
    "title": _longest(200, multiline=False),
    "summary": _longest(4000),
    "reason": _longest(2000),
    "conditions": _longest(4000),
    "outcomes": _longest(4000),
    "public_summary": _longest(4000),
}


def test_longest_text_in_every_field_goes_through_the_lifecycle_into_every_form(session, tmp_path):
    f.program(session, allows_advance=True)
    reason = {"reason": LONGEST["reason"]}
    grant = f.draft(session, title=LONGEST["title"], summary=LONGEST["summary"])
    f.act(session, grant, "submit")
    f.act(session, grant, "return", reason)
    f.act(session, grant, "submit")
    f.act(session, grant, "start_review")
    f.act(session, grant, "award", {"awarded_yen": 300_000, "decision_date": "2025-05-20",
                                    "conditions": LONGEST["conditions"]})
    f.act(session, grant, "request_change", reason | {"title": LONGEST["title"][::-1],
                                                      "summary": LONGEST["summary"][::-1]})
    f.act(session, grant, "deny_change", reason)
    f.act(session, grant, "request_change", reason | {"title": LONGEST["title"]})
    f.act(session, grant, "approve_change")
    for action in ("submit_report", "return_report", "submit_report"):
        f.act(session, grant, action, {"actual_cost_yen": 500_000, "outcomes": LONGEST["outcomes"]}
              if action == "submit_report" else reason)
    f.act(session, grant, "confirm")
    f.act(session, grant, "request_payment", f.BODIES["request_payment"] | {
        "bank_name": "信" * 40, "branch_name": "支" * 40, "holder_kana": "カ" * 48})
    f.act(session, grant, "settle")
    f.act(session, grant, "publish", {"public_summary": LONGEST["public_summary"]})
    f.act(session, grant, "unpublish", reason)
    f.act(session, grant, "publish", {"public_summary": LONGEST["public_summary"]})
    f.act(session, grant, "cancel", reason)
    rejected = f.grant_in(session, "under_review", f.WARD, title=LONGEST["title"],
                          summary=LONGEST["summary"])
    f.act(session, rejected, "reject", reason)

    session.refresh(grant)
    assert (grant.state, grant.title, grant.outcomes) == ("cancelled", LONGEST["title"],
                                                           LONGEST["outcomes"])
    documents = list(session.scalars(select(Document).order_by(Document.id)))
    assert sorted({d.form for d in documents}) == list(range(1, 10))
    for document in documents:
        text = text_of(document.content)  # python-docx opens it
        assert LONGEST["title"] in text.replace("\n", ""), document.form
        assert docx.Document(io.BytesIO(document.content)).paragraphs
    first = {}
    for document in documents:
        first.setdefault(f"form{document.form}", document.content)
    pdf = to_pdf(first, tmp_path)
    for name in first:
        assert PdfReader(pdf / f"{name}.pdf").pages, name


INVISIBLE_ONLY = ["\u200b", "\ufeff", "\u3164", "\u00ad", "\u200b\u3164\u00ad\ufeff", "\u2800",
                  "\u3000\u3164"]
REFUSED_ANYWHERE = {
    "left-to-right mark": "緑\u200eの",
    "right-to-left mark": "緑\u200fの",
    "line separator": "緑\u2028の",
    "paragraph separator": "緑\u2029の",
    "tag character": "緑\U000e0041の",
    "private use": "緑\ue000の",
    "unassigned": "緑\u0378の",
    "zero-width space": "緑\u200bの",
    "word joiner": "緑\u2060の",
    "50 combining marks": "緑" + "\u0301" * 50,
    "5 combining marks": "x" + "\u0301\u0323\u0304\u0306\u0308",
}


@pytest.mark.parametrize("title", INVISIBLE_ONLY, ids=[repr(t) for t in INVISIBLE_ONLY])
def test_a_one_line_field_with_nothing_visible_is_blank(client, session, login, title):
    f.program(session)
    response = client.post("/api/grants", headers=login(f.applicant()), json={
        "fiscal_year": f.FY, "municipality_code": f.CITY, "title": title})
    assert response.status_code == 422
    assert response.json()["problems"]["title"] in (
        "空欄にはできません", f"使用できない文字（U+{ord(title[0]):04X}、制御文字など）が含まれています")
    assert session.scalar(select(func.count()).select_from(Grant)) == 0


@pytest.mark.parametrize("kind", sorted(REFUSED_ANYWHERE))
@pytest.mark.parametrize("field", ["title", "summary"])
def test_format_separator_private_and_stacked_characters_are_refused(client, session, login,
                                                                      kind, field):
    f.program(session)
    body = {"fiscal_year": f.FY, "municipality_code": f.CITY, "title": "里山"}
    response = client.post("/api/grants", headers=login(f.applicant()),
                           json=body | {field: REFUSED_ANYWHERE[kind]})
    assert response.status_code == 422, response.text
    assert response.json()["problems"][field].startswith("使用できない文字（U+")
    assert session.scalar(select(func.count()).select_from(Grant)) == 0


def test_newline_and_tab_only_in_several_lines_and_emoji_joined_as_one(session):
    f.program(session)
    grant = f.draft(session, title="家族👨\u200d👩\u200d👧で植樹", summary="一行目\n\t二行目")
    assert (grant.title, grant.summary) == ("家族👨\u200d👩\u200d👧で植樹", "一行目\n\t二行目")
    with pytest.raises(InvalidInput) as invalid:
        f.draft(session, title="題\t名")
    assert "U+0009" in invalid.value.problems["title"]


def test_the_schema_states_the_text_rules(client):
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    title = next(s for s in schema["GrantDraft"]["properties"]["title"].get("anyOf", [
        schema["GrantDraft"]["properties"]["title"]]) if s.get("type") == "string")
    assert title["maxLength"] == 200 and "format characters (Unicode Cf" in title["description"]
    assert "at least one visible character" in title["description"]
