"""Time as the program sees it: stored in UTC, "today" and deadlines in Japan time."""

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def japan_date(moment: datetime) -> date:
    """The calendar date in Tokyo at an aware moment."""
    return moment.astimezone(JST).date()
