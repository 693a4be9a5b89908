"""The reminder rules of SPEC §7 as data: which grants each rule watches (by state, from the
transition table), the date it counts from, the program's offset it reads, whom it tells, and
when. ``schedule`` answers, for one anchor date and today, which of the rule's reminders is
due (the latest one whose day has come), so a day the clock missed is made up at the next
tick without sending the reminders it skipped.

Offsets live per fiscal-year program (``Program.reminder_offsets``; defaults and their shape
in ``grants.core.programs`` and ``grants.core.schemas``). A deadline is counted in calendar days
before its (rolled) date; "after N open days" in open days of ``grants.core.calendar``; "then
weekly" in calendar weeks after the first. Reminders go out on any day; only deadlines move
to open days."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from grants.core.actors import Role
from grants.core.calendar import add_open_days
from grants.core.programs import DEFAULT_REMINDER_OFFSETS
from workflows.machine import Action, State
from workflows.table import REPORT_DUE, RETURNED_BY, awaiting


class Count(StrEnum):
    before = "before"  # days before a deadline, from a list of offsets
    open_days_after = "open_days_after"  # open days after the grant entered its state
    days_after = "days_after"  # calendar days after the grant entered its state


@dataclass(frozen=True)
class Occurrence:
    """One of a rule's reminders: its name within the rule, the deadline it is about, and
    whether the secretariat is copied (the report, once overdue)."""

    label: str
    due_on: date | None = None
    copy_secretariat: bool = False


@dataclass(frozen=True)
class Rule:
    kind: str
    states: frozenset[State]  # grants in these states (none: the application window)
    anchor: str  # the grant's date column it counts from; "applications_close": the program's
    offsets_key: str
    count: Count
    to: Role
    weekly: bool = False  # repeated every week after the first (overdue, or still waiting)

    def offsets(self, program_offsets: dict[str, Any] | None) -> Any:
        return (program_offsets or {}).get(self.offsets_key, DEFAULT_REMINDER_OFFSETS[self.offsets_key])

    def schedule(self, anchor: date, offsets: Any, today: date) -> Occurrence | None:
        if self.count is Count.before:
            return _before(anchor, sorted(set(offsets)), today, overdue_weekly=self.weekly)
        first = (add_open_days(anchor, offsets) if self.count is Count.open_days_after
                 else anchor + timedelta(days=offsets))
        if today < first:
            return None
        if not self.weekly:
            return Occurrence("after")
        return Occurrence(f"week-{(today - first).days // 7}")


def _before(deadline: date, offsets: list[int], today: date, *,
            overdue_weekly: bool) -> Occurrence | None:
    left = (deadline - today).days
    if left >= 0:
        due = [days for days in offsets if days >= left]
        return Occurrence(f"before-{due[0]}", deadline) if due else None
    if not overdue_weekly:
        return None
    weeks = -left // 7
    if weeks == 0:  # the day itself passed while the clock was stopped: still say it
        return Occurrence("before-0", deadline) if 0 in offsets else None
    return Occurrence(f"overdue-{weeks}", deadline, copy_secretariat=True)


A = Action
RULES: tuple[Rule, ...] = (
    # application window closing: to municipalities with nothing submitted that year
    Rule("window_closing", frozenset(), "applications_close", "application_close", Count.before,
         Role.applicant),
    # returned application or report waiting for the applicant: after 5 open days, weekly
    Rule("returned_waiting", frozenset(RETURNED_BY), "state_entered_on",
         "waiting_applicant_open_days", Count.open_days_after, Role.applicant, weekly=True),
    # application or change waiting for review: after 10 open days, to the secretariat
    Rule("review_waiting", awaiting(A.start_review, A.award, A.approve_change),
         "state_entered_on", "waiting_review_open_days", Count.open_days_after, Role.secretariat),
    # performance report due: 14, 7, 1 days before, on the day, weekly while overdue
    Rule("report_due", REPORT_DUE, "report_due", "report_due", Count.before, Role.applicant,
         weekly=True),
    # confirmed but not settled (交付請求 or not), settled but not published: after 30 days,
    # to the secretariat
    Rule("unsettled", awaiting(A.settle), "state_entered_on", "unsettled_days",
         Count.days_after, Role.secretariat),
    Rule("unpublished", awaiting(A.publish), "state_entered_on", "unsettled_days",
         Count.days_after, Role.secretariat),
)
