"""Sign in, sign out, and who am I."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordRequestForm

from grants.api.deps import CallDep
from grants.api.errors import RESPONSES
from grants.api.schemas import ErrorOut, MeOut, TokenOut, me_out
from grants.core.users import get_user, revoke_token, sign_in

router = APIRouter(prefix="/api", tags=["auth"], responses=RESPONSES)


@router.post("/auth/token", response_model=TokenOut,
             responses={429: {"model": ErrorOut}, 503: {"model": ErrorOut}})
async def login(call: CallDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> TokenOut:
    """Exchange a username and password for a bearer token (OAuth2 password form).
    Repeated failures for a username or from an address are refused for a while with 429
    and ``Retry-After``."""
    token, record = await run_in_threadpool(
        sign_in, call.sessions.open, {"username": form.username, "password": form.password},
        call.client)
    return TokenOut(access_token=token, expires_at=record.expires_at)


@router.post("/auth/logout", status_code=204)
async def logout(call: CallDep) -> None:
    """Revoke the token this request was made with."""
    await call(lambda session, _actor: revoke_token(session, call.token))


@router.get("/me", response_model=MeOut)
async def me(call: CallDep) -> MeOut:
    return await call(lambda session, actor: me_out(actor, get_user(session, actor.username).email))
