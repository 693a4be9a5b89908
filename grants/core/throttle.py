"""Failed sign-ins counted per username and per client address, so that nobody can guess
passwords at the rate Argon2 allows nor keep the server's cores busy hashing them.

The counting is the ``limits`` library's fixed-window strategy; its counters live in the
database (``rate_counters``) so that every worker process and every server sees the same
counts. Once a username or an address has failed as often as its limit allows within the
window, further attempts are refused with 429 before any password is hashed, until the
window ends. Each lock-out is logged and kept for the admin (``grants users lockouts``)."""

import logging
import math
import time
from datetime import datetime, timedelta, timezone

from limits import RateLimitItem, parse
from limits.storage import Storage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Connection, case, delete, exc, select
from sqlalchemy.dialects import postgresql, sqlite

from grants.core.errors import TooManyRequests
from grants.core.ja.messages import message
from grants.core.models import RateCounter, SignInLockout
from grants.core.settings import get_settings

log = logging.getLogger("grants.security")
COUNTERS = RateCounter.__table__
_UPSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def locked_out(retry_after: int) -> TooManyRequests:
    wait = (message("wait_minutes", minutes=math.ceil(retry_after / 60)) if retry_after > 60
            else message("wait_seconds", seconds=retry_after))
    return TooManyRequests(message("sign_in_locked", wait=wait), code="too_many_attempts",
                           retry_after=retry_after)


class DatabaseStorage(Storage):
    """A ``limits`` storage over the ``rate_counters`` table, on the caller's connection so
    that counting is part of the caller's transaction."""

    STORAGE_SCHEME = None  # built with a connection, not from a URI

    def __init__(self, connection: Connection) -> None:
        super().__init__()
        self.connection = connection
        self._read: dict[str, tuple[int, float]] = {}  # key -> (count, expires_at), prefetched

    def prefetch(self, keys: list[str]) -> None:
        """Read several counters in one statement, for the questions that follow (a sign-in
        refused while locked asks four of them and must answer at once)."""
        rows = self.connection.execute(select(COUNTERS.c.key, COUNTERS.c.count, COUNTERS.c.expires_at)
                                       .where(COUNTERS.c.key.in_(keys))).all()
        self._read = {key: (0, 0.0) for key in keys} | {row.key: (row.count, row.expires_at)
                                                          for row in rows}

    @property
    def base_exceptions(self) -> type[Exception]:
        return exc.SQLAlchemyError

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        # One upsert: a new or expired counter starts a new window, a live one counts on.
        self._read.pop(key, None)
        now = time.time()
        expired = COUNTERS.c.expires_at <= now
        statement = (
            _UPSERT[self.connection.dialect.name](COUNTERS)
            .values(key=key, count=amount, expires_at=now + expiry)
            .on_conflict_do_update(index_elements=["key"], set_={
                "count": case((expired, amount), else_=COUNTERS.c.count + amount),
                "expires_at": case((expired, now + expiry), else_=COUNTERS.c.expires_at)})
            .returning(COUNTERS.c.count))
        return self.connection.execute(statement).scalar_one()

    def get(self, key: str) -> int:
        count, expires = self._read.get(key) or self._fetch(key)
        return count if expires > time.time() else 0

    def get_expiry(self, key: str) -> float:
        _, expires = self._read.get(key) or self._fetch(key)
        return max(expires, time.time())

    def _fetch(self, key: str) -> tuple[int, float]:
        row = self.connection.execute(select(COUNTERS.c.count, COUNTERS.c.expires_at)
                                      .where(COUNTERS.c.key == key)).first()
        return (row.count, row.expires_at) if row else (0, 0.0)

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        self._read.clear()
        return self.connection.execute(delete(COUNTERS)).rowcount

    def clear(self, key: str) -> None:
        self._read.pop(key, None)
        self.connection.execute(delete(COUNTERS).where(COUNTERS.c.key == key))

    def sweep(self) -> None:
        """Forget windows that have ended, so the table holds only live counters."""
        self.connection.execute(delete(COUNTERS).where(COUNTERS.c.expires_at <= time.time()))


class SignInThrottle:
    """The sign-in limits (``GRANTS_SIGN_IN_LIMIT_PER_USERNAME`` and ``…_PER_CLIENT``,
    e.g. ``5/15 minutes``) over one connection."""

    def __init__(self, connection: Connection) -> None:
        settings = get_settings()
        self.storage = DatabaseStorage(connection)
        self.limiter = FixedWindowRateLimiter(self.storage)
        self.limits: dict[str, RateLimitItem] = {
            "username": parse(settings.sign_in_limit_per_username),
            "client": parse(settings.sign_in_limit_per_client),
        }

    def check(self, username: str, client: str) -> None:
        """Refuse (429, with the seconds to wait) if either counter is exhausted."""
        subjects = self._subjects(username, client)
        self.storage.prefetch([self.limits[scope].key_for(scope, subject)
                               for scope, subject in subjects])
        waits = [self._wait(scope, subject) for scope, subject in subjects
                 if not self.limiter.test(self.limits[scope], scope, subject)]
        if waits:
            raise locked_out(max(waits))

    def failed(self, username: str, client: str, *, now: datetime) -> None:
        """Count a failure; the one that uses up a counter's last attempt is a lock-out."""
        self.storage.sweep()
        for scope, subject in self._subjects(username, client):
            item = self.limits[scope]
            self.limiter.hit(item, scope, subject)
            if self.storage.get(item.key_for(scope, subject)) == item.amount:
                self._lockout(scope, subject, item.amount, now, self._wait(scope, subject))

    def clear(self, username: str) -> None:
        """A right password, or an admin, ends a username's run of failures (not the
        address's: others may be guessing from there)."""
        self.storage.clear(self.limits["username"].key_for("username", username))

    def _subjects(self, username: str, client: str) -> list[tuple[str, str]]:
        return [("username", username), ("client", client)]

    def _wait(self, scope: str, subject: str) -> int:
        reset = self.limiter.get_window_stats(self.limits[scope], scope, subject).reset_time
        return max(1, math.ceil(reset - time.time()))

    def _lockout(self, scope: str, subject: str, failures: int, now: datetime, wait: int) -> None:
        until = now + timedelta(seconds=wait)
        log.warning("sign-in locked: %s %r after %d failures, until %s", scope, subject,
                    failures, until.astimezone(timezone.utc).isoformat(timespec="seconds"))
        self.storage.connection.execute(SignInLockout.__table__.insert().values(
            scope=scope, subject=subject[:100], failures=failures, locked_at=now,
            locked_until=until))
