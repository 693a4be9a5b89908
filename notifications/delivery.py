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

from sqlalchemy import Connection, Engine, and_, bindparam, func, or_, select, update
from sqlmodel import Session

from grants.core.clock import utcnow
from grants.core.db import WRITE, unit_of_work
from grants.core.models import Notification
from grants.core.settings import Settings, get_settings
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


def claim(session: Session, *, now: datetime, limit: int, lease: timedelta = LEASE) -> list[int]:
    candidates = (select(Notification.id).where(_claimable(now)).order_by(Notification.id)
                  .limit(limit).with_for_update(skip_locked=True))
    ids = list(session.scalars(candidates))
    if not ids:
        return []
    # Conditional: a row another deliverer claimed in the meantime is not taken again.
    claimed = session.execute(
        update(Notification).where(Notification.id.in_(ids), _claimable(now))
        .values(email_state="sending", claimed_until=now + lease,
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
            ids = claim(session, now=moment, limit=batch,
                        lease=timedelta(seconds=settings.mail_lease_seconds))
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
    with smtp, _Marks(engine) as marks:
        for position, notice in enumerate(batch):
            try:
                email.send(smtp, email.compose(notice, settings))
            except (SMTPRecipientsRefused, SMTPResponseException) as error:
                _retry(engine, [notice], now, settings, result, error)  # this message only
                continue
            except (OSError, SMTPException) as error:  # the connection is gone
                _retry(engine, batch[position:], now, settings, result, error)
                return False
            marks.record(notice.id)
            result.sent += 1
    return True


class _Marks:
    """Records each message as sent the moment the server has taken it, in a transaction of
    its own, on one connection held for the batch: a deliverer killed at any moment leaves at
    most one message that the server took and the outbox does not know of.

    The connection commits without waiting for the disk (SQLite's ``synchronous=NORMAL`` in
    WAL mode, PostgreSQL's ``synchronous_commit=off``): a mark then survives the deliverer's
    death but not a power cut of the database's machine in the moment after it, which would
    only send those few messages again, under their same Message-ID. Everything else, in the
    outbox and in the rest of the program, keeps waiting for the disk. Waiting here cost a
    third of the deliverer's speed (bench/reminders.py)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection: Connection | None = None

    def record(self, notice_id: int) -> None:
        if self.connection is None:
            self.connection = _marking_connection(self.engine)
        values = {"notice_id": notice_id, "at": utcnow()}
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(_SENT, values)  # in autocommit: one round trip
        else:
            with self.connection.begin():
                self.connection.execute(_SENT, values)

    def __enter__(self) -> "_Marks":
        return self

    def __exit__(self, exc_type, *_exc) -> None:
        if self.connection is None:
            return
        try:
            _wait_for_disk(self.connection, True)  # as the pool's other users expect
        except Exception:
            self.connection.invalidate()  # never back to the pool without waiting for the disk
            if exc_type is None:
                raise
        finally:
            self.connection.close()


_SENT = (update(Notification.__table__)
         .where(Notification.id == bindparam("notice_id"), Notification.email_state == "sending")
         .values(email_state="sent", sent_at=bindparam("at"), claimed_until=None, last_error=None))


def _marking_connection(engine: Engine) -> Connection:
    if engine.dialect.name == "postgresql":
        # A single UPDATE is a transaction by itself (the pool restores the isolation level).
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    else:
        connection = engine.connect().execution_options(**WRITE)
    _wait_for_disk(connection, False)
    return connection


def _wait_for_disk(connection: Connection, wait: bool) -> None:
    if connection.dialect.name == "sqlite":
        # Outside any transaction (SQLite refuses it inside one), on the driver's connection.
        connection.connection.driver_connection.execute(
            f"PRAGMA synchronous = {'FULL' if wait else 'NORMAL'}")
    elif connection.dialect.name == "postgresql":  # in autocommit: for the session
        connection.exec_driver_sql(f"SET synchronous_commit TO {'DEFAULT' if wait else 'OFF'}")


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
                values = {"email_state": "pending",
                          "next_attempt_at": now + backoff(attempts, settings.mail_retry_seconds)}
                result.retried += 1
            session.execute(update(Notification)
                            .where(Notification.id == notice.id,
                                   Notification.email_state == "sending")
                            .values(claimed_until=None, last_error=text, **values))


def backoff(attempts: int, first_seconds: int = 60) -> timedelta:
    """1, 2, 4, 8 … minutes (by default) after the first, second, third … failed try; at most
    6 hours."""
    return min(timedelta(seconds=first_seconds * 2 ** (attempts - 1)), MAX_DELAY)


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
