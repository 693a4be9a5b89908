"""Sign in and sign out."""

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.concurrency import run_in_threadpool

from grants.api.deps import CallDep
from grants.api.errors import RESPONSES
from grants.api.schemas import ErrorOut, TokenOut
from grants.core.schemas import SignIn
from grants.core.sign_in import sign_in
from grants.core.users import revoke_token

router = APIRouter(prefix="/api", tags=["auth"], responses=RESPONSES)


def _as_sign_in_states(field: str):
    """A form field's schema says what ``SignIn`` takes for it (made with the schema)."""
    def stated(schema: dict) -> None:
        rules = SignIn.model_json_schema()["properties"][field]
        rules = next((s for s in rules.get("anyOf", [rules]) if s.get("type") == "string"), rules)
        schema.update({key: rules[key] for key in ("pattern", "maxLength", "minLength",
                                                   "description") if key in rules})
    return stated


@router.post("/auth/token", response_model=TokenOut,
             responses={429: {"model": ErrorOut}, 503: {"model": ErrorOut}})
async def login(call: CallDep,
                username: Annotated[str, Form(json_schema_extra=_as_sign_in_states("username"))],
                password: Annotated[str, Form(json_schema_extra=_as_sign_in_states("password"))],
                otp: Annotated[str | None, Form(json_schema_extra=_as_sign_in_states("otp"))] = None
                ) -> TokenOut:
    """Exchange a username and password (and, with two-factor sign-in on, the code of the
    authenticator app or a recovery code, ``otp``) for a bearer token (the OAuth2 password
    form; its other fields are not needed). Without the code such a person is told that a
    code is needed; a wrong code is answered like a wrong password. Repeated failures for a
    username from an address are refused for a while with 429 and ``Retry-After``."""
    signed = await run_in_threadpool(
        sign_in, call.sessions.open,
        {"username": username, "password": password, "otp": otp or None}, call.client)
    return TokenOut(access_token=signed.token, expires_at=signed.record.expires_at)


@router.post("/auth/logout", status_code=204)
async def logout(call: CallDep) -> None:
    """Revoke the token this request was made with."""
    await call(lambda session, _actor: revoke_token(session, call.token))
