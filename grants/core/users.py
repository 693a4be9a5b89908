"""Users and their tokens: people added, disabled, given a new password or changing their
own; bearer tokens and browser sessions (256 random bits, shown once, stored as SHA-256,
with an expiry, revoked at logout). Signing in itself is ``grants.core.sign_in``."""

import hashlib
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlmodel import Session

from grants.core import two_factor
from grants.core.actors import Actor, Role, note_user
from grants.core.clock import utcnow
from grants.core.errors import NotFound, Refused
from grants.core.ja.messages import message
from grants.core.models import ApiToken, Municipality, Org, SignInLockout, User
from grants.core.passwords import hash_password
from grants.core.schemas import UserBody
from grants.core.settings import get_settings
from grants.core.throttle import SignInThrottle
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
        revoke_all(session, user)
    session.flush()
    return user


def reset_password(session: Session, username: str) -> str:
    """A new password for a user who forgot theirs, made here and shown once to the admin;
    every session and token of the user ends, as after disabling."""
    user = get_user(session, username)
    password = secrets.token_urlsafe(12)
    user.password_hash = hash_password(password)
    revoke_all(session, user)
    SignInThrottle(session.connection()).clear(username)
    session.flush()
    return password


def initial_password() -> str:
    """A password for a new user, to be handed over and changed (the admin pages)."""
    return secrets.token_urlsafe(12)


def revoke_all(session: Session, user: User, *, keep: str | None = None) -> None:
    """Everything that lets the person in without their password ends: API tokens, browser
    sessions (but ``keep``, the one making a change), and the private calendar address."""
    kept = token_digest(keep) if keep else None
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                        ApiToken.revoked_at.is_(None))):
        if token.token_hash != kept:
            token.revoked_at = utcnow()
    user.calendar_token_hash = None


def reset_two_factor(session: Session, username: str) -> None:
    """The admin's help for someone who lost their phone and their recovery codes: their
    second factor is gone (to be set up again) and every session and token of theirs ends."""
    user = get_user(session, username)
    two_factor.forget(session, user)
    revoke_all(session, user)


def unlock(session: Session, username: str) -> None:
    """An admin ends a username's lock-outs."""
    SignInThrottle(session.connection()).clear(username)


def lockouts(session: Session, *, limit: int = 50) -> list[SignInLockout]:
    """The latest lock-outs, newest first."""
    return list(session.scalars(select(SignInLockout).order_by(SignInLockout.id.desc())
                                .limit(limit)))


def issue_token(session: Session, user: User, *, kind: str = "api", now: datetime | None = None,
                ttl: timedelta | None = None, enrolment_only: bool = False) -> tuple[str, ApiToken]:
    """A new token of its kind: a bearer token (``api``), a browser's session (``web``), or
    a sign-in waiting for its second factor (``pending``)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    ttl = ttl or timedelta(minutes=get_settings().token_ttl_minutes)
    record = ApiToken(token_hash=token_digest(token), kind=kind, user_id=user.id,
                      created_at=now, expires_at=now + ttl, enrolment_only=enrolment_only)
    session.add(record)
    session.flush()
    return token, record


# Every authenticated request runs this: built once, plain columns, no ORM objects.
# ``grants.core.queries`` extends it to fetch the grant asked for in the same round trip.
TOKEN_OWNER = (
    select(User.username, User.role, User.municipality_code, User.org_id, User.disabled,
           ApiToken.expires_at, ApiToken.revoked_at, ApiToken.enrolment_only)
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
                 municipality_code=values["municipality_code"], org_id=values["org_id"],
                 enrolling=bool(values["enrolment_only"]))


def end_enrolment(session: Session, token: str) -> None:
    """A session that was for setting up two-factor sign-in, now that it is set up: a whole
    session."""
    session.execute(update(ApiToken).where(ApiToken.token_hash == token_digest(token))
                    .values(enrolment_only=False))


def revoke_token(session: Session, token: str, *, now: datetime | None = None) -> None:
    record = session.scalars(select(ApiToken).where(ApiToken.token_hash == token_digest(token))).first()
    if record is not None and record.revoked_at is None:
        record.revoked_at = now or utcnow()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
