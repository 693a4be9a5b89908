"""SPEC §3–4: the guards and money rules, each named after the rule it checks."""

from datetime import date, datetime, timezone

import pytest

from grants.core.errors import Refused
from grants.core.models import Commitment, Program
from tests import factories as f
from workflows.table import commitment


def committed(session, code=f.CITY, fy=f.FY) -> int:
    session.expire_all()
    return session.get(Commitment, (code, fy)).committed_yen


def program_committed(session, fy=f.FY) -> int:
    session.expire_all()
    return session.get(Program, fy).committed_yen


# --- submit ---------------------------------------------------------------------------

def test_submit_requires_complete_fields(session):
    f.program(session)
    grant = f.draft(session, summary=None, category=None, actions=[])
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "submit")
    assert refused.value.code == "incomplete"
    assert "事業区分" in refused.value.detail and "３つの行動" in refused.value.detail
    assert "事業概要" in refused.value.detail
    assert grant.state == "draft"


def test_first_submission_only_inside_application_window(session):
    f.program(session)
    early = datetime(2025, 3, 31, 14, 59, tzinfo=timezone.utc)  # 3/31 23:59 JST
    late = datetime(2025, 6, 30, 15, 0, tzinfo=timezone.utc)  # 7/1 00:00 JST
    grant = f.draft(session)
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "submit", now=early)
    assert refused.value.code == "window_not_open" and "令和7年4月1日" in refused.value.detail
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "submit", now=late)
    assert refused.value.code == "window_closed" and "令和7年6月30日" in refused.value.detail
    last_minute = datetime(2025, 6, 30, 14, 59, tzinfo=timezone.utc)  # 6/30 23:59 JST
    f.act(session, grant, "submit", now=last_minute)
    assert grant.state == "submitted"


def test_resubmission_after_return_is_allowed_after_the_window(session):
    f.program(session)
    grant = f.grant_in(session, "returned")
    after_close = datetime(2025, 8, 1, 1, 0, tzinfo=timezone.utc)
    f.act(session, grant, "submit", now=after_close)
    assert grant.state == "submitted"


def test_requested_must_not_exceed_project_cost(session):
    f.program(session)
    grant = f.draft(session, project_cost_yen=300_000, requested_yen=300_001)
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "submit")
    assert refused.value.code == "requested_over_cost"
    assert "300,001円" in refused.value.detail and "300,000円" in refused.value.detail


def test_requested_must_fit_the_cap_left_for_the_municipality(session):
    f.program(session)
    first = f.grant_in(session, "under_review", requested_yen=400_000)
    f.act(session, first, "award", {"awarded_yen": 400_000, "decision_date": "2025-05-20"})
    second = f.draft(session, project_cost_yen=900_000, requested_yen=700_000)
    with pytest.raises(Refused) as refused:
        f.act(session, second, "submit")
    assert refused.value.code == "cap_exceeded"
    assert refused.value.detail == (
        "八王子市の令和7年度（FY2025）の上限額 1,000,000円 のうち残りは 600,000円 です。"
        "申請の金額 700,000円 はこれを超えます。")
    assert second.state == "draft"


def test_project_period_must_lie_in_the_fiscal_year(session):
    f.program(session)
    with pytest.raises(Refused) as invalid:
        f.draft(session, project_end="2026-04-01")
    assert "令和7年度（令和7年4月1日〜令和8年3月31日）" in invalid.value.problems["project_end"]
    with pytest.raises(Refused) as invalid:
        f.draft(session, project_start="2025-03-31")
    assert "project_start" in invalid.value.problems
    with pytest.raises(Refused) as invalid:
        f.draft(session, project_start="2025-09-01", project_end="2025-08-31")
    assert invalid.value.problems["project_end"].startswith("事業終了日（令和7年8月31日）が事業開始日")


# --- award ----------------------------------------------------------------------------

def test_awarded_must_not_exceed_requested(session):
    f.program(session)
    grant = f.grant_in(session, "under_review", requested_yen=400_000)
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "award", {"awarded_yen": 400_001, "decision_date": "2025-05-20"})
    assert refused.value.code == "awarded_over_requested"
    assert committed(session) == 0


def test_award_commits_the_awarded_amount_against_the_cap(session):
    f.program(session)
    grant = f.grant_in(session, "under_review")
    f.act(session, grant, "award", {"awarded_yen": 250_000, "decision_date": "2025-05-20",
                                    "conditions": "成果を市の広報で周知すること"})
    assert (grant.awarded_yen, grant.decision_date) == (250_000, date(2025, 5, 20))
    assert grant.conditions == "成果を市の広報で周知すること"
    assert committed(session) == 250_000 and program_committed(session) == 250_000


