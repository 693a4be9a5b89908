"""Dates that make sense: ISO strings only, inside the years the program can have, and each
in its place relative to the grant (SPEC §3): a project period inside its fiscal year, a
decision after the submission it decides and not in the future, a completion inside the
project's year, a payment after the confirmation, a window near its year."""

from datetime import datetime, timezone

import pytest

from grants.core.errors import InvalidInput, Refused
from grants.core.programs import change_program
from tests import factories as f


@pytest.fixture
def year(session):
    return f.program(session, allows_advance=True)


def _refused(field: str, call, kind: type = Refused) -> str:
    """The problem told against ``field``: a date the schema refuses (InvalidInput, 422), or
    one well-formed but at odds with the grant, the program or today (Refused, 409)."""
    with pytest.raises(kind) as invalid:
        call()
    assert field in invalid.value.problems, invalid.value.problems
    return invalid.value.problems[field]


@pytest.mark.parametrize("value", [0, 20250601, 1.5, True, [2025, 6, 1]])
def test_dates_are_iso_strings_never_numbers(session, year, value):
    assert _refused("project_end", lambda: f.draft(session, project_end=value), InvalidInput) == \
        "日付（YYYY-MM-DD）で入力してください"


@pytest.mark.parametrize("value", ["2025/06/01", "2025-6-1", "2025-06-31", "2025-06-01T00:00:00",
                                   "令和7年6月1日", ""])
def test_dates_are_calendar_dates_written_yyyy_mm_dd(session, year, value):
    _refused("project_end", lambda: f.draft(session, project_end=value), InvalidInput)


@pytest.mark.parametrize("value", ["0001-01-01", "1926-12-24", "1999-12-31", "2101-04-01",
                                   "9999-12-31"])
def test_dates_outside_the_programs_years_are_refused(client, session, login, year, value):
    grant = f.grant_in(session, "under_review")
    response = client.post(f"/api/grants/{grant.id}/actions/award", headers=login(f.secretariat()),
                           json={"awarded_yen": 1, "decision_date": value})
    assert response.status_code == 422, response.text
    assert response.json()["problems"] == {
        "decision_date": "2000-04-01から2101-03-31までの日付を入力してください"}


def test_decision_date_is_not_before_the_submission_it_decides(session, year):
    grant = f.grant_in(session, "under_review")  # submitted on 2025-05-01
    problem = _refused("decision_date", lambda: f.act(
        session, grant, "award", {"awarded_yen": 1, "decision_date": "2025-04-30"}))
    assert problem == "令和7年4月30日は申請の受付日（令和7年5月1日）より前の日付です"
    f.act(session, grant, "award", {"awarded_yen": 1, "decision_date": "2025-05-01"})
    assert grant.state == "awarded"


def test_decision_date_follows_the_resubmission_after_a_return(session, year):
    grant = f.grant_in(session, "returned")
    f.act(session, grant, "submit", now=datetime(2025, 5, 12, 1, 0, tzinfo=timezone.utc))
    f.act(session, grant, "start_review")
    _refused("decision_date", lambda: f.act(
        session, grant, "award", {"awarded_yen": 1, "decision_date": "2025-05-11"}))


def test_decision_date_is_not_in_the_future(session, year):
    grant = f.grant_in(session, "under_review")
    problem = _refused("decision_date", lambda: f.act(
        session, grant, "award", {"awarded_yen": 1, "decision_date": "2025-05-21"}))
    assert problem == "令和7年5月21日は未来の日付です（今日は令和7年5月20日）"


def test_project_period_lies_within_the_fiscal_year_on_drafts_and_edits(session, year):
    assert "令和7年度" in _refused("project_end", lambda: f.draft(session, project_end="2026-04-01"))
    grant = f.draft(session)
    from workflows.drafts import edit_draft
    _refused("project_start", lambda: edit_draft(session, grant.id, f.applicant(),
                                                 {"project_start": "2025-03-31"}))
    _refused("project_end", lambda: edit_draft(session, grant.id, f.applicant(),
                                               {"project_end": "2025-05-31"}))  # before its start
    assert grant.project_start.isoformat() == "2025-06-01"


def test_change_request_keeps_the_period_within_the_fiscal_year(session, year):
    grant = f.grant_in(session, "awarded")
    _refused("project_end", lambda: f.act(session, grant, "request_change",
                                          {"reason": "延長", "project_end": "2026-04-30"}))
    f.act(session, grant, "request_change", {"reason": "延長", "project_end": "2026-03-31"})
    assert grant.state == "change_requested"


def test_completion_date_lies_in_the_project_year_after_its_start_and_not_ahead(session, year):
    grant = f.grant_in(session, "awarded")
    report = {"actual_cost_yen": 300_000, "outcomes": "完了"}
    _refused("completed_on", lambda: f.act(session, grant, "submit_report",
                                           report | {"completed_on": "2026-04-01"}))
    _refused("completed_on", lambda: f.act(session, grant, "submit_report",
                                           report | {"completed_on": "2025-05-31"}))
    _refused("completed_on", lambda: f.act(session, grant, "submit_report",
                                           report | {"completed_on": "2026-02-01"}))  # ahead
    late = datetime(2026, 3, 1, 1, 0, tzinfo=timezone.utc)
    f.act(session, grant, "submit_report", report | {"completed_on": "2026-02-27"}, now=late)
    assert grant.completed_on.isoformat() == "2026-02-27"


def test_report_without_a_completion_date_takes_the_project_end(session, year):
    grant = f.grant_in(session, "report_submitted")
    assert grant.completed_on == grant.project_end


def test_payment_date_follows_the_confirmation_and_is_not_ahead(session, year):
    grant = f.grant_in(session, "payment_requested")  # confirmed on 2025-05-20
    _refused("paid_on", lambda: f.act(session, grant, "settle", {"paid_on": "2025-05-19"}))
    _refused("paid_on", lambda: f.act(session, grant, "settle", {"paid_on": "2025-05-21"}))
    f.act(session, grant, "settle", {"paid_on": "2025-05-20"})
    assert grant.state == "paid"


def test_application_window_lies_near_its_fiscal_year(session):
    _refused("applications_close", lambda: f.program(session, 2030,
                                                     applications_open="2030-04-01",
                                                     applications_close="2031-04-01"))
    _refused("applications_open", lambda: f.program(session, 2030,
                                                    applications_open="2029-03-31",
                                                    applications_close="2030-06-30"))
    f.program(session, 2030, applications_open="2029-04-01", applications_close="2031-03-31")
    _refused("applications_close", lambda: change_program(session, 2030,
                                                          {"applications_close": "2031-04-01"}))
