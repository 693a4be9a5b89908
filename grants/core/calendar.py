"""The business-day calendar (SPEC §7): which days the offices are open, and how deadlines
and "after so many open days" are counted. Closed: Saturdays, Sundays, national holidays
with their substitute days (``jpholiday``), and the year-end closure, 29 December to
3 January. Every date here is a date in Japan (``grants.core.clock``)."""

from datetime import date, timedelta

import jpholiday

DAY = timedelta(days=1)


def is_year_end_closure(day: date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_open(day: date) -> bool:
    return day.weekday() < 5 and not is_year_end_closure(day) and not jpholiday.is_holiday(day)


def roll_forward(day: date) -> date:
    """A deadline that falls on a closed day moves to the next open day."""
    while not is_open(day):
        day += DAY
    return day


def add_open_days(day: date, count: int) -> date:
    """The day on which ``count`` open days have passed after ``day``: five open days after a
    Friday return is the next Friday (the following Monday with a holiday in between)."""
    while count > 0:
        day += DAY
        if is_open(day):
            count -= 1
    return day
