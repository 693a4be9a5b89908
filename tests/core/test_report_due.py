"""SPEC §3 and §7: the performance report is due at the earlier of 30 days after the project's
end and 10 April of the next fiscal year, moved to the next open day; the date is stored on
the grant when it is awarded or changed and shown in the API and on the pages. The
application window, too, stays open until the next open day when it closes on a closed one."""

from datetime import date, datetime, timezone

import pytest

from grants.core.errors import Refused
from tests import factories as f
from tests.web_support import sign_in, text


def _awarded(session, project_end: date):
    grant = f.draft(session, project_end=project_end.isoformat())
    for action in f.PATHS["awarded"]:
        f.act(session, grant, action)
    return grant


@pytest.mark.parametrize(("project_end", "due"), [
    (date(2025, 10, 15), date(2025, 11, 14)),  # a Friday: as it falls
    (date(2025, 10, 4), date(2025, 11, 4)),  # 3 Nov 文化の日 (a Monday) -> Tuesday
    (date(2025, 10, 25), date(2025, 11, 25)),  # 24 Nov 振替休日 (勤労感謝の日 on a Sunday)
    (date(2025, 11, 30), date(2026, 1, 5)),  # 30 Dec: year-end closure, then a Saturday
    (date(2026, 3, 31), date(2026, 4, 10)),  # capped at 10 April of the next year
])
def test_report_due_is_stored_at_the_award_moved_to_an_open_day(session, project_end, due):
    f.program(session)
    assert _awarded(session, project_end).report_due == due


def test_report_due_cap_of_10_april_moves_too_when_it_is_closed(session):
    f.program(session, 2026, applications_open=date(2026, 4, 1),
              applications_close=date(2026, 6, 30))
    grant = f.draft(session, fiscal_year=2026, project_start="2026-06-01",
                    project_end="2027-03-31")
    submitted = datetime(2026, 5, 1, 1, tzinfo=timezone.utc)
    f.act(session, grant, "submit", now=submitted)
    f.act(session, grant, "start_review", now=submitted)
    f.act(session, grant, "award", {"awarded_yen": 300_000, "decision_date": "2026-05-01"},
          now=submitted)
    assert grant.report_due == date(2027, 4, 12)  # 10 April 2027 is a Saturday


def test_report_due_follows_an_approved_change_of_the_project_end(session):
    f.program(session)
    grant = _awarded(session, date(2025, 10, 15))
    f.act(session, grant, "request_change", {"reason": "工期延長", "project_end": "2025-12-12"})
    assert grant.report_due == date(2025, 11, 14)  # unchanged until approved
    f.act(session, grant, "approve_change", {})
    assert grant.report_due == date(2026, 1, 13)  # 11 Jan Sunday, 12 Jan 成人の日


def test_report_due_is_shown_in_the_api_and_on_the_pages(client, session, login, password_hash):
    f.program(session)
    grant = _awarded(session, date(2025, 10, 4))
    answer = client.get(f"/api/grants/{grant.id}", headers=login(f.applicant()))
    assert answer.json()["report_due"] == "2025-11-04"
    sign_in(client, session, f.applicant(), password_hash)
    assert "令和7年11月4日" in text(client.get(f"/grants/{grant.id}").text)


def test_application_window_closing_on_a_closed_day_stays_open_until_the_next_open_day(session):
    f.program(session, applications_open=date(2025, 4, 1),
              applications_close=date(2025, 5, 3))  # a Saturday in Golden Week
    on_tuesday = datetime(2025, 5, 6, 3, tzinfo=timezone.utc)  # 振替休日: still closed
    on_wednesday = datetime(2025, 5, 7, 3, tzinfo=timezone.utc)
    on_thursday = datetime(2025, 5, 8, 3, tzinfo=timezone.utc)
    assert f.act(session, f.draft(session), "submit", now=on_tuesday).state == "submitted"
    assert f.act(session, f.draft(session), "submit", now=on_wednesday).state == "submitted"
    with pytest.raises(Refused) as refused:
        f.act(session, f.draft(session), "submit", now=on_thursday)
    assert refused.value.code == "window_closed" and "令和7年5月7日" in refused.value.detail
