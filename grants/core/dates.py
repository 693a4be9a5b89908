"""The program's calendar rules for the dates people give: a project period inside its
fiscal year (SPEC §3), an application window near its year, and dates that must follow what
they answer (a decision after the submission it decides) and not lie in the future.

Each rule refuses with 409 naming the field (the date is well-formed, as the schema says, but
at odds with the grant, the program or today), in the same words wherever the date is typed."""

from datetime import date, timedelta

from grants.core.calendar import roll_forward
from grants.core.ja.messages import message
from grants.core.validation import conflict
from grants.core.wareki import fiscal_year_label, wareki_date


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """FY2025 (令和7年度) runs from 2025-04-01 to 2026-03-31."""
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)


def fiscal_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def report_due(project_end: date | None, report_days_after_end: int,
               report_deadline: date) -> date | None:
    """SPEC §3: the performance report is due at the earlier of so many days after the
    project's end and the program's last day for reports (10 April of the next year),
    moved to the next open day when that falls on a closed one (SPEC §7)."""
    if project_end is None:
        return None
    return roll_forward(min(project_end + timedelta(days=report_days_after_end), report_deadline))


# SPEC §10: a refund is due this many days after the notice that asks for it.
REFUND_DAYS = 20


def refund_due(notice_day: date) -> date:
    """The 納期限 of a refund: REFUND_DAYS after the notice, moved to the next open day."""
    return roll_forward(notice_day + timedelta(days=REFUND_DAYS))


def applications_close(program) -> date:
    """The last day applications are taken: the window's close, or the next open day. The
    one deadline every page, notice, feed and answer tells (the close as typed is kept)."""
    return roll_forward(program.applications_close)


def takes_applications(program, today: date) -> bool:
    return program.applications_open <= today <= applications_close(program)


def applications_close_text(program) -> str:
    """The deadline as people read it, saying why when it moved from the close as typed."""
    close = applications_close(program)
    if close == program.applications_close:
        return wareki_date(close)
    return message("deadline_moved", close=wareki_date(close), typed=wareki_date(program.applications_close))


def check_period(start: date | None, end: date | None, fiscal_year: int) -> None:
    """The project period lies within its fiscal year, and ends after it starts. Either end
    may still be missing in a draft."""
    first, last = fiscal_year_bounds(fiscal_year)
    for field, day in (("project_start", start), ("project_end", end)):
        if day is not None and not first <= day <= last:
            raise conflict(field, message("period_outside_year", year=fiscal_year_label(fiscal_year),
                                        first=wareki_date(first), last=wareki_date(last)))
    if start is not None and end is not None and end < start:
        raise conflict("project_end", message("period_order", start=wareki_date(start),
                                            end=wareki_date(end)))


def check_window(opens: date, closes: date, fiscal_year: int) -> None:
    """Applications may open up to a year before the fiscal year begins and must close
    before it ends: a window outside that is a typing mistake, not a plan."""
    first, last = fiscal_year_bounds(fiscal_year)
    earliest = date(fiscal_year - 1, 4, 1)
    if closes < opens:
        raise conflict("applications_close", message("window_order", open=wareki_date(opens),
                                                   close=wareki_date(closes)))
    for field, day in (("applications_open", opens), ("applications_close", closes)):
        if not earliest <= day <= last:
            raise conflict(field, message("window_outside_year", year=fiscal_year_label(fiscal_year),
                                        first=wareki_date(earliest), last=wareki_date(last)))


def check_completion(day: date, start: date | None, fiscal_year: int, *, today: date) -> None:
    """A project is completed within its fiscal year, after it began, and by today."""
    first, last = fiscal_year_bounds(fiscal_year)
    if not first <= day <= last:
        raise conflict("completed_on", message("completion_outside_year",
                                             year=fiscal_year_label(fiscal_year),
                                             first=wareki_date(first), last=wareki_date(last)))
    check_between("completed_on", day, after=start, after_what=message("project_start_day"),
                  today=today)


def check_between(field: str, day: date, *, after: date | None, after_what: str,
                  today: date) -> None:
    """``day`` is not before ``after`` (the date of what it answers) nor after today."""
    if after is not None and day < after:
        raise conflict(field, message("date_before", day=wareki_date(day), what=after_what,
                                    after=wareki_date(after)))
    if day > today:
        raise conflict(field, message("date_in_future", day=wareki_date(day),
                                    today=wareki_date(today)))
