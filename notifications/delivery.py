"""Delivery of the outbox by e-mail: claim a batch, send it over one connection, record each
message as sent as soon as the server has taken it.

Claiming is a conditional UPDATE (only rows still pending, or whose claim has lapsed), so two
deliverers never both take a row; on PostgreSQL the candidates are picked ``FOR UPDATE SKIP
LOCKED`` so that the second deliverer takes the next rows instead of waiting for the first.
A deliverer killed mid-batch leaves its unsent rows claimed until ``claimed_until`` passes;
then the next run takes them again. A failure puts the row back with a growing delay, and
after ``mail_max_attempts`` tries marks it failed for an admin to see and re-queue."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPResponseException

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlmodel import Session

from grants.clock import utcnow
from grants.db import unit_of_work
from grants.models import Notification
from grants.settings import Settings, get_settings
from notifications.channels import email
from notifications.messages import Notice, notices

LEASE = timedelta(minutes=10)  # longer than a batch can take to send
MAX_DELAY = timedelta(hours=6)


@dataclass
class Delivery:
    """What one run of the deliverer did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _claimable(now: datetime):
    return or_(and_(Notification.email_state == "pending", Notification.next_attempt_at <= now),
               and_(Notification.email_state == "sending", Notification.claimed_until < now))


def claim(session: Session, *, now: datetime, limit: int) -> list[int]:
    candidates = (select(Notification.id).where(_claimable(now)).order_by(Notification.id)
                  .limit(limit).with_for_update(skip_locked=True))
    ids = list(session.scalars(candidates))
    if not ids:
        return []
    # Conditional: a row another deliverer claimed in the meantime is not taken again.
    claimed = session.execute(
        update(Notification).where(Notification.id.in_(ids), _claimable(now))
        .values(email_state="sending", claimed_until=now + LEASE,
                attempts=Notification.attempts + 1)
        .returning(Notification.id))
    return sorted(claimed.scalars())


def deliver(engine: Engine, *, now: datetime | None = None, batch: int = 200,
            settings: Settings | None = None) -> Delivery:
    """Send everything due by e-mail, batch after batch, until nothing is left to claim."""
    settings = settings or get_settings()
    result = Delivery()
    if not settings.email_on:
        return result
    while True:
        moment = now or utcnow()
        with unit_of_work(engine) as session:
            ids = claim(session, now=moment, limit=batch)
            batch_notices = notices(session, Notification.id.in_(ids)) if ids else []
        if not batch_notices:
            return result
        if not _send_batch(engine, batch_notices, moment, settings, result):
            return result  # the server is away: the rest waits for its retry time


def _send_batch(engine: Engine, batch: list[Notice], now: datetime, settings: Settings,
                result: Delivery) -> bool:
    try:
        smtp = email.connect(settings)
    except (OSError, SMTPException) as error:
        _retry(engine, [n for n in batch], now, settings, result, error)
        return False
    with smtp:
        for position, notice in enumerate(batch):
            try:
                smtp.send_message(email.compose(notice, settings))
            except (SMTPRecipientsRefused, SMTPResponseException) as error:
                _retry(engine, [notice], now, settings, result, error)  # this message only
                continue
            except (OSError, SMTPException) as error:  # the connection is gone
                _retry(engine, batch[position:], now, settings, result, error)
                return False
            _mark_sent(engine, notice.id, utcnow())
            result.sent += 1
    return True


def _mark_sent(engine: Engine, notice_id: int, at: datetime) -> None:
    with unit_of_work(engine) as session:
        session.execute(update(Notification)
                        .where(Notification.id == notice_id, Notification.email_state == "sending")
                        .values(email_state="sent", sent_at=at, claimed_until=None, last_error=None))


def _retry(engine: Engine, batch: list[Notice], now: datetime, settings: Settings,
           result: Delivery, error: Exception) -> None:
    text = f"{type(error).__name__}: {error}"[:500]
    result.errors.append(text)
    with unit_of_work(engine) as session:
        for notice in batch:
            attempts = notice.attempts  # the claim has counted this try
            if attempts >= settings.mail_max_attempts:
                values = {"email_state": "failed"}
                result.failed += 1
            else:
                values = {"email_state": "pending", "next_attempt_at": now + backoff(attempts)}
                result.retried += 1
            session.execute(update(Notification)
                            .where(Notification.id == notice.id,
                                   Notification.email_state == "sending")
                            .values(claimed_until=None, last_error=text, **values))


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the first, second, third … failed try; at most 6 hours."""
    return min(timedelta(minutes=2 ** (attempts - 1)), MAX_DELAY)


def failed_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Notification)
                          .where(Notification.email_state == "failed"))


def requeue(session: Session, notice_ids: list[int] | None, *, now: datetime) -> int:
    """Failed e-mails back into the queue, as new (all of them when no ids are given)."""
    where = [Notification.email_state == "failed"]
    if notice_ids is not None:
        where.append(Notification.id.in_(notice_ids))
    return session.execute(update(Notification).where(*where).values(
        email_state="pending", attempts=0, next_attempt_at=now, last_error=None)).rowcount