def test_awarded_must_fit_the_cap_left(session):
    f.program(session)
    grants = [f.grant_in(session, "under_review", requested_yen=400_000) for _ in range(3)]
    for grant in grants[:2]:
        f.act(session, grant, "award", {"awarded_yen": 400_000, "decision_date": "2025-05-20"})
    with pytest.raises(Refused) as refused:
        f.act(session, grants[2], "award", {"awarded_yen": 200_001, "decision_date": "2025-05-20"})
    assert refused.value.code == "cap_exceeded"
    assert "残りは 200,000円" in refused.value.detail
    assert grants[2].state == "under_review" and committed(session) == 800_000
    f.act(session, grants[2], "award", {"awarded_yen": 200_000, "decision_date": "2025-05-20"})
    assert committed(session) == 1_000_000


def test_cap_is_per_municipality(session):
    f.program(session)
    city = f.grant_in(session, "under_review", f.CITY, requested_yen=600_000, project_cost_yen=1_000_000)
    town = f.grant_in(session, "under_review", f.TOWN, requested_yen=600_000, project_cost_yen=1_000_000)
    f.act(session, city, "award", {"awarded_yen": 600_000, "decision_date": "2025-05-20"})
    f.act(session, town, "award", {"awarded_yen": 600_000, "decision_date": "2025-05-20"})
    assert committed(session, f.CITY) == committed(session, f.TOWN) == 600_000


def test_cap_is_per_fiscal_year(session):
    f.program(session, 2025)
    f.program(session, 2026)
    old = f.grant_in(session, "under_review", requested_yen=900_000, project_cost_yen=1_000_000)
    f.act(session, old, "award", {"awarded_yen": 900_000, "decision_date": "2025-05-20"})
    new = f.draft(session, fiscal_year=2026, requested_yen=900_000, project_cost_yen=1_000_000,
                  project_start="2026-06-01", project_end="2027-02-28")
    f.act(session, new, "submit", now=datetime(2026, 5, 1, 1, 0, tzinfo=timezone.utc))
    assert new.state == "submitted"


def test_cap_is_a_property_of_the_year_fy2011_style_1_5_million(session):
    f.program(session, 2011, cap_yen=1_500_000)
    spring = datetime(2011, 5, 1, 1, 0, tzinfo=timezone.utc)
    grant = f.draft(session, fiscal_year=2011, project_start="2011-06-01", project_end="2012-02-28",
                    project_cost_yen=2_000_000, requested_yen=1_500_000)
    for action in ("submit", "start_review"):
        f.act(session, grant, action, now=spring)
    f.act(session, grant, "award", {"awarded_yen": 1_500_000, "decision_date": "2011-05-01"},
          now=spring)
    assert committed(session, f.CITY, 2011) == 1_500_000
    more = f.draft(session, fiscal_year=2011, project_start="2011-06-01",
                   project_end="2012-02-28", requested_yen=1)
    with pytest.raises(Refused) as refused:
        f.act(session, more, "submit", now=spring)
    assert "平成23年度（FY2011）の上限額 1,500,000円 のうち残りは 0円" in refused.value.detail


def test_awarded_must_fit_the_budget_left(session):
    f.program(session, budget_yen=500_000)
    city = f.grant_in(session, "under_review", f.CITY)
    town = f.grant_in(session, "under_review", f.TOWN)
    f.act(session, city, "award", {"awarded_yen": 300_000, "decision_date": "2025-05-20"})
    with pytest.raises(Refused) as refused:
        f.act(session, town, "award", {"awarded_yen": 200_001, "decision_date": "2025-05-20"})
    assert refused.value.code == "budget_exceeded"
    assert "予算額 500,000円 のうち残りは 200,000円" in refused.value.detail
    assert committed(session, f.TOWN) == 0 and program_committed(session) == 300_000


def test_rejected_and_withdrawn_grants_commit_nothing(session):
    f.program(session)
    f.grant_in(session, "rejected")
    f.grant_in(session, "withdrawn")
    assert committed(session) == 0


# --- changes --------------------------------------------------------------------------

def test_approve_change_rechecks_the_new_amount_against_the_cap(session):
    f.program(session)
    other = f.grant_in(session, "under_review", requested_yen=400_000)
    f.act(session, other, "award", {"awarded_yen": 400_000, "decision_date": "2025-05-20"})
    grant = f.grant_in(session, "awarded", project_cost_yen=900_000)  # 300,000 awarded
    f.act(session, grant, "request_change", {"reason": "拡充", "requested_yen": 700_000})
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "approve_change")
    assert refused.value.code == "cap_exceeded"
    assert "残りは 600,000円" in refused.value.detail  # 1,000,000 - 400,000, own 300,000 included
    assert grant.state == "change_requested" and committed(session) == 700_000
    f.act(session, grant, "approve_change", {"awarded_yen": 600_000})
    assert (grant.state, grant.awarded_yen, grant.requested_yen) == ("awarded", 600_000, 700_000)
    assert grant.pending_change is None and committed(session) == 1_000_000


