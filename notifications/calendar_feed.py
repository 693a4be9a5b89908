"""Each applicant's and secretariat member's private calendar feed (iCalendar, RFC 5545) of
the deadlines they answer for, so that Outlook or Google Calendar shows them beside
everything else: the application windows' closing days, and each grant's performance report
due date while a report is expected.

The feed's address carries a secret; only its SHA-256 is stored, so the address is shown
once, when it is made. Making a new one ends the old; revoking ends it outright. A calendar
program fetches the address without signing in, so an unknown or revoked secret is simply
not found."""

import re
import secrets
from datetime import date, datetime

from icalendar import Calendar, Event
from sqlalchemy import select, update
from sqlmodel import Session

from grants.core import access
from grants.core.actors import Actor, Role
from grants.core.clock import japan_date
from grants.core.dates import applications_close, fiscal_year_of
from grants.core.errors import NotFound
from grants.core.ja.labels import PROGRAM_NAME
from grants.core.ja.messages import message
from grants.core.ja.notices import CALENDAR
from grants.core.models import Grant, Municipality, Program, User
from grants.core.users import token_digest
from grants.core.wareki import fiscal_year_label
from workflows.table import REPORT_DUE

REPORT_DUE_STATES = sorted(str(s) for s in REPORT_DUE)


_SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # what secrets.token_urlsafe(32) gives


def issue(session: Session, actor: Actor) -> str:
    """A new secret for the person's feed (the old one stops working); shown once."""
    access.may_keep_calendar(actor).check()
    secret = secrets.token_urlsafe(32)
    session.execute(update(User).where(User.username == actor.username)
                    .values(calendar_token_hash=token_digest(secret)))
    return secret


def revoke(session: Session, actor: Actor) -> None:
    session.execute(update(User).where(User.username == actor.username)
                    .values(calendar_token_hash=None))


def has_feed(session: Session, actor: Actor) -> bool:
    return session.scalar(select(User.calendar_token_hash)
                          .where(User.username == actor.username)) is not None


def feed(session: Session, secret: str, *, base_url: str, now: datetime) -> bytes:
    """The .ics for the person whose secret this is, or not found (whatever was typed)."""
    if not _SECRET_SHAPE.fullmatch(secret):
        raise NotFound(message("calendar_not_found"), code="calendar_not_found")
    user = session.scalars(select(User).where(User.calendar_token_hash == token_digest(secret),
                                              User.disabled.is_(False))).first()
    actor = None if user is None else Actor(user.username, Role(user.role), user.municipality_code,
                                            user.org_id)
    if actor is None or not access.may_keep_calendar(actor):
        raise NotFound(message("calendar_not_found"), code="calendar_not_found")
    calendar = Calendar()
    calendar.add("prodid", "-//midori-grants//deadlines//JA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", CALENDAR["name"].format(program=PROGRAM_NAME))
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    host = base_url.split("://")[-1].split("/")[0] or "localhost"
    link = base_url.rstrip("/")
    recent = fiscal_year_of(japan_date(now)) - 1
    for program in session.scalars(select(Program).where(Program.fiscal_year >= recent)):
        close = applications_close(program)
        calendar.add_component(_event(
            f"window-{program.fiscal_year}@{host}", close,
            CALENDAR["window_closes"].format(year=fiscal_year_label(program.fiscal_year)), f"{link}/", now))
    grants = session.execute(
        select(Grant.id, Grant.title, Grant.report_due, Municipality.name)
        .join(Municipality, Municipality.code == Grant.municipality_code)
        .where(access.grant_scope(actor), Grant.state.in_(REPORT_DUE_STATES),
               Grant.report_due.is_not(None)).order_by(Grant.report_due, Grant.id))
    for grant_id, title, due, municipality in grants:
        calendar.add_component(_event(f"grant-{grant_id}-report-due@{host}", due,
                                      CALENDAR["report_due"].format(municipality=municipality, title=title),
                                      f"{link}/grants/{grant_id}", now))
    return calendar.to_ical()


def _event(uid: str, day: date, summary: str, url: str, now: datetime) -> Event:
    """An all-day event, the same UID every time so calendars update it in place."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", url)
    event.add("transp", "TRANSPARENT")
    return event
