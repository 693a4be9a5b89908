"""Each person's own account: changing their password, and two-factor sign-in (set up with
a QR code drawn on the server, confirmed with the first code, ten recovery codes shown once;
new recovery codes, or turning it off, each with a code). Someone whose role requires
two-factor sign-in and who has none is signed in to this page alone until it is set up.

Secrets and recovery codes appear only in the answer to the post that made them, never in
an address, and are not kept by the browser (``Cache-Control: no-store``)."""

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from grants.core import two_factor
from grants.core.actors import Actor, Role
from grants.core.clock import utcnow
from grants.core.errors import GrantsError, InvalidInput
from grants.core.ja.messages import message
from grants.core.sign_in import change_password, code_proves
from grants.core.users import end_enrolment, get_user
from grants.web.session import PageDep, see_other

router = APIRouter(prefix="/account", include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}
DONE = ("own_password", "two_factor_off")


def _account(session, actor: Actor, **shown) -> dict:
    user = get_user(session, actor.username)
    return {"user": user, "two_factor_on": two_factor.is_on(user),
            "two_factor_required": two_factor.required(session, Role(user.role)),
            "recovery_left": two_factor.recovery_codes_left(session, user.id),
            "enrolment": None, "recovery_codes": None, "problem": None, "problem_for": None,
            **shown}


@router.get("", response_class=HTMLResponse)
async def account_page(page: PageDep, done: str | None = None, enrol: str | None = None
                       ) -> HTMLResponse:
    return await page.show("account.html", _account, enrolling=True,
                           done=done if done in DONE else None, enrol=enrol == "1")


async def _refused(page, error: GrantsError, problem_for: str) -> HTMLResponse:
    return await page.show("account.html", lambda s, a: _account(
        s, a, problem=error, problem_for=problem_for), enrolling=True, status=error.status,
        done=None, enrol=False, headers=NO_STORE)


@router.post("/password", response_class=HTMLResponse)
async def new_password(request: Request, page: PageDep) -> Response:
    form = await request.form()
    typed = {name: form.get(name) for name in ("current_password", "new_password",
                                                "new_password_again")}
    me, _ = await page.run(lambda s, a: None, enrolling=True)
    try:
        await run_in_threadpool(change_password, page.sessions.open, me.username, typed,
                                _client(request), keep=page.token)
    except GrantsError as error:
        return await _refused(page, error, "password")
    return see_other("/account?done=own_password")


@router.post("/two-factor", response_class=HTMLResponse)
async def start(page: PageDep) -> Response:
    """A new secret to set up: the QR code, the secret to type, and the box for the first
    code."""
    def work(session, actor):
        return two_factor.start(session, get_user(session, actor.username))
    _, enrolment = await page.run(work, write=True, enrolling=True)
    return await page.show("account.html", lambda s, a: _account(s, a, enrolment=enrolment),
                           enrolling=True, done=None, enrol=False, headers=NO_STORE)


@router.post("/two-factor/confirm", response_class=HTMLResponse)
async def confirm(request: Request, page: PageDep) -> Response:
    code = (await request.form()).get("code")

    def work(session, actor):
        codes = two_factor.confirm(session, get_user(session, actor.username), code, now=utcnow())
        end_enrolment(session, page.token)  # set up: this session may go anywhere now
        return codes
    try:
        _, codes = await page.run(work, write=True, enrolling=True)
    except GrantsError as error:
        return await _refused(page, error, "confirm")
    return await page.show("account.html", lambda s, a: _account(s, a, recovery_codes=codes),
                           done=None, enrol=False, headers=NO_STORE)


@router.post("/two-factor/recovery-codes", response_class=HTMLResponse)
async def recovery_codes(request: Request, page: PageDep) -> Response:
    """Ten new recovery codes (the old ones end), given a code of the person's."""
    code, client = (await request.form()).get("code"), _client(request)

    def work(session, actor):
        user = get_user(session, actor.username)
        return two_factor.new_recovery_codes(session, user) if code_proves(
            session, user, code, client) else None
    try:
        _, codes = await page.run(work, write=True)
    except GrantsError as error:
        return await _refused(page, error, "recovery")
    if codes is None:
        return await _refused(page, _wrong_code(), "recovery")
    return await page.show("account.html", lambda s, a: _account(s, a, recovery_codes=codes),
                           done=None, enrol=False, headers=NO_STORE)


@router.post("/two-factor/off", response_class=HTMLResponse)
async def turn_off(request: Request, page: PageDep) -> Response:
    """Off, given a code of the person's (where their role does not require it)."""
    code, client = (await request.form()).get("code"), _client(request)

    def work(session, actor):
        user = get_user(session, actor.username)
        if not code_proves(session, user, code, client):
            return False
        two_factor.turn_off(session, user)
        return True
    try:
        _, turned_off = await page.run(work, write=True)
    except GrantsError as error:
        return await _refused(page, error, "off")
    if not turned_off:
        return await _refused(page, _wrong_code(), "off")
    return see_other("/account?done=two_factor_off")


def _wrong_code() -> InvalidInput:
    return InvalidInput(message("totp_wrong_code"), problems={"code": message("totp_wrong_code")})


def _client(request: Request) -> str:
    return request.client.host if request.client else ""
