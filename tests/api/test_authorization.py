"""SPEC §2 over HTTP: every route of the app × every role × own vs. other tenant.

The routes come from the app's own OpenAPI schema, so a new route fails this test until
its expected answers are written down in EXPECTED. Whatever is outside a caller's tenant
answers exactly as an id that does not exist: same status, same body."""

import pytest

from grants.app import app
from tests import factories as f
from tests import files_support as files

ANON, OWN_APPLICANT, OTHER_APPLICANT, OWN_SECRETARIAT, OTHER_SECRETARIAT, AUDITOR, ADMIN = (
    "anonymous", "applicant (own)", "applicant (other)", "secretariat (own)",
    "secretariat (other org)", "auditor", "admin")
CALLERS = {
    OWN_APPLICANT: f.applicant(f.CITY),
    OTHER_APPLICANT: f.applicant(f.TOWN),  # same org, other municipality
    OWN_SECRETARIAT: f.secretariat(f.CITY_ORG),
    OTHER_SECRETARIAT: f.secretariat(f.WARD_ORG),
    AUDITOR: f.AUDITOR,
    ADMIN: f.ADMIN,
}
OK = "allowed"  # passes authorization: 2xx, or 409/422 from the state or the input


def _grant_route(applicant=403, other_applicant=404, secretariat=OK, other_secretariat=404,
                 auditor=403, admin=404) -> dict:
    return {ANON: 401, OWN_APPLICANT: applicant, OTHER_APPLICANT: other_applicant,
            OWN_SECRETARIAT: secretariat, OTHER_SECRETARIAT: other_secretariat,
            AUDITOR: auditor, ADMIN: admin}


EVERYONE = {ANON: 401} | {caller: OK for caller in CALLERS}
READ_GRANT = _grant_route(applicant=OK, auditor=OK)
APPLICANT_ACTION = _grant_route(applicant=OK, secretariat=403)
SECRETARIAT_ACTION = _grant_route()
ADMIN_ONLY = {ANON: 401} | {caller: 403 for caller in CALLERS} | {ADMIN: OK}

EXPECTED = {
    ("POST", "/api/auth/token"): None,  # public by nature: tested in test_api_auth
    ("POST", "/api/auth/logout"): EVERYONE,
    ("GET", "/api/me"): EVERYONE,
    ("POST", "/api/me/totp"): EVERYONE,  # one's own second factor
    ("POST", "/api/me/totp/confirm"): EVERYONE,
    ("GET", "/api/municipalities"): EVERYONE,
    ("GET", "/api/municipalities/{municipality_code}/bank-account"): None,  # test_payment_request
    ("GET", "/api/programs"): EVERYONE,
    ("POST", "/api/programs"): ADMIN_ONLY,
    ("PATCH", "/api/programs/{fiscal_year}"): ADMIN_ONLY,
    ("POST", "/api/grants"): _grant_route(applicant=OK, other_applicant=404, secretariat=403,
                                          other_secretariat=403, admin=403),
    ("GET", "/api/grants"): {ANON: 401} | {c: OK for c in CALLERS} | {ADMIN: 403},
    ("GET", "/api/grants/{grant_id}"): READ_GRANT,
    ("PATCH", "/api/grants/{grant_id}"): _grant_route(applicant=OK, secretariat=403),
    ("GET", "/api/grants/{grant_id}/events"): READ_GRANT,
    ("POST", "/api/grants/{grant_id}/attachments"): _grant_route(applicant=OK),
    ("GET", "/api/grants/{grant_id}/attachments"): READ_GRANT,
    ("GET", "/api/attachments/{attachment_id}"): READ_GRANT,
    ("GET", "/api/grants/{grant_id}/documents"): READ_GRANT,
    ("GET", "/api/documents/{document_id}"): READ_GRANT,
    ("GET", "/api/documents/{document_id}/pdf"): READ_GRANT,  # made by LibreOffice: test_document_pdf
    ("GET", "/api/audit/verify"): {ANON: 401} | {c: 403 for c in CALLERS} | {AUDITOR: OK, ADMIN: OK},
    ("GET", "/healthz"): None,  # public liveness probe
    ("GET", "/readyz"): None,  # public readiness probe: test_serving
    # the secretariat its own org's rows only: test_ledger
    ("GET", "/api/ledger"): {ANON: 401, OWN_APPLICANT: 403, OTHER_APPLICANT: 403} | {
        c: OK for c in (OWN_SECRETARIAT, OTHER_SECRETARIAT, AUDITOR, ADMIN)},
    ("GET", "/api/notifications"): EVERYONE,  # each person's own inbox
    ("POST", "/api/notifications/read-all"): EVERYONE,
    ("POST", "/api/notifications/{notice_id}/read"): None,  # one's own only: test_inbox
    ("GET", "/api/notifications/email"): EVERYONE,
    ("PUT", "/api/notifications/email"): EVERYONE,
    ("POST", "/api/notifications/calendar"): EVERYONE | {AUDITOR: 403, ADMIN: 403},
    ("DELETE", "/api/notifications/calendar"): EVERYONE,
} | {
    ("POST", f"/api/grants/{{grant_id}}/actions/{action}"):
        APPLICANT_ACTION if action in f.APPLICANT_ACTIONS else SECRETARIAT_ACTION
    for action in f.BODIES
}


