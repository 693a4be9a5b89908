"""Two-factor sign-in: a time-based one-time code (TOTP, RFC 6238, with pyotp) from the
person's authenticator app, or one of ten one-time recovery codes.

- Anyone may turn it on: a new secret is shown (a QR code drawn on the server as SVG, with
  segno, and the secret itself), and the first code it gives confirms it; then the ten
  recovery codes are shown, once. The secret is kept sealed with the site's key
  (``GRANTS_SECRET_KEY``, Fernet); the recovery codes as HMACs under it.
- A code is accepted once: the time step of the last one accepted is kept, and only a later
  step is accepted (a conditional UPDATE, so two requests with the same code cannot both
  pass). A recovery code is marked used the same way.
- The admin may require it per role (in production the secretariat, auditors and admins by
  default) and reset it for a person who lost their phone."""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, select, update
from sqlmodel import Session

from grants.core.actors import Role
from grants.core.errors import Refused
from grants.core.ja.labels import TOTP_ISSUER
from grants.core.ja.messages import message
from grants.core.models import ApiToken, RecoveryCode, RolePolicy, User
from grants.core.settings import get_settings

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
REQUIRED_IN_PRODUCTION = frozenset({Role.secretariat, Role.auditor, Role.admin})


@dataclass(frozen=True)
class Enrolment:
    """A secret being set up: for the app (the address a QR code carries) and for typing."""

    secret: str
    otpauth_uri: str

    @property
    def grouped_secret(self) -> str:
        """The secret in groups of four, as it is easier to type (apps ignore the spaces)."""
        return " ".join(self.secret[n:n + 4] for n in range(0, len(self.secret), 4))

    @property
    def qr_svg(self) -> str:
        """The QR code as SVG, drawn here: no image leaves the server, no script runs."""
        return segno.make(self.otpauth_uri, error="m").svg_inline(
            scale=5, dark="#1a1a1a", light="#ffffff", title=message("totp_qr_title"))


# --- sealing with the site's key -----------------------------------------------------------

def _key(purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{get_settings().secret_key}".encode()).digest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key("totp-secret")))


def _seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def _unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def _code_hash(code: str) -> str:
    return hmac.new(_key("recovery-code"), _plain(code).encode(), hashlib.sha256).hexdigest()


def _plain(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


# --- the person's own --------------------------------------------------------------------

def is_on(user: User) -> bool:
    return user.totp_enabled_at is not None and user.totp_secret is not None


def start(session: Session, user: User) -> Enrolment:
    """A new secret to set up (the one in use, if any, stays until the new one is confirmed)."""
    secret = pyotp.random_base32()
    user.totp_pending = _seal(secret)
    session.flush()
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)
    return Enrolment(secret, uri)


def confirm(session: Session, user: User, code: object, *, now: datetime) -> list[str]:
    """The first code of the secret being set up turns it on; the recovery codes, new, are
    answered (shown once: only their HMACs are kept)."""
    secret = _unseal(user.totp_pending) if user.totp_pending else None
    if secret is None:
        raise Refused(message("totp_not_started"), code="totp_not_started")
    step = _step_of(secret, code, now)
    if step is None:
        raise Refused(message("totp_wrong_code"), code="totp_wrong_code",
                      problems={"code": message("totp_wrong_code")})
    user.totp_secret, user.totp_pending = user.totp_pending, None
    user.totp_enabled_at, user.totp_last_step = now, step
    session.flush()
    return new_recovery_codes(session, user)


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Ten new one-time codes, the old ones ended."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["-".join("".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(5))
                      for _ in range(2)) for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(code)) for code in codes)
    session.flush()
    return codes


def turn_off(session: Session, user: User) -> None:
    """Off, at the person's own wish: refused where their role requires it."""
    if required(session, Role(user.role)):
        raise Refused(message("totp_required_for_role"), code="totp_required")
    forget(session, user)


def forget(session: Session, user: User) -> None:
    """Everything of the second factor gone (turned off, or reset by the admin)."""
    user.totp_secret = user.totp_pending = user.totp_enabled_at = user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()


# --- checking a code at sign-in ------------------------------------------------------------

def accepts(session: Session, user_id: int, code: object, *, now: datetime) -> bool:
    """Whether this code signs the person in now: a TOTP code of a later step than the last
    one accepted, or an unused recovery code; either is used up by accepting it."""
    if not isinstance(code, str) or not code.strip():
        return False
    user = session.get(User, user_id)
    secret = _unseal(user.totp_secret) if user is not None and user.totp_secret else None
    if secret is None:
        return False
    step = _step_of(secret, code, now)
    if step is not None:
        taken = session.execute(update(User).where(
            User.id == user_id, (User.totp_last_step.is_(None)) | (User.totp_last_step < step))
            .values(totp_last_step=step))
        return taken.rowcount == 1
    used = session.execute(update(RecoveryCode).where(
        RecoveryCode.user_id == user_id, RecoveryCode.code_hash == _code_hash(code),
        RecoveryCode.used_at.is_(None)).values(used_at=now))
    return used.rowcount == 1


def _step_of(secret: str, code: object, now: datetime) -> int | None:
    """The time step (of now, the one before or the one after: a phone's clock may be off
    by half a minute) whose code this is, or None."""
    if not isinstance(code, str):
        return None
    digits = "".join(code.split())
    if len(digits) != 6 or not digits.isascii() or not digits.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    moment = int(now.timestamp())
    for offset in (0, -1, 1):
        at = moment + offset * totp.interval
        if hmac.compare_digest(totp.at(at), digits):
            return at // totp.interval
    return None


def recovery_codes_left(session: Session, user_id: int) -> int:
    return len(session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))).all())


# --- the admin's rules ---------------------------------------------------------------------

def required(session: Session, role: Role) -> bool:
    """Whether this role must sign in with a second factor."""
    policy = session.get(RolePolicy, str(role))
    if policy is not None:
        return policy.totp_required
    return get_settings().environment == "production" and role in REQUIRED_IN_PRODUCTION


def set_required(session: Session, role: Role, is_required: bool, *, now: datetime) -> None:
    """Require it of a role (or not). Whoever of that role has none set up is signed out
    everywhere, to set it up at their next sign-in."""
    policy = session.get(RolePolicy, str(role)) or RolePolicy(role=str(role), totp_required=False)
    policy.totp_required = is_required
    session.add(policy)
    if is_required:
        without = select(User.id).where(User.role == str(role), User.totp_enabled_at.is_(None))
        session.execute(update(ApiToken).where(ApiToken.user_id.in_(without),
                                               ApiToken.revoked_at.is_(None))
                        .values(revoked_at=now))
    session.flush()
