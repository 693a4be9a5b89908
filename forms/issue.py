"""Issuing the forms as part of the action that calls for them (SPEC §6).

Registered as a document issuer on ``workflows.hooks``: inside the action's transaction it
numbers each notice, builds the document, stores the bytes and hands back the SHA-256 that
the audit event records. Also: previews that issue nothing, and verification of every
stored document against the trail."""

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, Subquery, func, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from forms import pdf
from forms.documents import Sheet, build
from grants.core import queries
from grants.core.actors import Actor
from grants.core.clock import utcnow
from grants.core.dates import fiscal_year_of
from grants.core.errors import InvalidInput
from grants.core.ja.documents import DOCUMENT_WORDS, FORM_NAMES
from grants.core.ja.messages import message
from grants.core.models import (
    AuditEvent,
    Document,
    DocumentCounter,
    DocumentPdf,
    Grant,
    Municipality,
    Org,
    OrgHead,
    Program,
)
from grants.core.settings import get_settings
from grants.core.wareki import era_year
from workflows import audit, hooks
from workflows.hooks import Context, IssuedDocument
from workflows.table import FORMS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


# Written with one INSERT on the connection: a document is written once and never changes,
# so it needs none of the ORM's change tracking (as audit events).
_STORE = Document.__table__.insert().returning(Document.__table__.c.id)


def issue(ctx: Context) -> list[IssuedDocument]:
    issued = []
    for form in ctx.transition.forms:
        issued_on = getattr(ctx.grant, form.dated) if form.dated else ctx.today
        # Numbered in the fiscal year of issue: a 令和9年度 notice on a 令和8年度 grant is 9….
        number = (next_number(ctx.session, ctx.org.id, fiscal_year_of(issued_on))
                  if form.from_org else None)
        sheet = Sheet(form=form.number, grant=ctx.grant, municipality=ctx.municipality,
                      org=ctx.org, issued_on=issued_on, number=number,
                      reason=getattr(ctx.body, "reason", None), amounts=ctx.amounts,
                      change=ctx.grant.pending_change, program=ctx.program,
                      issuer=org_head(ctx.session, ctx.org, issued_on),
                      cited=cited(ctx.session, ctx.grant.id))
        content = build(sheet)
        sha256 = hashlib.sha256(content).hexdigest()
        document_id = ctx.session.connection().execute(_STORE, {
            "grant_id": ctx.grant.id, "form": form.number, "title": sheet.title,
            "number": number, "sha256": sha256, "content": content, "issued_on": issued_on,
            "issued_at": ctx.now, "issued_by": ctx.actor.username}).scalar_one()
        issued.append(IssuedDocument(form.number, sha256, number, document_id))
    return issued


def org_head(session: Session, org: Org, on: date) -> tuple[str, str | None]:
    """The org's head on a day: the latest entry in force then, or its title alone."""
    head = session.scalars(select(OrgHead).where(OrgHead.org_id == org.id,
                                                 OrgHead.effective_from <= on)
                           .order_by(OrgHead.effective_from.desc()).limit(1)).first()
    return (head.title, head.name) if head else (org.head_title, None)


def cited(session: Session, grant_id: int) -> dict[int, tuple[date, str | None]]:
    """The latest document of each form already issued for the grant: what a new one cites."""
    found: dict[int, tuple[date, str | None]] = {}
    for form, issued_on, number in session.execute(
            select(Document.form, Document.issued_on, Document.number)
            .where(Document.grant_id == grant_id).order_by(Document.id)):
        found[form] = (issued_on, number)
    return found


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
    org = session.get(Org, municipality.org_id)
    sheet = Sheet(form=form, grant=grant, municipality=municipality, org=org, issued_on=today,
                  number=DOCUMENT_WORDS["draft_number"] if FORMS[form].from_org else None,
                  reason=last_reason, change=grant.pending_change,
                  program=session.get(Program, grant.fiscal_year),
                  issuer=org_head(session, org, today), cited=cited(session, grant.id))
    return build(sheet)


@dataclass(frozen=True)
class Mismatch:
    document_id: int
    problem: str


