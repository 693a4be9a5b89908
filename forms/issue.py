"""Issuing the forms as part of the action that calls for them (SPEC §6).

Registered as a document issuer on ``workflows.hooks``: inside the action's transaction it
numbers each notice, builds the document, stores the bytes and hands back the SHA-256 that
the audit event records. Also: previews that issue nothing, and verification of every
stored document against the trail."""

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, Subquery, func, select, true, update
from sqlmodel import Session

from forms.documents import Sheet, build
from grants.errors import InvalidInput
from grants.ja import DOCUMENT_WORDS, FORM_NAMES, message
from grants.models import AuditEvent, Document, DocumentCounter, Grant, Municipality, Org
from grants.settings import get_settings
from grants.wareki import era_year
from workflows import hooks
from workflows.hooks import Context, IssuedDocument
from workflows.table import FORMS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Written with one INSERT on the connection: a document is written once and never changes,
# so it needs none of the ORM's change tracking (as audit events).
_STORE = Document.__table__.insert().returning(Document.__table__.c.id)


def issue(ctx: Context) -> list[IssuedDocument]:
    issued = []
    for form in ctx.transition.forms:
        issued_on = getattr(ctx.grant, form.dated) if form.dated else ctx.today
        number = (next_number(ctx.session, ctx.org.id, ctx.grant.fiscal_year) if form.from_org
                  else None)
        sheet = Sheet(form=form.number, grant=ctx.grant, municipality=ctx.municipality,
                      org=ctx.org, issued_on=issued_on, number=number,
                      reason=getattr(ctx.body, "reason", None), amounts=ctx.amounts,
                      change=ctx.grant.pending_change)
        content = build(sheet)
        sha256 = hashlib.sha256(content).hexdigest()
        document_id = ctx.session.connection().execute(_STORE, {
            "grant_id": ctx.grant.id, "form": form.number, "title": sheet.title,
            "number": number, "sha256": sha256, "content": content, "issued_on": issued_on,
            "issued_at": ctx.now, "issued_by": ctx.actor.username}).scalar_one()
        issued.append(IssuedDocument(form.number, sha256, number, document_id))
    return issued


def register() -> None:
    """Attach issuing to every action; idempotent."""
    if issue not in hooks.document_issuers:
        hooks.document_issuers.append(issue)


def next_number(session: Session, org_id: str, fiscal_year: int) -> str:
    """The org's next number for the year. The counter row is incremented with one UPDATE,
    whose row lock makes concurrent issuers take turns instead of taking the same number."""
    counter = DocumentCounter.__table__
    bump = (update(counter)
            .where(counter.c.org_id == org_id, counter.c.fiscal_year == fiscal_year)
            .values(last_number=counter.c.last_number + 1)
            .returning(counter.c.last_number))
    number = session.connection().execute(bump).scalar()
    if number is None:
        session.add(DocumentCounter(org_id=org_id, fiscal_year=fiscal_year, last_number=1))
        session.flush()
        number = 1
    prefix = get_settings().document_prefixes.get(org_id, "")
    return f"{era_year(fiscal_year)}{prefix}第{number}号"


def preview(session: Session, grant: Grant, form: int, *, today: date) -> bytes:
    """A form as it would look for the grant today; nothing is numbered or stored."""
    if form not in FORMS:
        raise InvalidInput(message("unknown_form", form=form), problems={"form": "unknown"})
    municipality = session.get(Municipality, grant.municipality_code)
    last_reason = session.scalar(
        select(AuditEvent.reason).where(AuditEvent.grant_id == grant.id,
                                        AuditEvent.reason.is_not(None))
        .order_by(AuditEvent.seq.desc()).limit(1))
    sheet = Sheet(form=form, grant=grant, municipality=municipality,
                  org=session.get(Org, municipality.org_id), issued_on=today,
                  number=DOCUMENT_WORDS["draft_number"] if FORMS[form].from_org else None,
                  reason=last_reason, change=grant.pending_change)
    return build(sheet)


@dataclass(frozen=True)
class Mismatch:
    document_id: int
    problem: str


def verify(session: Session) -> tuple[int, list[Mismatch]]:
    """Re-hash every stored document and compare with its row and with the audit trail.

    One pass over the documents, each joined in the database with the hash its audit event
    recorded, streamed a hundred at a time: memory stays flat however long the trail."""
    recorded = _recorded_hashes(session.get_bind().dialect.name)
    count, mismatches = 0, []
    with session.execute(
            select(Document.id, Document.sha256, Document.content,
                   recorded.c.sha256.label("recorded"))
            .outerjoin(recorded, recorded.c.id == Document.id)
            .order_by(Document.id).execution_options(yield_per=100)) as rows:
        for document_id, stored, content, in_trail in rows:
            count += 1
            actual = hashlib.sha256(content).hexdigest()
            if in_trail is None:
                mismatches.append(Mismatch(document_id, "not recorded in the audit trail"))
            elif actual != in_trail:
                mismatches.append(Mismatch(document_id, "content differs from the audit trail"))
            elif actual != stored:
                mismatches.append(Mismatch(document_id, "content differs from its recorded hash"))
    return count, mismatches


def _recorded_hashes(dialect: str) -> Subquery:
    """(id, sha256) of every document an audit event records, from the events' JSON."""
    events = AuditEvent.__table__
    if dialect == "postgresql":
        entry = func.json_array_elements(events.c.documents).table_valued("value").alias("entry")
        document_id = entry.c.value.op("->>")("id").cast(Integer)
        sha256 = entry.c.value.op("->>")("sha256")
    else:
        entry = func.json_each(events.c.documents).table_valued("value").alias("entry")
        document_id = func.json_extract(entry.c.value, "$.id")
        sha256 = func.json_extract(entry.c.value, "$.sha256")
    return (select(document_id.label("id"), sha256.label("sha256"))
            .select_from(events).join(entry, true()).where(document_id.is_not(None)).subquery())


def filename(document: Document, municipality: Municipality) -> str:
    return f"{municipality.name}_様式第{document.form}号_{FORM_NAMES[document.form]}_{document.id}.docx"
