"""Bad input gets a clear Japanese error and changes nothing; nothing answers 500."""

import pytest
from sqlalchemy import func, select

from grants.core.models import AuditEvent
from tests import factories as f


@pytest.fixture
def staff(login):
    return login(f.secretariat())


@pytest.fixture
def under_review(session):
    f.program(session)
    return f.grant_in(session, "under_review")


@pytest.mark.parametrize("amount", ["500000", 500000.5, -1, 0, 10**15, True, None, "5e5"])
def test_amounts_must_be_json_integers_in_range(client, session, staff, under_review, amount):
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.post(f"/api/grants/{under_review.id}/actions/award", headers=staff,
                           json={"awarded_yen": amount, "decision_date": "2025-05-20"})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid_input" and "交付決定額（awarded_yen）" in body["detail"]
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert client.get(f"/api/grants/{under_review.id}", headers=staff).json()["state"] == "under_review"


def test_an_amount_written_with_a_zero_fraction_is_that_integer(client, staff, under_review):
    """JSON has one kind of number, and JSON Schema (so the API's own schema) reads 300000.0
    as the integer 300000."""
    response = client.post(f"/api/grants/{under_review.id}/actions/award", headers=staff,
                           json={"awarded_yen": 300000.0, "decision_date": "2025-05-20"})
    assert response.status_code == 200, response.text
    assert response.json()["awarded_yen"] == 300000


def test_fields_an_action_does_not_take_are_refused(client, staff, under_review):
    response = client.post(f"/api/grants/{under_review.id}/actions/start_review", headers=staff,
                           json={"awarded_yen": 1})
    assert response.status_code == 422
    response = client.post(f"/api/grants/{under_review.id}/actions/award", headers=staff,
                           json={"awarded_yen": 1, "decision_date": "2025-05-20", "paid_yen": 9})
    assert response.status_code == 422 and "paid_yen" in response.json()["problems"]


@pytest.mark.parametrize("reason", [None, "", "   ", "　", "x" * 2001])
def test_reasons_are_required_and_bounded(client, staff, under_review, reason):
    response = client.post(f"/api/grants/{under_review.id}/actions/return", headers=staff,
                           json={"reason": reason})
    assert response.status_code == 422 and "理由（reason）" in response.json()["detail"]


def test_refused_transition_is_409_naming_the_rule(client, staff, under_review):
    response = client.post(f"/api/grants/{under_review.id}/actions/award", headers=staff,
                           json={"awarded_yen": 400_001, "decision_date": "2025-05-20"})
    assert response.status_code == 409
    assert response.json() == {"code": "awarded_over_requested",
                               "detail": "交付決定額 400,001円 は申請額 400,000円 を超えられません。"}


def test_cap_conflict_is_409(client, session, staff):
    f.program(session)
    first = f.grant_in(session, "under_review", requested_yen=400_000)
    second = f.grant_in(session, "under_review", requested_yen=400_000)
    third = f.grant_in(session, "under_review", requested_yen=400_000)
    for grant in (first, second):
        client.post(f"/api/grants/{grant.id}/actions/award", headers=staff,
                    json={"awarded_yen": 400_000, "decision_date": "2025-05-20"})
    response = client.post(f"/api/grants/{third.id}/actions/award", headers=staff,
                           json={"awarded_yen": 400_000, "decision_date": "2025-05-20"})
    assert response.status_code == 409 and response.json()["code"] == "cap_exceeded"
    assert "残りは 200,000円" in response.json()["detail"]


def test_text_fields_have_length_limits(client, session, login):
    f.program(session)
    response = client.post("/api/grants", headers=login(f.applicant()),
                           json={"fiscal_year": 2025, "municipality_code": f.CITY, "title": "題" * 201,
                                 "summary": "あ" * 4001})
    assert response.status_code == 422
    assert set(response.json()["problems"]) == {"title", "summary"}


def test_malformed_json_and_wrong_shapes_are_422(client, staff, under_review):
    url = f"/api/grants/{under_review.id}/actions/return"
    for content in (b"{not json", b"[1, 2]", b'"text"'):
        response = client.post(url, headers={**staff, "Content-Type": "application/json"},
                               content=content)
        assert response.status_code == 422 and response.json()["detail"].startswith("入力内容に誤り")


def test_unknown_routes_and_grants_answer_json_in_japanese(client, staff):
    missing_route = client.get("/api/no-such-thing", headers=staff)
    assert missing_route.status_code == 404 and missing_route.json()["detail"] == "見つかりません。"
    missing_grant = client.get("/api/grants/987654", headers=staff)
    assert missing_grant.status_code == 404 and missing_grant.json()["code"] == "grant_not_found"
    unknown_action = client.post("/api/grants/1/actions/approve_everything", headers=staff)
    assert unknown_action.status_code == 404
    wrong_method = client.delete("/api/grants/1", headers=staff)
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "after=-1", "state=nonsense",
                                   "fiscal_year=abc", "municipality_code=13201"])
def test_bad_listing_filters_are_422(client, staff, query):
    assert client.get(f"/api/grants?{query}", headers=staff).status_code == 422
