"""Failed sign-ins, counted so that nobody can guess passwords at the rate Argon2 allows and
nobody can lock a real person out.

Two counters, kept in the database (``rate_counters``) so that every worker and server sees
the same counts:

- per **username and address** (the pair): ``GRANTS_SIGN_IN_LIMIT_PER_PAIR`` failures (5 in
  15 minutes) and then a pause before each next try that doubles: 1 minute, 2, 4 … up to an
  hour. A right password ends the pair's run.
- per **username** from every address: ``GRANTS_SIGN_IN_LIMIT_PER_USERNAME`` failures (20 an
  hour), a slower limit against guessing from many addresses. Past it, only an address with
  no recent failure for that username is let through, so the real person, at their own
  desk, still signs in with the right password while someone elsewhere guesses.

No address is locked as a whole: a city hall's staff share one address behind its NAT.

Checking and counting are one step: an attempt is admitted and counted (as a failure, until
its password proves right) in one transaction holding both counters' rows, so no burst of
any size gets more tries than the limits allow. A refused attempt hashes nothing. The
failure that uses up a limit is a lock-out: logged, kept for the admin
(``grants users lockouts``, the admin page) and told to the person."""

import logging
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from limits import RateLimitItem, parse
from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from grants.core.errors import TooManyRequests
from grants.core.ja.messages import message
from grants.core.models import RateCounter, SignInLockout
from grants.core.settings import Settings, get_settings

log = logging.getLogger("grants.security")
COUNTERS = RateCounter.__table__
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
LONGEST_PAUSE_SECONDS = 3600


def locked_out(retry_after: int) -> TooManyRequests:
    wait = (message("wait_minutes", minutes=math.ceil(retry_after / 60)) if retry_after > 60
            else message("wait_seconds", seconds=retry_after))
    return TooManyRequests(message("sign_in_locked", wait=wait), code="too_many_attempts",
                           retry_after=retry_after)


def pause_after(failures: int, limit: int, first: int) -> int:
    """Seconds before the next try once a pair has failed ``failures`` times (≥ limit): the
    first pause, doubling with each further failure, at most an hour."""
    return min(first * 2 ** min(failures - limit, 12), LONGEST_PAUSE_SECONDS)


@dataclass(frozen=True)
class Attempt:
    """A sign-in admitted and counted: as a failure until its password proves right."""

    username: str
    client: str
    pair_failures: int  # this attempt included
    username_failures: int


@dataclass
class _Counter:
    key: str
    count: int
    expires_at: float
    next_try_at: float