def verify(session: Session) -> tuple[int, list[Mismatch]]:
    """Re-hash every stored document, and every PDF made of one, and compare with its row
    and with the audit trail.

    One pass over each table, each file joined in the database with the hash its audit event
    recorded, streamed a hundred at a time: memory stays flat however long the trail."""
    dialect = session.get_bind().dialect.name
    count, mismatches = 0, []
    for entity, key, kept, what in ((Document, "id", Document.id, ""),
                                    (DocumentPdf, "pdf_of", DocumentPdf.document_id, "PDF ")):
        recorded = _recorded_hashes(dialect, key)
        with session.execute(
                select(kept, entity.sha256, entity.content, recorded.c.sha256.label("recorded"))
                .outerjoin(recorded, recorded.c.id == kept)
                .order_by(kept).execution_options(yield_per=100)) as rows:
            for document_id, stored, content, in_trail in rows:
                count += 1
                actual = hashlib.sha256(content).hexdigest()
                if in_trail is None:
                    problem = "not recorded in the audit trail"
                elif actual != in_trail:
                    problem = "content differs from the audit trail"
                elif actual != stored:
                    problem = "content differs from its recorded hash"
                else:
                    continue
                mismatches.append(Mismatch(document_id, what + problem))
    return count, mismatches


def _recorded_hashes(dialect: str, key: str = "id") -> Subquery:
    """(id, sha256) of every document (or, with key ``pdf_of``, every document's PDF) an
    audit event records, from the events' JSON."""
    events = AuditEvent.__table__
    if dialect == "postgresql":
        entry = func.json_array_elements(events.c.documents).table_valued("value").alias("entry")
        document_id = entry.c.value.op("->>")(key).cast(Integer)
        sha256 = entry.c.value.op("->>")("sha256")
    else:
        entry = func.json_each(events.c.documents).table_valued("value").alias("entry")
        document_id = func.json_extract(entry.c.value, f"$.{key}")
        sha256 = func.json_extract(entry.c.value, "$.sha256")
    return (select(document_id.label("id"), sha256.label("sha256"))
            .select_from(events).join(entry, true()).where(document_id.is_not(None)).subquery())


def filename(document: Document, municipality: Municipality) -> str:
    return f"{municipality.name}_様式第{document.form}号_{FORM_NAMES[document.form]}_{document.id}.docx"


# --- the PDF of an issued document -------------------------------------------------------

@dataclass(frozen=True)
class PdfOf:
    """An issued document someone asked for as PDF: the PDF if it was made before, else the
    .docx to make it from."""

    document_id: int
    grant_id: int
    form: int
    filename: str
    docx: bytes
    pdf: bytes | None


def pdf_of(session: Session, actor: Actor, document_id: int) -> PdfOf:
    """For whoever may download the document (404 outside the tenant, as for the .docx)."""
    document, municipality = queries.document_file(session, actor, document_id)
    kept = session.get(DocumentPdf, document_id)
    return PdfOf(document.id, document.grant_id, document.form,
                 filename(document, municipality).removesuffix(".docx") + ".pdf",
                 document.content, kept.content if kept else None)


def keep_pdf(session: Session, actor: Actor, made: PdfOf, content: bytes) -> bytes:
    """Keep the PDF just made, with its SHA-256 in the audit trail. Should another request
    have kept one for the same document first, that one stands and is what is returned."""
    sha256 = hashlib.sha256(content).hexdigest()
    now = utcnow()
    try:
        with session.begin_nested():
            session.connection().execute(DocumentPdf.__table__.insert(), {
                "document_id": made.document_id, "sha256": sha256, "content": content,
                "made_at": now})
    except IntegrityError:
        return session.get(DocumentPdf, made.document_id).content
    audit.append(session, grant_id=None, action="document_pdf", from_state=None, to_state=None,
                 actor=actor.username, actor_role=str(actor.role), occurred_at=now,
                 documents=[{"pdf_of": made.document_id, "grant_id": made.grant_id,
                             "form": made.form, "sha256": sha256}])
    return content


# One conversion per document at a time in this process: fifty people asking at once for a
# PDF not yet made wait for the one conversion, then all get what it made.
_converting: dict[int, tuple[threading.Lock, int]] = {}
_converting_guard = threading.Lock()


@contextmanager
def _one_conversion(document_id: int) -> Iterator[None]:
    with _converting_guard:
        lock, waiting = _converting.get(document_id, (threading.Lock(), 0))
        _converting[document_id] = (lock, waiting + 1)
    try:
        with lock:
            yield
    finally:
        with _converting_guard:
            lock, waiting = _converting[document_id]
            if waiting == 1:
                del _converting[document_id]
            else:
                _converting[document_id] = (lock, waiting - 1)


def make_pdf(open_unit: Callable[[str], AbstractContextManager[Session]], actor: Actor,
             asked: PdfOf) -> bytes:
    """The PDF of a document that had none when it was asked for: made once (whoever waited
    meanwhile finds it made), outside any transaction, then kept in a transaction of its own."""
    with _one_conversion(asked.document_id):
        with open_unit("read") as session:
            kept = session.get(DocumentPdf, asked.document_id)
            if kept is not None:
                return kept.content
        made = pdf.office.convert(asked.docx)
        with open_unit("write") as session:
            return keep_pdf(session, actor, asked, made)
