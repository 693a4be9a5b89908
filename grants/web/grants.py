"""A grant's pages: its file (facts, where it stands in the lifecycle, what may be done next,
its history, attachments and documents), the application form, a form for each action the
table allows, uploads and downloads. Every change goes through the same functions as the
API (``workflows.drafts``, ``workflows.apply``, ``workflows.attachments``), and a button or
form is offered only where the same permission the API asks allows it; a refusal is shown on
the form that caused it, with what was typed kept."""

from types import SimpleNamespace

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from forms import issue, pdf
from forms.issue import DOCX, PDF, filename
from grants.core import access, attachments, bank_accounts, dates, queries
from grants.core.actors import Actor, Role
from grants.core.clock import japan_date, utcnow
from grants.core.errors import Forbidden, GrantsError, NotFound
from grants.core.ja.messages import message
from grants.core.models import Program
from grants.core.programs import list_programs
from grants.core.schemas import GrantDraft, GrantEdit
from grants.http.downloads import download
from grants.http.params import Id
from grants.web import pictures
from grants.web.inputs import checked, collect, shown, typed_year, widgets
from grants.web.session import PageDep, see_other
from workflows import deadlines, drafts, money
from workflows.apply import allowed_actions, apply, may_take
from workflows.attachments import attach
from workflows.machine import Action
from workflows.table import RETURNED_BY, TRANSITIONS

router = APIRouter(include_in_schema=False)
APPLICATION = frozenset({"fiscal_year", "municipality_code"})  # fixed by who and when


# --- the application form (before /grants/{grant_id}, which "new" would otherwise match) --

@router.get("/grants/new", response_class=HTMLResponse, name="new_application")
async def new_application(page: PageDep) -> HTMLResponse:
    return await page.show("application.html", lambda s, a: _application(s, a, None))


def _application(session, actor: Actor, grant_id: int | None, typed=None) -> dict:
    file = queries.grant_file(session, actor, grant_id) if grant_id is not None else None
    if file is None:
        access.may_create(actor, actor.municipality_code).check()
    else:  # after the tenant's 404: another org's grant is not even "forbidden"
        drafts.may_edit(actor, file.grant.state, file.municipality.code,
                        file.municipality.org_id).check()
    today = japan_date(utcnow())
    programs = [p for p in list_programs(session) if dates.applications_close(p) >= today]
    fields = widgets(GrantDraft, skip=APPLICATION)
    context = {"grant": None, "returned_reason": None, "programs": programs, "widgets": fields,
               "values": shown(fields, typed)}
    if file is not None:
        context.update(grant=file.grant, programs=[file.program],
                       returned_reason=_return_reason(file.events),
                       values=shown(fields, typed, file.grant))
    return context


@router.post("/grants/new", response_class=HTMLResponse)
async def create_application(request: Request, page: PageDep) -> Response:
    form = await request.form()
    data, problems = collect(GrantDraft, form, skip=APPLICATION)
    year = form.get("fiscal_year")

    def work(session, actor: Actor) -> int:
        access.may_create(actor, actor.municipality_code).check()
        payload = {**data, "municipality_code": actor.municipality_code,
                   "fiscal_year": typed_year(year)}
        checked(GrantDraft, payload, problems)
        grant = drafts.create_draft(session, actor, payload)
        if form.get("then") == "submit":
            apply(session, grant.id, "submit", actor)
        return grant.id
    return await _application_posted(page, form, work, None)


# --- the grant's file --------------------------------------------------------------------

@router.get("/grants/{grant_id}", response_class=HTMLResponse)
async def grant_page(grant_id: Id, page: PageDep, done: str | None = None) -> HTMLResponse:
    return await page.show("grant.html", lambda s, a: _file(s, a, grant_id),
                           done=done if done in TRANSITIONS or done in ("save", "attach") else None)


def _file(session, actor: Actor, grant_id: int, **extra) -> dict:
    file = queries.grant_file(session, actor, grant_id)
    grant, municipality = file.grant, file.municipality
    code, org_id = municipality.code, municipality.org_id
    allowed = allowed_actions(actor, grant.state, code, org_id)
    returned = _return_reason(file.events) if grant.state in RETURNED_BY else None
    return {
        "file": file, "grant": grant, "municipality": municipality, "program": file.program,
        "allowed": [TRANSITIONS[a] for a in allowed], "due": deadlines.next_due(grant, file.program),
        "lifecycle": pictures.lifecycle(grant.state, for_applicant=actor.role is Role.applicant),
        "may_edit": bool(drafts.may_edit(actor, grant.state, code, org_id)),
        "may_attach": bool(access.may_attach(actor, code, org_id)),
        "returned_reason": returned, "upload_problem": None, "pdf_available": pdf.available(),
        "payment_account": bank_accounts.as_shown(grant.payment_account, actor, municipality),
        **extra,
    }


def _return_reason(events) -> str | None:
    for event in reversed(events):
        if event.action in RETURNED_BY.values():
            return event.reason
    return None


@router.get("/grants/{grant_id}/edit", response_class=HTMLResponse)
async def edit_application(grant_id: Id, page: PageDep) -> HTMLResponse:
    return await page.show("application.html", lambda s, a: _application(s, a, grant_id))


