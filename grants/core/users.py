"""Users, signing in, and bearer tokens.

Signing in is three steps, so that the slow, memory-hungry Argon2 work runs outside every
transaction: ``admit_sign_in`` (the input checked, the attempt admitted and counted by the
throttle, the user's hash read; one short write), ``check_password`` (Argon2, in one of the
process's hashing slots: ``grants.core.passwords``), and ``finish_sign_in`` (the run of
failures ended and a token issued, or the failure kept). Tokens: 256 random bits, shown
once, stored as SHA-256, with an expiry, revoked at logout."""

import hashlib
import secrets
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlmodel import Session

from grants.core.actors import Actor, Role, note_user
from grants.core.clock import utcnow
from grants.core.errors import Busy, NotFound, Refused, Unauthorized
from grants.core.ja.messages import message
from grants.core.models import ApiToken, Municipality, Org, SignInLockout, User
from grants.core.passwords import hash_password, verify
from grants.core.schemas import SignIn, UserBody
from grants.core.settings import get_settings
from grants.core.throttle import Attempt, SignInThrottle
from grants.core.validation import parse


def add_user(session: Session, data: UserBody | dict) -> User:
    body = parse(UserBody, data)
    if session.scalar(select(User.id).where(User.username == body.username)) is not None:
        raise Refused(message("user_exists", username=body.username), code="user_exists")
    if body.municipality_code and session.get(Municipality, body.municipality_code) is None:
        raise NotFound(message("unknown_municipality", code=body.municipality_code),
                       code="unknown_municipality")
    if body.org_id and session.get(Org, body.org_id) is None:
        raise NotFound(message("unknown_org", org=body.org_id), code="unknown_org")
    user = User(**body.model_dump(exclude={"password"}),
                password_hash=hash_password(body.password))
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise NotFound(message("unknown_user", username=username), code="unknown_user")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role, User.username)))


def set_disabled(session: Session, username: str, disabled: bool = True) -> User:
    """Disabling also ends every session and token the user holds."""
    user = get_user(session, username)
    user.disabled = disabled
    if disabled:
        _revoke_all(session, user)
    session.flush()
    return user


def reset_password(session: Session, username: str) -> str:
    """A new password for a user who forgot theirs, made here and shown once to the admin;
    every session and token of the user ends, as after disabling."""
    user = get_user(session, username)
    password = secrets.token_urlsafe(12)
    user.password_hash = hash_password(password)
    _revoke_all(session, user)
    SignInThrottle(session.connection()).clear(username)
    session.flush()
    return password


def initial_password() -> str:
    """A password for a new user, to be handed over and changed (the admin pages)."""
    return secrets.token_urlsafe(12)


def _revoke_all(session: Session, user: User) -> None:
    """Everything that lets the person in without their password ends: API tokens, browser
    sessions, and the private calendar address."""
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                        ApiToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()
    user.calendar_token_hash = None


@dataclass(frozen=True)
class SigningIn:
    """An attempt admitted by the throttle, with what the password is checked against."""

    attempt: Attempt
    user_id: int | None
    password_hash: str | None  # None: no such user (checked against a dummy, never right)
    disabled: bool


@dataclass(frozen=True)
class Verified:
    user_id: int
    new_hash: str | None  # set when the stored hash uses outdated parameters


def admit_sign_in(session: Session, data: dict[str, Any], client: str) -> tuple[SignIn, SigningIn]:
    """The first step, a short write: the input checked (422), the attempt admitted and
    counted or refused (429) before anything is hashed, the user's hash read."""
    form = parse(SignIn, data)
    attempt = SignInThrottle(session.connection()).admit(form.username, client)
    row = session.execute(select(User.id, User.password_hash, User.disabled)
                          .where(User.username == form.username)).first()
    if row is None:
        return form, SigningIn(attempt, None, None, False)
    return form, SigningIn(attempt, row.id, row.password_hash, row.disabled)


def check_password(signing_in: SigningIn, password: str) -> Verified | None:
    """The second step, outside any transaction: Argon2 in one of the hashing slots (503 if
    none comes free in time)."""
    valid, new_hash = verify(password, signing_in.password_hash)
    if not valid or signing_in.disabled or signing_in.user_id is None:
        return None
    return Verified(signing_in.user_id, new_hash)


