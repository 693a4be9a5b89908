"""What the API answers with. Inputs live in ``grants.core.schemas``."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from grants.core import dates, programs
from grants.core.actors import Actor, Role
from grants.core.ja.labels import ACTION_LABELS, ROLE_LABELS, state_label
from grants.core.models import Attachment, AuditEvent, Document, Municipality, Program, User
from grants.core.queries import GrantView, Page
from grants.core.wareki import fiscal_year_label

# Paging by key: ``after`` is the ``next_after`` of the previous page.


class ErrorOut(BaseModel):
    detail: str
    code: str
    problems: dict[str, str] | None = None


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime


class MeOut(BaseModel):
    username: str
    role: str
    role_label: str
    municipality_code: str | None
    org_id: str | None
    email: str | None
    two_factor: bool  # signs in with a code from an authenticator app as well


class BankAccountOut(BaseModel):
    """振込先. For auditors the number shows its last three digits and the holder is hidden."""

    bank_name: str
    bank_code: str
    branch_name: str
    branch_code: str
    account_type: str = Field(description="ordinary (普通) or current (当座)")
    account_number: str
    holder_kana: str


class MunicipalityOut(BaseModel):
    code: str
    name: str
    kana: str
    kind: str
    org_id: str
    head_title: str


class ProgramOut(BaseModel):
    fiscal_year: int
    fiscal_year_label: str
    cap_yen: int
    budget_yen: int | None
    committed_yen: int
    applications_open: date
    applications_close: date = Field(description="the window's close as the admin set it")
    applications_deadline: date = Field(description="the last day applications are taken: the "
                                        "close, or the next open day when the office is closed then")
    allows_advance: bool
    report_days_after_end: int
    report_deadline: date
    reminder_offsets: dict[str, Any]
    guideline_name: str = Field(description="the 交付要綱 the notices cite")
    guideline_articles: dict[str, str] = Field(description="the article each form rests on, by form")
    award_conditions: str = Field(description="the standard conditions of 様式第2号, one per line")


class GrantOut(BaseModel):
    id: int
    fiscal_year: int
    fiscal_year_label: str
    municipality_code: str
    municipality_name: str
    org_id: str
    state: str
    state_label: str
    title: str
    category: str | None
    actions: list[str]
    summary: str | None
    project_start: date | None
    project_end: date | None
    project_cost_yen: int | None
    requested_yen: int | None
    awarded_yen: int | None
    decision_date: date | None
    conditions: str | None
    pending_change: dict[str, Any] | None
    report_due: date | None
    actual_cost_yen: int | None
    outcomes: str | None
    completed_on: date | None
    confirmed_yen: int | None
    advanced_yen: int
    paid_yen: int
    refund_due_yen: int
    paid_on: date | None
    public_summary: str | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]


class GrantPage(BaseModel):
    items: list[GrantOut]
    next_after: int | None


class EventOut(BaseModel):
    seq: int
    grant_id: int
    action: str
    action_label: str
    from_state: str | None
    to_state: str
    actor: str
    actor_role: str
    occurred_at: datetime
    amounts: dict[str, Any]
    reason: str | None
    documents: list[dict[str, Any]]
    prev_hash: str
    hash: str


class EventPage(BaseModel):
    items: list[EventOut]
    next_after: int | None


class VerifyOut(BaseModel):
    ok: bool
    events: int
    first_broken: int | None
    problem: str | None


class AttachmentOut(BaseModel):
    id: int
    grant_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class AttachmentPage(BaseModel):
    items: list[AttachmentOut]
    next_after: int | None


class DocumentOut(BaseModel):
    id: int
    form: int
    title: str
    number: str | None
    sha256: str
    issued_on: date
    issued_at: datetime


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    next_after: int | None


def me_out(actor: Actor, user: User) -> MeOut:
    return MeOut(username=actor.username, role=actor.role, role_label=ROLE_LABELS[actor.role],
                 municipality_code=actor.municipality_code, org_id=actor.org_id,
                 email=user.email, two_factor=user.totp_enabled_at is not None)


def program_out(program: Program) -> ProgramOut:
    name, articles = programs.guideline(program)
    return ProgramOut(**program.model_dump() | {
        "guideline_name": name, "guideline_articles": articles,
        "award_conditions": programs.award_conditions(program),
        "applications_deadline": dates.applications_close(program)},
        fiscal_year_label=fiscal_year_label(program.fiscal_year))


def municipality_out(municipality: Municipality) -> MunicipalityOut:
    return MunicipalityOut(**municipality.model_dump(), head_title=municipality.head_title)


def grant_out(view: GrantView, actor: Actor, allowed: list[str]) -> GrantOut:
    fields = view.fields
    return GrantOut.model_validate({
        **fields, "fiscal_year_label": fiscal_year_label(fields["fiscal_year"]),
        "municipality_name": view.municipality_name, "org_id": view.org_id,
        "state_label": state_label(fields["state"], for_applicant=actor.role is Role.applicant),
        "allowed_actions": allowed})


def event_out(event: AuditEvent) -> EventOut:
    return EventOut(**event.model_dump(), action_label=ACTION_LABELS.get(event.action, event.action))


def attachment_out(record: Attachment) -> AttachmentOut:
    return AttachmentOut(id=record.id, grant_id=record.grant_id, filename=record.filename,
                         content_type=record.content_type, size=record.size,
                         sha256=record.sha256, uploaded_by=record.uploaded_by,
                         uploaded_at=record.uploaded_at)


def document_out(document: Document) -> DocumentOut:
    return DocumentOut(id=document.id, form=document.form, title=document.title,
                       number=document.number, sha256=document.sha256,
                       issued_on=document.issued_on, issued_at=document.issued_at)


P = TypeVar("P", bound=BaseModel)


def page_out(model: type[P], page: Page, item: Callable[[Any], BaseModel]) -> P:
    return model(items=[item(row) for row in page.items], next_after=page.next_after)