@router.post("/grants/{grant_id}/edit", response_class=HTMLResponse)
async def save_application(grant_id: Id, request: Request, page: PageDep) -> Response:
    form = await request.form()
    data, problems = collect(GrantEdit, form, skip=APPLICATION, clear_empty=True)

    def work(session, actor: Actor) -> int:
        checked(GrantEdit, data, problems)
        drafts.edit_draft(session, grant_id, actor, data)
        if form.get("then") == "submit":
            apply(session, grant_id, "submit", actor)
        return grant_id
    return await _application_posted(page, form, work, grant_id)


async def _application_posted(page, form, work, grant_id: int | None) -> Response:
    try:
        _, saved = await page.run(work, write=True)
    except (NotFound, Forbidden):
        raise
    except GrantsError as error:
        return await page.show("application.html",
                               lambda s, a: _application(s, a, grant_id, form),
                               status=error.status, typed=form, problem=error)
    return see_other(f"/grants/{saved}?done={'submit' if form.get('then') == 'submit' else 'save'}")


# --- a form for each action of the table -------------------------------------------------

def _transition(action: str):
    try:
        return TRANSITIONS[Action(action)]
    except ValueError:
        raise NotFound(message("not_found"), code="not_found") from None


@router.get("/grants/{grant_id}/actions/{action}", response_class=HTMLResponse)
async def action_form(grant_id: Id, action: str, page: PageDep) -> HTMLResponse:
    transition = _transition(action)
    return await page.show("action.html", lambda s, a: _action(s, a, grant_id, transition))


def _action(session, actor: Actor, grant_id: int, transition, typed=None) -> dict:
    file = queries.grant_file(session, actor, grant_id)
    may_take(actor, file.grant.state, file.municipality.code, file.municipality.org_id,
             transition.action).check()
    program: Program = file.program
    budget_left = (None if program.budget_yen is None
                   else max(program.budget_yen - program.committed_yen, 0))
    # The 交付請求 starts from the account the municipality gave before, if any.
    account = (bank_accounts.saved(session, file.grant.municipality_code)
               if transition.action is Action.request_payment else None)
    return {"file": file, "grant": file.grant, "municipality": file.municipality,
            "transition": transition, "widgets": widgets(transition.body),
            "values": shown(widgets(transition.body), typed,
                            SimpleNamespace(**account) if account else None),
            "cap_left": money.cap_left(session, file.grant.municipality_code, program),
            "budget_left": budget_left, "returned_reason": None}


@router.post("/grants/{grant_id}/actions/{action}", response_class=HTMLResponse)
async def take_action(grant_id: Id, action: str, request: Request, page: PageDep) -> Response:
    transition = _transition(action)
    form = await request.form()
    data, problems = collect(transition.body, form)

    def work(session, actor: Actor) -> None:
        checked(transition.body, data, problems)
        apply(session, grant_id, action, actor, data)
    try:
        await page.run(work, write=True)
    except (NotFound, Forbidden):
        raise
    except GrantsError as error:  # the state, the cap, the input, a colleague's action first
        return await page.show("action.html",
                               lambda s, a: _action_or_file(s, a, grant_id, transition, form),
                               status=error.status, typed=form, problem=error)
    return see_other(f"/grants/{grant_id}?done={action}")


def _action_or_file(session, actor: Actor, grant_id: int, transition, typed) -> dict:
    """The form again; or, if the grant has moved on meanwhile, its file with the refusal."""
    try:
        return _action(session, actor, grant_id, transition, typed)
    except GrantsError:
        return {**_file(session, actor, grant_id), "transition": None}


# --- attachments and documents -------------------------------------------------------

@router.post("/grants/{grant_id}/attachments", response_class=HTMLResponse)
async def upload(grant_id: Id, request: Request, page: PageDep) -> Response:
    form = await request.form()
    sent = form.get("file")
    content = await sent.read(attachments.MAX_BYTES + 1) if isinstance(sent, UploadFile) else b""
    name = sent.filename if isinstance(sent, UploadFile) else None
    try:
        await page.run(lambda s, a: attach(s, grant_id, a, name, content), write=True)
    except (NotFound, Forbidden):
        raise
    except GrantsError as error:
        return await page.show("grant.html", lambda s, a: _file(s, a, grant_id),
                               status=error.status, upload_problem=error.detail, done=None)
    return see_other(f"/grants/{grant_id}?done=attach")


@router.get("/documents/{document_id}")
async def document(document_id: Id, page: PageDep) -> Response:
    _, (record, municipality) = await page.run(
        lambda s, a: queries.document_file(s, a, document_id))
    return download(record.content, DOCX, filename(record, municipality))


@router.get("/documents/{document_id}/pdf")
async def document_pdf(document_id: Id, page: PageDep) -> Response:
    actor, asked = await page.run(lambda s, a: issue.pdf_of(s, a, document_id))
    content = asked.pdf or await run_in_threadpool(issue.make_pdf, page.sessions.open, actor, asked)
    return download(content, PDF, asked.filename)


@router.get("/attachments/{attachment_id}")
async def attachment(attachment_id: Id, page: PageDep) -> Response:
    _, record = await page.run(lambda s, a: queries.attachment_file(s, a, attachment_id))
    return download(record.content, record.content_type, record.filename)

