"""SPEC §7, the reminders: a whole fiscal year replayed day by day on a controlled clock.

FY2026 (令和8年度). The application window closes on Saturday 2 May 2026,
in Golden Week, so the deadline moves past a Sunday, 憲法記念日, みどりの日, こどもの日 and
the 振替休日 of 6 May to Thursday 7 May. The project ends on 30 November, so its report falls
due on 30 December, in the year-end closure, and moves to Monday 4 January 2027.
Each day the day's actions are taken first, then the clock ticks once, at 09:00 in Tokyo."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from sqlalchemy import select

from grants.core.calendar import add_open_days, is_open, roll_forward
from grants.core.clock import JST
from grants.core.db import unit_of_work
from grants.core.models import Grant, Notification, User
from grants.core.settings import Settings
from notifications import outbox, scheduler
from notifications.rules import RULES
from tests import factories as f
from workflows.apply import apply
from workflows.drafts import create_draft

FY = 2026
A, B, W = f.CITY, f.TOWN, f.WARD  # 八王子市 and 瑞穂町 (市町村調査会), 千代田区 (特別区協議会)
USERS = {
    "applicant-a": ("applicant", A, None, False),
    "applicant-b": ("applicant", B, None, False),
    "applicant-b-left": ("applicant", B, None, True),  # disabled: told nothing
    "applicant-w": ("applicant", W, None, False),
    "secretariat-city": ("secretariat", None, f.CITY_ORG, False),
    "secretariat-ward": ("secretariat", None, f.WARD_ORG, False),
    "auditor": ("auditor", None, None, False),
}
EMAIL_OFF = Settings(smtp_host=None)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=JST)


def _actor(username: str):
    role, code, org, _ = USERS[username]
    from grants.core.actors import Actor, Role
    return Actor(username, Role(role), municipality_code=code, org_id=org)


def _setup(engine) -> None:
    with unit_of_work(engine) as session:
        f.program(session, FY, applications_open=date(FY, 4, 1),
                  applications_close=date(FY, 5, 2))
        for username, (role, code, org, disabled) in USERS.items():
            session.add(User(username=username, role=role, municipality_code=code, org_id=org,
                             disabled=disabled, password_hash="x", email=f"{username}@example.jp"))


def _draft(session, username: str) -> Grant:
    code = USERS[username][1]
    return create_draft(session, _actor(username), {
        "fiscal_year": FY, "municipality_code": code, "title": "里山の保全", "category":
        "nature_conservation", "actions": ["awareness"], "summary": "下草刈りと観察会。",
        "project_start": f"{FY}-06-01", "project_end": f"{FY}-11-30",
        "project_cost_yen": 600_000, "requested_yen": 400_000})


def _act(session, grant_id: int, action: str, who: str, body: dict | None = None) -> None:
    apply(session, grant_id, action, _actor(who), body)


# The year's actions, by day: (grant, action, who, body)
def _actions(day: date, session, grants: dict) -> None:
    if day == date(FY, 4, 8):
        grants["w"] = _draft(session, "applicant-w").id  # a draft, never submitted
    if day == date(FY, 4, 10):  # a Friday
        grants["a"] = _draft(session, "applicant-a").id
        _act(session, grants["a"], "submit", "applicant-a")
    if day == date(FY, 4, 27):  # waiting since 10 April: reminded on 24 April
        _act(session, grants["a"], "return", "secretariat-city", {"reason": "見積書がありません。"})
    if day == date(FY, 5, 18):
        _act(session, grants["a"], "submit", "applicant-a")
    if day == date(FY, 5, 19):
        _act(session, grants["a"], "start_review", "secretariat-city")
        _act(session, grants["a"], "award", "secretariat-city",
             {"awarded_yen": 400_000, "decision_date": day.isoformat()})
    if day == date(FY + 1, 1, 20):
        _act(session, grants["a"], "submit_report", "applicant-a",
             {"actual_cost_yen": 600_000, "outcomes": "観察会を3回開いた。"})
    if day == date(FY + 1, 1, 21):
        _act(session, grants["a"], "confirm", "secretariat-city")


EXPECTED = {
    # window closing on Thu 7 May (moved from Sat 2 May): 14, 7 and 1 days before, to the
    # municipalities with nothing submitted (瑞穂町, and 千代田区 with its draft)
    ("window_closing", "before-14", date(FY, 4, 23)): {"applicant-b", "applicant-w"},
    ("window_closing", "before-7", date(FY, 4, 30)): {"applicant-b", "applicant-w"},
    ("window_closing", "before-1", date(FY, 5, 6)): {"applicant-b", "applicant-w"},
    # submitted Fri 10 April and not taken up: 10 open days later, Fri 24 April
    ("review_waiting", "after", date(FY, 4, 24)): {"secretariat-city"},
    # returned Mon 27 April: open days 28, 30 April, 1, 7, 8 May (29 April and 2–6 May closed)
    ("returned_waiting", "week-0", date(FY, 5, 8)): {"applicant-a"},
    ("returned_waiting", "week-1", date(FY, 5, 15)): {"applicant-a"},
    # report due Wed 30 Dec (closed) -> Mon 4 Jan 2027
    ("report_due", "before-14", date(FY, 12, 21)): {"applicant-a"},
    ("report_due", "before-7", date(FY, 12, 28)): {"applicant-a"},
    ("report_due", "before-1", date(FY + 1, 1, 3)): {"applicant-a"},
    ("report_due", "before-0", date(FY + 1, 1, 4)): {"applicant-a"},
    ("report_due", "overdue-1", date(FY + 1, 1, 11)): {"applicant-a", "secretariat-city"},
    ("report_due", "overdue-2", date(FY + 1, 1, 18)): {"applicant-a", "secretariat-city"},
    # confirmed Thu 21 Jan and not settled: 30 days later
    ("unsettled", "after", date(FY + 1, 2, 20)): {"secretariat-city"},
}


def _replay(engine) -> dict:
    """Every reminder queued in the year: (kind, occurrence, day queued) -> recipients."""
    grants: dict[str, int] = {}
    day = date(FY, 4, 1)
    while day <= date(FY + 1, 3, 31):
        with time_machine.travel(_at(day), tick=False):
            with unit_of_work(engine) as session:
                _actions(day, session, grants)
            scheduler.tick(engine, settings=EMAIL_OFF)
        day += timedelta(days=1)
    with unit_of_work(engine, write=False) as session:
        rows = session.execute(select(Notification.kind, Notification.occurrence,
                                      Notification.created_at, User.username)
                               .join(User, User.id == Notification.user_id)
                               .where(Notification.kind != "action")).all()
    queued = defaultdict(set)
    for kind, occurrence, created_at, username in rows:
        queued[(kind, occurrence, created_at.astimezone(JST).date())].add(username)
    return dict(queued)


@pytest.fixture(scope="module")
def year(databases):
    engine = databases.make()
    _setup(engine)
    return engine, _replay(engine)


def test_reminders_of_a_whole_year_go_to_the_right_people_on_the_right_days(year):
    _, queued = year
    assert queued == EXPECTED


def test_window_closing_reminders_skip_municipalities_that_have_submitted(year):
    _, queued = year
    window = set().union(*(who for (kind, *_), who in queued.items() if kind == "window_closing"))
    assert "applicant-a" not in window and window == {"applicant-b", "applicant-w"}


def test_report_reminders_copy_the_secretariat_once_overdue(year):
    _, queued = year
    for (kind, occurrence, _), who in queued.items():
        if kind == "report_due":
            assert ("secretariat-city" in who) == occurrence.startswith("overdue")


def test_a_second_scan_on_the_same_day_queues_nothing(year):
    engine, _ = year
    for day in (date(FY, 4, 23), date(FY + 1, 1, 11), date(FY + 1, 2, 20)):
        with unit_of_work(engine) as session:
            assert outbox.scan(session, today=day, now=_at(day), email_on=False).total == 0


def test_a_missed_tick_is_made_up_by_the_next_without_the_skipped_reminders(fresh_engine):
    """The clock stopped from 20 April to 3 May: the 14-day window reminder (23 April) is
    not sent late, but the one due by 3 May (7 days before) is, once."""
    engine = fresh_engine()
    _setup(engine)
    for day in (date(FY, 4, 19), date(FY, 5, 3), date(FY, 5, 4)):
        with time_machine.travel(_at(day), tick=False):
            scheduler.tick(engine, settings=EMAIL_OFF)
    with unit_of_work(engine, write=False) as session:
        occurrences = sorted(session.scalars(select(Notification.occurrence)
                                             .where(Notification.kind == "window_closing")))
    assert occurrences == ["before-7"] * 3  # applicant-a, -b and -w: nobody has submitted


def test_deadline_on_a_closed_day_moves_to_the_next_open_day():
    assert roll_forward(date(2026, 5, 2)) == date(2026, 5, 7)  # Sat, then GW and 振替休日
    assert roll_forward(date(2026, 5, 6)) == date(2026, 5, 7)  # 振替休日 (憲法記念日 on a Sunday)
    assert roll_forward(date(2026, 12, 30)) == date(2027, 1, 4)  # year-end closure
    assert roll_forward(date(2026, 7, 20)) == date(2026, 7, 21)  # 海の日
    assert roll_forward(date(2026, 6, 3)) == date(2026, 6, 3)  # an open Wednesday stays


@pytest.mark.parametrize("day", [date(2026, 12, 29), date(2026, 12, 31), date(2027, 1, 1),
                                 date(2027, 1, 3)])
def test_year_end_closure_is_closed(day):
    assert not is_open(day)


def test_after_open_days_counts_only_open_days():
    assert add_open_days(date(2026, 4, 27), 5) == date(2026, 5, 8)
    assert add_open_days(date(2026, 12, 28), 1) == date(2027, 1, 4)  # over the closure
    assert add_open_days(date(2026, 6, 5), 5) == date(2026, 6, 12)  # Friday to Friday


def test_every_rule_reads_its_offsets_from_the_program():
    offsets = {"application_close": [3], "report_due": [2, 0], "waiting_applicant_open_days": 1,
               "waiting_review_open_days": 2, "unsettled_days": 5}
    assert {rule.offsets_key for rule in RULES} == set(offsets)
    for rule in RULES:
        assert rule.offsets(offsets) == offsets[rule.offsets_key]


def test_reminders_say_the_moved_deadline_in_words(year):
    from notifications.messages import notices
    engine, _ = year
    with unit_of_work(engine, write=False) as session:
        subjects = {(n.kind, n.subject) for n in notices(session, Notification.kind != "action")}
    assert ("window_closing", "令和8年度の申請受付は令和8年5月7日（木）までです") in subjects
    assert ("report_due", "八王子市「里山の保全」: 実績報告の期限は令和9年1月4日（月）です") in subjects
    assert ("report_due", "八王子市「里山の保全」: 実績報告の期限（令和9年1月4日（月））を過ぎています"
            ) in subjects
    assert ("returned_waiting", "八王子市「里山の保全」: 修正・再提出をお願いします") in subjects


ACCOUNT = {"bank_name": "多摩信用金庫", "bank_code": "1360", "branch_name": "八王子支店",
           "branch_code": "021", "account_type": "ordinary", "account_number": "0123456",
           "holder_kana": "ハチオウジシカイケイカンリシャ"}


def test_a_payment_request_waiting_30_days_for_settlement_is_reminded_to_the_secretariat(fresh_engine):
    """SPEC §7, 'confirmed but not settled': after the 交付請求書 the move is the
    secretariat's, and a request left unpaid for 30 days is reminded to it, once."""
    engine = fresh_engine()
    _setup(engine)
    steps = [("submit", "applicant-a", None), ("start_review", "secretariat-city", None),
             ("award", "secretariat-city", {"awarded_yen": 400_000, "decision_date": f"{FY}-05-01"}),
             ("submit_report", "applicant-a", {"actual_cost_yen": 600_000, "outcomes": "観察会を開いた。"}),
             ("confirm", "secretariat-city", None), ("request_payment", "applicant-a", ACCOUNT)]
    with time_machine.travel(_at(date(FY, 5, 1)), tick=False), unit_of_work(engine) as session:
        grant_id = _draft(session, "applicant-a").id
        for action, who, body in steps:
            _act(session, grant_id, action, who, body)
    for day in (date(FY, 5, 30), date(FY, 5, 31), date(FY, 6, 1)):
        with time_machine.travel(_at(day), tick=False):
            scheduler.tick(engine, settings=EMAIL_OFF)
    with unit_of_work(engine, write=False) as session:
        reminded = session.execute(select(Notification.created_at, User.username)
                                   .join(User, User.id == Notification.user_id)
                                   .where(Notification.kind == "unsettled")).all()
        from notifications.messages import notices
        (notice,) = notices(session, Notification.kind == "unsettled")
    assert [(at.astimezone(JST).date(), who) for at, who in reminded] == [
        (date(FY, 5, 31), "secretariat-city")]
    assert notice.lead == ("八王子市「里山の保全」は令和8年5月1日（金）から精算を待っています"
                           "（交付請求受付）。")


def test_each_reminder_watches_the_states_the_table_gives_it():
    from workflows.machine import State as S
    watched = {rule.kind: rule.states for rule in RULES}
    assert watched == {
        "window_closing": frozenset(),
        "returned_waiting": {S.returned, S.report_returned},
        "review_waiting": {S.submitted, S.under_review, S.change_requested},
        "report_due": {S.awarded, S.change_requested, S.report_returned},
        "unsettled": {S.confirmed, S.payment_requested},
        "unpublished": {S.paid},
    }