def withdraw_sign_in(session: Session, signing_in: SigningIn) -> None:
    """The password was never checked (no hashing slot came free): the attempt counts for
    nothing."""
    SignInThrottle(session.connection()).withdraw(signing_in.attempt)


def finish_sign_in(session: Session, signing_in: SigningIn, verified: Verified | None,
                   *, kind: str = "api", now: datetime | None = None) -> tuple[str, ApiToken] | None:
    """The last step, a write: keep the failure (and answer None), or end the pair's run of
    failures, re-hash if due and issue a token of the kind asked (API or browser)."""
    now = now or utcnow()
    throttle = SignInThrottle(session.connection())
    if verified is None:
        throttle.failed(signing_in.attempt, now=now)
        return None
    throttle.succeeded(signing_in.attempt)
    return issue_token(session, _rehashed(session, verified), kind=kind, now=now)


def sign_in(open_unit: Callable[[str], AbstractContextManager[Session]], data: dict[str, Any],
            client: str, *, kind: str = "api") -> tuple[str, ApiToken]:
    """The three steps, each in its own unit of work from ``open_unit("write")`` (the API's
    and the pages' own), in one trip to a worker thread: a token, or the refusal (422, 429,
    503, or 401 with the same words whatever was wrong)."""
    with open_unit("write") as session:
        form, signing_in = admit_sign_in(session, data, client)
    try:
        verified = check_password(signing_in, form.password)
    except Busy:
        with open_unit("write") as session:
            withdraw_sign_in(session, signing_in)
        raise
    with open_unit("write") as session:
        issued = finish_sign_in(session, signing_in, verified, kind=kind)
    if issued is None:
        raise Unauthorized(message("login_failed"), code="login_failed")
    return issued


def unlock(session: Session, username: str) -> None:
    """An admin ends a username's lock-outs."""
    SignInThrottle(session.connection()).clear(username)


def lockouts(session: Session, *, limit: int = 50) -> list[SignInLockout]:
    """The latest lock-outs, newest first."""
    return list(session.scalars(select(SignInLockout).order_by(SignInLockout.id.desc())
                                .limit(limit)))


def _rehashed(session: Session, verified: Verified) -> User:
    user = session.get(User, verified.user_id)
    if verified.new_hash is not None:
        user.password_hash = verified.new_hash
    return user


def issue_token(session: Session, user: User, *, kind: str = "api",
                now: datetime | None = None) -> tuple[str, ApiToken]:
    """A new token of its kind: a bearer token (``api``) or a browser's session (``web``)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    ttl = timedelta(minutes=get_settings().token_ttl_minutes)
    record = ApiToken(token_hash=token_digest(token), kind=kind, user_id=user.id,
                      created_at=now, expires_at=now + ttl)
    session.add(record)
    session.flush()
    return token, record


# Every authenticated request runs this: built once, plain columns, no ORM objects.
# ``grants.core.queries`` extends it to fetch the grant asked for in the same round trip.
TOKEN_OWNER = (
    select(User.username, User.role, User.municipality_code, User.org_id, User.disabled,
           ApiToken.expires_at, ApiToken.revoked_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.kind == bindparam("kind"))
)


def resolve_token(session: Session, token: str, *, kind: str = "api",
                  now: datetime | None = None) -> Actor | None:
    """Who a token of that kind speaks for, if it is current and its user is active."""
    row = session.execute(TOKEN_OWNER, {"token_hash": token_digest(token), "kind": kind}).first()
    actor = actor_from(row._mapping, now=now) if row is not None else None
    note_user(actor)
    return actor


def actor_from(values: Mapping[str, Any], *, now: datetime | None = None) -> Actor | None:
    """The actor of a TOKEN_OWNER row, or None if the token or its user is no longer current."""
    if values["disabled"] or values["revoked_at"] is not None \
            or values["expires_at"] <= (now or utcnow()):
        return None
    return Actor(values["username"], Role(values["role"]),
                 municipality_code=values["municipality_code"], org_id=values["org_id"])


def revoke_token(session: Session, token: str, *, now: datetime | None = None) -> None:
    record = session.scalars(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()
    if record is not None and record.revoked_at is None:
        record.revoked_at = now or utcnow()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
