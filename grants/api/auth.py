"""Sign in and sign out."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordRequestForm

from grants.api.deps import CallDep
from grants.api.errors import RESPONSES
from grants.api.schemas import ErrorOut, TokenOut
from grants.core.sign_in import sign_in
from grants.core.users import revoke_token

router = APIRouter(prefix="/api", tags=["auth"], responses=RESPONSES)


@router.post("/auth/token", response_model=TokenOut,
             responses={429: {"model": ErrorOut}, 503: {"model": ErrorOut}})
async def login(call: CallDep, form: Annotated[OAuth2PasswordRequestForm, Depends()],
                otp: Annotated[str | None, Form(max_length=20, description=(
                    "The code of the authenticator app (or a recovery code), for people with "
                    "two-factor sign-in on"))] = None) -> TokenOut:
    """Exchange a username and password (and, with two-factor sign-in on, a code) for a
    bearer token (OAuth2 password form). Without the code such a person is told that a code
    is needed; a wrong code is answered like a wrong password. Repeated failures for a
    username from an address are refused for a while with 429 and ``Retry-After``."""
    signed = await run_in_threadpool(
        sign_in, call.sessions.open,
        {"username": form.username, "password": form.password, "otp": otp or None}, call.client)
    return TokenOut(access_token=signed.token, expires_at=signed.record.expires_at)


@router.post("/auth/logout", status_code=204)
async def logout(call: CallDep) -> None:
    """Revoke the token this request was made with."""
    await call(lambda session, _actor: revoke_token(session, call.token))
