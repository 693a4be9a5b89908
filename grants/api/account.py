"""The signed-in person's own account: who they are, and their two-factor sign-in."""

from fastapi import APIRouter
from pydantic import BaseModel

from grants.api.deps import CallDep
from grants.api.errors import RESPONSES
from grants.api.schemas import MeOut, me_out
from grants.core import two_factor
from grants.core.clock import utcnow
from grants.core.schemas import CodeBody
from grants.core.users import get_user

router = APIRouter(prefix="/api/me", tags=["account"], responses=RESPONSES)


class TotpEnrolmentOut(BaseModel):
    """A secret to set up in an authenticator app: typed, or as the address a QR code holds."""

    secret: str
    otpauth_uri: str


class RecoveryCodesOut(BaseModel):
    """Two-factor sign-in is on. Ten one-time codes for signing in without the app: shown
    this once; keep them somewhere safe."""

    recovery_codes: list[str]


@router.get("", response_model=MeOut)
async def me(call: CallDep) -> MeOut:
    return await call(lambda session, actor: me_out(actor, get_user(session, actor.username)))


@router.post("/totp", response_model=TotpEnrolmentOut)
async def start_totp(call: CallDep) -> TotpEnrolmentOut:
    """Start setting up two-factor sign-in: a new secret, on once its first code confirms it
    (``POST /api/me/totp/confirm``); a secret already on stays on until then."""
    def work(session, actor):
        enrolment = two_factor.start(session, get_user(session, actor.username))
        return TotpEnrolmentOut(secret=enrolment.secret, otpauth_uri=enrolment.otpauth_uri)
    return await call(work)


@router.post("/totp/confirm", response_model=RecoveryCodesOut)
async def confirm_totp(body: CodeBody, call: CallDep) -> RecoveryCodesOut:
    """The first code of the secret being set up turns two-factor sign-in on."""
    def work(session, actor):
        return RecoveryCodesOut(recovery_codes=two_factor.confirm(
            session, get_user(session, actor.username), body.code, now=utcnow()))
    return await call(work)
