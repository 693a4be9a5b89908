"""Sign in, sign out, and who am I."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from grants.api.deps import CallDep
from grants.api.errors import RESPONSES
from grants.api.schemas import ErrorOut, MeOut, TokenOut, me_out
from grants.core.errors import Unauthorized
from grants.core.ja.messages import message
from grants.core.users import check_sign_in, finish_sign_in, get_user, revoke_token

router = APIRouter(prefix="/api", tags=["auth"], responses=RESPONSES)


@router.post("/auth/token", response_model=TokenOut, responses={429: {"model": ErrorOut}})
async def login(call: CallDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> TokenOut:
    """Exchange a username and password for a bearer token (OAuth2 password form).
    Repeated failures for a username or from an address are refused for a while with 429
    and ``Retry-After``."""
    signing_in, verified = await call.anonymous(
        lambda session: check_sign_in(session, {"username": form.username,
                                                "password": form.password}, call.client),
        mode="read")  # Argon2 runs outside any write transaction
    issued = await call.anonymous(
        lambda session: finish_sign_in(session, signing_in.username, call.client, verified))
    if issued is None:
        raise Unauthorized(message("login_failed"), code="login_failed")
    token, record = issued
    return TokenOut(access_token=token, expires_at=record.expires_at)


@router.post("/auth/logout", status_code=204)
async def logout(call: CallDep) -> None:
    """Revoke the token this request was made with."""
    await call(lambda session, _actor: revoke_token(session, call.token))


@router.get("/me", response_model=MeOut)
async def me(call: CallDep) -> MeOut:
    return await call(lambda session, actor: me_out(actor, get_user(session, actor.username).email))