def test_approve_change_defaults_to_the_newly_requested_amount_and_applies_the_plan(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "request_change", {"reason": "延長", "requested_yen": 350_000,
                                             "project_end": "2026-03-15", "title": "里山保全事業（拡充）"})
    assert grant.awarded_yen == 300_000
    f.act(session, grant, "approve_change")
    assert (grant.awarded_yen, grant.project_end) == (350_000, date(2026, 3, 15))
    assert grant.title == "里山保全事業（拡充）" and committed(session) == 350_000


def test_deny_change_keeps_the_award(session):
    f.program(session)
    grant = f.grant_in(session, "change_requested")
    f.act(session, grant, "deny_change")
    assert (grant.state, grant.awarded_yen, grant.pending_change) == ("awarded", 300_000, None)
    assert committed(session) == 300_000


def test_request_change_keeps_requested_within_project_cost(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "request_change", {"reason": "増額", "requested_yen": 600_001})
    assert refused.value.code == "requested_over_cost" and grant.state == "awarded"


def test_change_that_lowers_the_award_releases_the_cap(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "request_change", {"reason": "縮小", "requested_yen": 100_000})
    f.act(session, grant, "approve_change")
    assert committed(session) == 100_000


# --- report, confirmation, settlement --------------------------------------------------

def test_confirmed_is_the_lesser_of_awarded_and_actual_cost_and_frees_the_difference(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")  # 300,000 awarded
    f.act(session, grant, "submit_report", {"actual_cost_yen": 180_000, "outcomes": "縮小して実施"})
    f.act(session, grant, "confirm")
    assert grant.confirmed_yen == 180_000
    assert committed(session) == 180_000 and program_committed(session) == 180_000
    other = f.grant_in(session, "report_submitted")  # actual 550,000 > awarded 300,000
    f.act(session, other, "confirm")
    assert other.confirmed_yen == 300_000


def test_settle_pays_confirmed_less_advances(session):
    f.program(session, allows_advance=True)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "pay_advance", {"amount_yen": 100_000})
    for action in ("submit_report", "confirm", "request_payment"):
        f.act(session, grant, action)
    f.act(session, grant, "settle", {"paid_on": "2026-04-20"},
          now=datetime(2026, 4, 21, 1, 0, tzinfo=timezone.utc))
    assert (grant.paid_yen, grant.refund_due_yen, grant.paid_on) == (300_000, 0, date(2026, 4, 20))


def test_settle_records_the_refund_when_advances_exceed_confirmed(session):
    f.program(session, allows_advance=True)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "pay_advance", {"amount_yen": 300_000})
    f.act(session, grant, "submit_report", {"actual_cost_yen": 120_000, "outcomes": "縮小"})
    f.act(session, grant, "confirm")
    f.act(session, grant, "settle")
    assert (grant.confirmed_yen, grant.paid_yen, grant.refund_due_yen) == (120_000, 300_000, 180_000)
    assert grant.paid_on == f.DECISION  # today in Tokyo by default


def test_advances_only_if_the_program_allows_them(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "pay_advance", {"amount_yen": 1})
    assert refused.value.code == "advance_not_allowed" and grant.advanced_yen == 0


def test_total_advances_must_not_exceed_awarded(session):
    f.program(session, allows_advance=True)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "pay_advance", {"amount_yen": 200_000})
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "pay_advance", {"amount_yen": 100_001})
    assert refused.value.code == "advance_over_awarded"
    f.act(session, grant, "pay_advance", {"amount_yen": 100_000})
    assert (grant.advanced_yen, grant.paid_yen) == (300_000, 300_000)


# --- cancellation ---------------------------------------------------------------------

def test_cancel_releases_the_cap(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "cancel")
    assert committed(session) == 0 and program_committed(session) == 0
    assert commitment(grant) == 0


def test_cancel_turns_everything_paid_into_a_refund_due(session):
    f.program(session)
    grant = f.grant_in(session, "published")
    f.act(session, grant, "cancel", {"reason": "目的外使用が判明したため"})
    assert (grant.state, grant.paid_yen, grant.refund_due_yen) == ("cancelled", 300_000, 300_000)
    assert committed(session) == 0


def test_cancel_after_confirmation_releases_the_confirmed_amount(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "submit_report", {"actual_cost_yen": 100_000, "outcomes": "縮小"})
    f.act(session, grant, "confirm")
    assert committed(session) == 100_000
    f.act(session, grant, "cancel")
    assert committed(session) == 0 and grant.refund_due_yen == 0


# --- publication ----------------------------------------------------------------------

def test_publish_and_unpublish(session):
    f.program(session)
    grant = f.grant_in(session, "published")
    assert grant.public_summary == "市民120名と里山を保全しました。" and grant.published_at == f.LATER
    f.act(session, grant, "unpublish")
    assert grant.state == "paid" and grant.published_at is None and committed(session) == 300_000
