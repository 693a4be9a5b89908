"""Sign in, sign out, and who am I."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from grants.api.deps import CallDep
from grants.api.errors import RESPONSES
from grants.api.schemas import MeOut, TokenOut, me_out
from grants.errors import Unauthorized
from grants.ja import message
from grants.users import get_user, revoke_token, sign_in, verify_password

router = APIRouter(prefix="/api", tags=["auth"], responses=RESPONSES)


@router.post("/auth/token", response_model=TokenOut)
async def login(call: CallDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> TokenOut:
    """Exchange a username and password for a bearer token (OAuth2 password form)."""
    verified = await call.anonymous(
        lambda session: verify_password(session, form.username, form.password), write=False)
    if verified is None:
        raise Unauthorized(message("login_failed"), code="login_failed")

    def work(session):
        token, record = sign_in(session, verified)
        return TokenOut(access_token=token, expires_at=record.expires_at)
    return await call.anonymous(work)


@router.post("/auth/logout", status_code=204)
async def logout(call: CallDep) -> None:
    """Revoke the token this request was made with."""
    await call(lambda session, _actor: revoke_token(session, call.token))


@router.get("/me", response_model=MeOut)
async def me(call: CallDep) -> MeOut:
    return await call(lambda session, actor: me_out(actor, get_user(session, actor.username).email))
