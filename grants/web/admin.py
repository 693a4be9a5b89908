"""The admin's pages: fiscal-year programs (cap, budget, application window, 概算払) and users
(add, disable, enable, reset password), through the same functions and rules as the command
line and the API."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from grants.core import access, programs, two_factor, users
from grants.core.actors import Role
from grants.core.clock import utcnow
from grants.core.errors import Forbidden, GrantsError
from grants.core.models import Org
from grants.core.municipalities import list_municipalities
from grants.core.schemas import ProgramBody, ProgramPatch
from grants.http.params import FiscalYear
from grants.web.inputs import REMINDER_DAYS, REMINDER_LISTS, checked, collect, collect_offsets, typed_year, widgets
from grants.web.session import PageDep, see_other
from notifications import delivery

router = APIRouter(prefix="/admin", include_in_schema=False)
Username = Annotated[str, Path(pattern=r"^[A-Za-z0-9._@-]{3,64}$")]
ROLES = ("applicant", "secretariat", "auditor", "admin")


def _overview(session, actor) -> dict:
    access.may_administer(actor).check()
    return {"programs": programs.list_programs(session), "users": users.list_users(session),
            "municipalities": list_municipalities(session), "roles": ROLES,
            "orgs": list(session.scalars(select(Org).order_by(Org.id))),
            "failed_mail": delivery.failed_count(session),
            "program_widgets": widgets(ProgramBody), "reminder_lists": REMINDER_LISTS,
            "reminder_days": REMINDER_DAYS, "guideline": programs.guideline,
            "award_conditions": programs.award_conditions,
            "lockouts": users.lockouts(session, limit=20),
            "two_factor_roles": {role: two_factor.required(session, Role(role)) for role in ROLES}}


async def _show(page, *, status: int = 200, typed=None, problem=None, problem_for=None,
                issued_password=None, done=None) -> HTMLResponse:
    return await page.show("admin.html", _overview, status=status, typed=typed,
                           problem=problem, problem_for=problem_for,
                           issued_password=issued_password, done=done)


@router.get("", response_class=HTMLResponse)
async def admin_home(page: PageDep, done: str | None = None) -> HTMLResponse:
    return await _show(page, done=done)


async def _posted(page, work, form, problem_for: str, done: str) -> Response:
    """Take the form; on refusal, the page again with the reason and what was typed."""
    try:
        _, result = await page.run(work, write=True)
    except Forbidden:
        raise
    except GrantsError as error:
        return await _show(page, status=error.status, typed=form, problem=error,
                           problem_for=problem_for)
    if isinstance(result, tuple):  # (username, a password made for them), shown once
        return await _show(page, issued_password=result, done=done)
    return see_other(f"/admin?done={done}")


@router.post("/programs", response_class=HTMLResponse)
async def add_program(request: Request, page: PageDep) -> Response:
    form = await request.form()
    data, problems = collect(ProgramBody, form)
    data["allows_advance"] = form.get("allows_advance") == "on"
    if "fiscal_year" in data:
        data["fiscal_year"] = typed_year(data["fiscal_year"])

    def work(session, actor):
        access.may_administer(actor).check()
        checked(ProgramBody, data, problems)
        programs.add_program(session, data)
    return await _posted(page, work, form, "program", "program")


@router.post("/programs/{fiscal_year}", response_class=HTMLResponse)
async def change_program(fiscal_year: FiscalYear, request: Request, page: PageDep) -> Response:
    form = await request.form()
    data, problems = collect(ProgramPatch, form)
    data["allows_advance"] = form.get("allows_advance") == "on"
    if form.get("no_budget") == "on":
        data["budget_yen"] = None
    offsets, offset_problems = collect_offsets(form)
    if offsets:
        data["reminder_offsets"] = offsets
    problems |= offset_problems

    def work(session, actor):
        access.may_administer(actor).check()
        checked(ProgramPatch, data, problems)
        programs.change_program(session, fiscal_year, data)
    return await _posted(page, work, form, f"program-{fiscal_year}", "program")


@router.post("/users", response_class=HTMLResponse)
async def add_user(request: Request, page: PageDep) -> Response:
    form = await request.form()
    password = users.initial_password()
    data = {key: (form.get(key) or None) for key in ("username", "role", "municipality_code",
                                                     "org_id", "email")}
    data["password"] = password

    def work(session, actor) -> tuple[str, str]:
        access.may_administer(actor).check()
        user = users.add_user(session, data)
        return user.username, password
    return await _posted(page, work, form, "user", "user")


@router.post("/users/{username}/{change}", response_class=HTMLResponse)
async def change_user(username: Username, change: str, request: Request,
                      page: PageDep) -> Response:
    form = await request.form()

    def work(session, actor):
        access.may_administer(actor).check()
        if change == "password":
            return username, users.reset_password(session, username)
        if change == "unlock":
            return users.unlock(session, username)
        if change == "two-factor-reset":
            return users.reset_two_factor(session, username)
        users.set_disabled(session, username, {"disable": True, "enable": False}[change])
    if change not in ("disable", "enable", "password", "unlock", "two-factor-reset"):
        return see_other("/admin")
    return await _posted(page, work, form, f"user-{username}", change)


@router.post("/two-factor", response_class=HTMLResponse)
async def two_factor_roles(request: Request, page: PageDep) -> Response:
    """Which roles must sign in with a second factor (the boxes ticked)."""
    form = await request.form()
    required = set(form.getlist("required"))

    def work(session, actor):
        access.may_administer(actor).check()
        for role in ROLES:
            two_factor.set_required(session, Role(role), role in required, now=utcnow())
    return await _posted(page, work, form, "two_factor", "two_factor")
