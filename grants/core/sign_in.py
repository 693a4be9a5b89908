"""Signing in, for the API and the pages alike.

Three steps, so that the slow, memory-hungry Argon2 work runs outside every transaction:
``admit`` (the input checked, the attempt admitted and counted by the throttle, the user's
hash read; one short write), ``check_password`` (Argon2, in one of the process's hashing
slots: ``grants.core.passwords``), and ``finish`` (the second factor checked, the run of
failures ended and a token issued; or the failure kept). ``sign_in`` runs the three in one
trip to a worker thread.

A person with two-factor sign-in on also gives a code (``otp``): the API takes it with the
password; the pages ask for it on a page of its own, after the password, holding the
sign-in as a short-lived ``pending`` token. A wrong code is a failed attempt like a wrong
password, answered in the same words; a missing one is asked for. A person whose role
requires it and who has none set up signs in to the pages to set it up and nothing else;
the API refuses them until they have."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from grants.core import two_factor
from grants.core.actors import Role
from grants.core.clock import utcnow
from grants.core.errors import Busy, InvalidInput, Unauthorized
from grants.core.ja.messages import message
from grants.core.models import ApiToken, User
from grants.core.passwords import hash_password, verify
from grants.core.schemas import PasswordChange, SignIn
from grants.core.throttle import Attempt, SignInThrottle
from grants.core.users import issue_token, revoke_all, token_digest
from grants.core.validation import parse

PENDING_MINUTES = 5  # from the right password to its code
OpenUnit = Callable[[str], AbstractContextManager[Session]]


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


@dataclass(frozen=True)
class SignedIn:
    token: str
    record: ApiToken
    enrolment_only: bool = False  # a browser that must set up two-factor sign-in first


@dataclass(frozen=True)
class CodeNeeded:
    """The password was right; the pages ask for the code, holding this token meanwhile."""

    pending: str


def admit(session: Session, data: dict[str, Any], client: str) -> tuple[SignIn, SigningIn]:
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


def finish(session: Session, signing_in: SigningIn, verified: Verified | None, otp: str | None,
           *, kind: str, now: datetime) -> SignedIn | CodeNeeded | Unauthorized:
    """The last step, a write: what the person gets, or the refusal to raise once the
    failure it counts is committed."""
    throttle = SignInThrottle(session.connection())
    if verified is None:
        throttle.failed(signing_in.attempt, now=now)
        return _login_failed()
    user = session.get(User, verified.user_id)
    if verified.new_hash is not None:
        user.password_hash = verified.new_hash
    if two_factor.is_on(user):
        if not otp:  # the password was right: no failure, and the code is asked for
            throttle.withdraw(signing_in.attempt)
            if kind != "web":
                return Unauthorized(message("otp_required"), code="otp_required")
            return CodeNeeded(issue_token(session, user, kind="pending", now=now,
                                          ttl=timedelta(minutes=PENDING_MINUTES))[0])
        if not two_factor.accepts(session, user.id, otp, now=now):
            throttle.failed(signing_in.attempt, now=now)
            return _login_failed()
    elif two_factor.required(session, Role(user.role)) and kind != "web":
        throttle.succeeded(signing_in.attempt)
        return Unauthorized(message("totp_enrolment_required"), code="totp_enrolment_required")
    throttle.succeeded(signing_in.attempt)
    enrolling = not two_factor.is_on(user) and two_factor.required(session, Role(user.role))
    return SignedIn(*issue_token(session, user, kind=kind, now=now, enrolment_only=enrolling),
                    enrolment_only=enrolling)


def sign_in(open_unit: OpenUnit, data: dict[str, Any], client: str, *,
            kind: str = "api") -> SignedIn | CodeNeeded:
    """The three steps, each in its own unit of work from ``open_unit("write")`` (the API's
    and the pages' own), in one trip to a worker thread: a token (or the pages' question for
    the code), or the refusal (422, 429, 503, or 401 with the same words whatever was wrong)."""
    with open_unit("write") as session:
        form, signing_in = admit(session, data, client)
    try:
        verified = check_password(signing_in, form.password)
    except Busy:
        with open_unit("write") as session:
            SignInThrottle(session.connection()).withdraw(signing_in.attempt)
        raise
    with open_unit("write") as session:
        outcome = finish(session, signing_in, verified, form.otp, kind=kind, now=utcnow())
    if isinstance(outcome, Unauthorized):
        raise outcome
    return outcome


def sign_in_with_code(open_unit: OpenUnit, pending: str, code: object, client: str) -> SignedIn:
    """The pages' second step: the code for a sign-in whose password was right. A wrong code
    counts as a failed attempt (the pending sign-in stays, to try again within its minutes);
    an unknown or expired one is told to sign in again."""
    now = utcnow()
    with open_unit("write") as session:
        token = session.scalars(select(ApiToken).where(
            ApiToken.token_hash == token_digest(pending), ApiToken.kind == "pending",
            ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)).first()
        user = session.get(User, token.user_id) if token is not None else None
        if user is None or user.disabled:
            outcome: SignedIn | Unauthorized = Unauthorized(message("otp_expired"),
                                                            code="otp_expired")
        else:
            throttle = SignInThrottle(session.connection())
            attempt = throttle.admit(user.username, client)
            if two_factor.accepts(session, user.id, code, now=now):
                token.revoked_at = now
                throttle.succeeded(attempt)
                outcome = SignedIn(*issue_token(session, user, kind="web", now=now))
            else:
                throttle.failed(attempt, now=now)
                outcome = _login_failed()
    if isinstance(outcome, Unauthorized):
        raise outcome
    return outcome


def change_password(open_unit: OpenUnit, username: str, data: dict[str, Any], client: str, *,
                    keep: str | None = None) -> None:
    """A person's own new password, given the one it replaces. A wrong current password is a
    failed sign-in attempt (so this is no way around the throttle); a right one ends every
    session and token of the person but ``keep`` (the browser session making the change)."""
    form = parse(PasswordChange, data)
    with open_unit("write") as session:
        throttle = SignInThrottle(session.connection())
        attempt = throttle.admit(username, client)
        stored = session.scalar(select(User.password_hash).where(User.username == username))
    try:
        valid, _ = verify(form.current_password, stored)
        new_hash = hash_password(form.new_password) if valid else None
    except Busy:
        with open_unit("write") as session:
            SignInThrottle(session.connection()).withdraw(attempt)
        raise
    with open_unit("write") as session:
        throttle = SignInThrottle(session.connection())
        if new_hash is None:
            throttle.failed(attempt, now=utcnow())
        else:
            throttle.succeeded(attempt)
            user = session.scalars(select(User).where(User.username == username)).one()
            user.password_hash = new_hash
            revoke_all(session, user, keep=keep)
    if new_hash is None:
        raise InvalidInput(message("current_password_wrong"),
                           problems={"current_password": message("current_password_wrong")})


def code_proves(session: Session, user: User, code: object, client: str) -> bool:
    """Whether a code of the person's (app or recovery) proves it is them, before a change to
    their second factor: counted by the throttle like a sign-in, so that a stolen session
    cannot be used to guess codes either."""
    throttle = SignInThrottle(session.connection())
    attempt = throttle.admit(user.username, client)
    if two_factor.accepts(session, user.id, code, now=utcnow()):
        throttle.succeeded(attempt)
        return True
    throttle.failed(attempt, now=utcnow())
    return False


def _login_failed() -> Unauthorized:
    return Unauthorized(message("login_failed"), code="login_failed")
