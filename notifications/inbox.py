"""The in-app inbox: each person's own notices, newest first, read and marked read. Nobody
reads another person's notice: one that is not yours is answered as absent (404)."""

from datetime import datetime

from sqlalchemy import and_, func, select, update
from sqlmodel import Session

from grants.core.actors import Actor
from grants.core.errors import NotFound
from grants.core.ja.messages import message
from grants.core.models import Notification, User
from grants.core.queries import Page
from notifications.messages import Notice, notices


def _user_id(actor: Actor):
    return select(User.id).where(User.username == actor.username).scalar_subquery()


def page(session: Session, actor: Actor, *, unread_only: bool = False, after: int | None = None,
         limit: int = 20) -> Page[Notice]:
    where = [Notification.user_id == _user_id(actor)]
    if unread_only:
        where.append(Notification.read_at.is_(None))
    if after is not None:
        where.append(Notification.id < after)
    rows = notices(session, and_(*where), order=[Notification.id.desc()], limit=limit + 1)
    if len(rows) <= limit:
        return Page(rows, None)
    return Page(rows[:limit], rows[limit - 1].id)


def unread_count(session: Session, actor: Actor) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == _user_id(actor), Notification.read_at.is_(None)))


def mark_read(session: Session, actor: Actor, notice_id: int, *, now: datetime) -> None:
    own = and_(Notification.id == notice_id, Notification.user_id == _user_id(actor))
    if session.scalar(select(Notification.id).where(own)) is None:
        raise NotFound(message("notice_not_found"), code="notice_not_found")
    session.execute(update(Notification).where(own, Notification.read_at.is_(None))
                    .values(read_at=now))


def mark_all_read(session: Session, actor: Actor, *, now: datetime) -> int:
    return session.execute(update(Notification).where(
        Notification.user_id == _user_id(actor), Notification.read_at.is_(None))
        .values(read_at=now)).rowcount


def email_choice(session: Session, actor: Actor) -> tuple[bool, str | None]:
    """Whether the person wants e-mail, and the address it would go to."""
    return session.execute(select(User.email_notifications, User.email)
                           .where(User.username == actor.username)).one()


def set_email_choice(session: Session, actor: Actor, wanted: bool) -> None:
    """From now on: notices already queued keep the choice they were queued with."""
    session.execute(update(User).where(User.username == actor.username)
                    .values(email_notifications=wanted))