class SignInThrottle:
    """The sign-in limits over one connection, which must be inside a write transaction for
    ``admit``, ``succeeded``, ``failed`` and ``withdraw``."""

    def __init__(self, connection: Connection, settings: Settings | None = None) -> None:
        settings = settings or get_settings()
        self.connection = connection
        self.pair: RateLimitItem = parse(settings.sign_in_limit_per_pair)
        self.username: RateLimitItem = parse(settings.sign_in_limit_per_username)
        self.first_pause = settings.sign_in_first_pause_seconds

    def admit(self, username: str, client: str) -> Attempt:
        """Let the attempt through and count it, or refuse it (429 with the seconds to wait)
        without counting: both counters are read and written under their rows' locks."""
        now = time.time()
        pair, user = self._locked(_pair_key(username, client), now), self._locked(_user_key(username), now)
        if pair.count >= self.pair.amount and now < pair.next_try_at:
            raise locked_out(_seconds(pair.next_try_at - now))
        if user.count >= self.username.amount and pair.count > 0:
            raise locked_out(_seconds(user.expires_at - now))
        pair.count += 1
        if pair.count >= self.pair.amount:
            pair.next_try_at = now + pause_after(pair.count, self.pair.amount, self.first_pause)
        # A window of quiet (after the pause, if any) forgives the pair.
        pair.expires_at = max(now, pair.next_try_at) + self.pair.get_expiry()
        if user.count == 0:
            user.expires_at = now + self.username.get_expiry()
        user.count += 1
        self._save(pair, user)
        return Attempt(username, client, pair.count, user.count)

    def succeeded(self, attempt: Attempt) -> None:
        """The right password: the pair's run ends, and the attempt was no failure."""
        self.connection.execute(delete(COUNTERS).where(
            COUNTERS.c.key == _pair_key(attempt.username, attempt.client)))
        self._uncount(_user_key(attempt.username))

    def withdraw(self, attempt: Attempt) -> None:
        """The attempt was never judged (the server was too busy to hash): it counts for
        nothing."""
        self._uncount(_pair_key(attempt.username, attempt.client))
        self._uncount(_user_key(attempt.username))

    def failed(self, attempt: Attempt, *, now: datetime) -> list[SignInLockout]:
        """A wrong password, already counted: the failure that reaches a limit is a lock-out."""
        reached = []
        if attempt.pair_failures == self.pair.amount:
            reached.append(("pair", f"{attempt.username} {attempt.client}", attempt.pair_failures,
                            pause_after(attempt.pair_failures, self.pair.amount, self.first_pause)))
        if attempt.username_failures == self.username.amount:
            reached.append(("username", attempt.username, attempt.username_failures,
                            self.username.get_expiry()))
        return [self._lockout(attempt.username, *lock, now=now) for lock in reached]

    def clear(self, username: str) -> None:
        """An admin ends a username's lock-outs: its own counter and every pair's."""
        self.connection.execute(delete(COUNTERS).where(
            (COUNTERS.c.key == _user_key(username))
            | COUNTERS.c.key.startswith(_pair_key(username, ""), autoescape=True)))

    # --- the rows ---------------------------------------------------------------------------

    def _locked(self, key: str, now: float) -> _Counter:
        """The counter's row, locked until the transaction ends (made if missing); an ended
        window reads as a fresh counter."""
        self.connection.execute(_INSERT[self.connection.dialect.name](COUNTERS).values(
            key=key, count=0, expires_at=0.0, next_try_at=0.0).on_conflict_do_nothing())
        row = self.connection.execute(
            select(COUNTERS.c.count, COUNTERS.c.expires_at, COUNTERS.c.next_try_at)
            .where(COUNTERS.c.key == key).with_for_update()).one()
        if row.expires_at <= now:
            return _Counter(key, 0, 0.0, 0.0)
        return _Counter(key, row.count, row.expires_at, row.next_try_at)

    def _save(self, *counters: _Counter) -> None:
        for counter in counters:
            self.connection.execute(update(COUNTERS).where(COUNTERS.c.key == counter.key).values(
                count=counter.count, expires_at=counter.expires_at,
                next_try_at=counter.next_try_at))

    def _uncount(self, key: str) -> None:
        self.connection.execute(update(COUNTERS).where(COUNTERS.c.key == key, COUNTERS.c.count > 0)
                                .values(count=COUNTERS.c.count - 1))

    def _lockout(self, username: str, scope: str, subject: str, failures: int, seconds: float,
                 *, now: datetime) -> SignInLockout:
        until = now + timedelta(seconds=seconds)
        log.warning("sign-in locked: %s %r after %d failures, until %s", scope, subject,
                    failures, until.astimezone(timezone.utc).isoformat(timespec="seconds"))
        lockout = SignInLockout(scope=scope, subject=subject[:100], username=username[:64],
                                failures=failures, locked_at=now, locked_until=until)
        row = self.connection.execute(SignInLockout.__table__.insert().values(
            scope=scope, subject=lockout.subject, username=lockout.username, failures=failures,
            locked_at=now, locked_until=until).returning(SignInLockout.__table__.c.id)).scalar_one()
        lockout.id = row
        return lockout


def _pair_key(username: str, client: str) -> str:
    return f"pair/{username}/{client}"


def _user_key(username: str) -> str:
    return f"username/{username}"


def _seconds(span: float) -> int:
    return max(1, math.ceil(span))