def app_routes() -> list[tuple[str, str]]:
    return sorted((method.upper(), path) for path, operations in app.openapi()["paths"].items()
                  for method in operations)


def test_every_route_has_expected_answers():
    missing = [route for route in app_routes() if route not in EXPECTED]
    assert not missing, f"write down who may call these routes: {missing}"
    assert not set(EXPECTED) - set(app_routes()), "EXPECTED names routes the app no longer has"


ABSENT = 2_147_483_647  # an id no row has


def _request(client, method: str, path: str, headers: dict, grant_id: int, attachment_id: int,
             document_id: int, municipality_code: str = f.CITY):
    url = path.format(grant_id=grant_id, fiscal_year=f.FY, attachment_id=attachment_id,
                      document_id=document_id)
    body = {
        "/api/grants": {"fiscal_year": f.FY, "municipality_code": municipality_code,
                        "title": "新規事業"},
        "/api/programs": {"fiscal_year": 2030, "applications_open": "2030-04-01",
                          "applications_close": "2030-06-30"},
        "/api/programs/{fiscal_year}": {"allows_advance": True},
        "/api/grants/{grant_id}": {"summary": "追記"},
        "/api/notifications/email": {"email_notifications": False},
        "/api/me/totp/confirm": {"code": "123456"},
    }.get(path)
    if "/actions/" in path:
        body = f.BODIES[path.rsplit("/", 1)[1]]
    if path.endswith("/attachments") and method == "POST":
        return client.post(url, headers=headers, files={"file": ("a.png", PNG, "image/png")})
    if path == "/api/auth/logout":
        return client.post(url, headers=headers)
    return client.request(method, url, headers=headers, json=body)


PNG = files.image()  # a real picture: attachments are decoded before they are kept


@pytest.mark.parametrize(("method", "path"), [r for r in sorted(EXPECTED) if EXPECTED[r]])
def test_authorization_matrix(client, session, login, method, path):
    from sqlalchemy import select

    from grants.core.models import Document
    from workflows.attachments import attach
    f.program(session, allows_advance=True)
    for caller, expected in EXPECTED[(method, path)].items():
        grant = f.grant_in(session, "submitted")  # a grant of 八王子市 (市町村調査会)
        attachment = attach(session, grant.id, f.applicant(), "a.png", PNG)
        document = session.scalars(select(Document).where(Document.grant_id == grant.id)).first()
        headers = login(CALLERS[caller]) if caller != ANON else {}
        response = _request(client, method, path, headers, grant.id, attachment.id, document.id)
        if expected == OK:
            assert response.status_code in (200, 201, 204, 409, 422), \
                (caller, response.status_code, response.text)
            assert response.status_code not in (401, 403, 404)
            continue
        assert response.status_code == expected, (caller, response.status_code, response.text)
        assert response.json()["detail"]
        if expected == 404:
            # Outside the tenant reads exactly like nothing there at all.
            absent = _request(client, method, path, headers, ABSENT, ABSENT, ABSENT,
                              municipality_code=NOWHERE)
            assert (absent.status_code, absent.json()) == (
                404, _swap(response.json(), f.CITY, NOWHERE)), caller


NOWHERE = "139998"  # no municipality has this code


def _swap(body: dict, old: str, new: str) -> dict:
    """The answer about a municipality code names the code asked for: compare like with like."""
    return {key: value.replace(old, new) if isinstance(value, str) else value
            for key, value in body.items()}
