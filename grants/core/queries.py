"""Reading grants and what hangs off them (events, documents, attachments) for a person, the
same way for the API and the pages: only what ``grants.core.access`` lets them see, lists paged
by key (``after`` the last id seen) so that a page costs the same however far down it is,
and files' contents loaded only when a file is downloaded."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import defer
from sqlmodel import Session

from grants.core import access
from grants.core.actors import Actor, note_user
from grants.core.models import Attachment, AuditEvent, Commitment, Document, Grant, Municipality, Program
from grants.core.users import TOKEN_OWNER, actor_from

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_after: Any  # pass as ``after`` for the next page; None on the last page


def _page(rows: list, limit: int, key) -> Page:
    if len(rows) <= limit:
        return Page(rows, None)
    rows = rows[:limit]
    return Page(rows, key(rows[-1]))


_GRANT = (select(Grant, Municipality)
          .join(Municipality, Municipality.code == Grant.municipality_code)
          .where(Grant.id == bindparam("grant_id")))


def readable_grant(session: Session, actor: Actor, grant_id: int) -> tuple[Grant, Municipality]:
    row = session.execute(_GRANT, {"grant_id": grant_id}).first()
    if row is None:
        raise access.not_found()
    grant, municipality = row
    access.may_read(actor, municipality.code, municipality.org_id).check()
    return grant, municipality


@dataclass(frozen=True)
class GrantView:
    """A grant as read for showing it: its columns, and its municipality's name and org."""

    fields: dict
    municipality_name: str
    org_id: str

    @property
    def state(self) -> str:
        return self.fields["state"]

    @property
    def municipality_code(self) -> str:
        return self.fields["municipality_code"]


GRANTS = Grant.__table__
# The read behind every look at one grant: the caller's token, who they are, the grant and
# its municipality in one round trip, as plain columns (no ORM objects to build). It is one
# statement, so it needs no transaction around it; the API runs it wherever that is cheapest
# (grants.api.deps), and reads the row with ``grant_for_token``.
GRANT_FOR_TOKEN = (
    TOKEN_OWNER.add_columns(*(column.label(f"grant_{column.key}") for column in GRANTS.c),
                            Municipality.name.label("grant_municipality_name"),
                            Municipality.org_id.label("grant_org_id"))
    .outerjoin(GRANTS, GRANTS.c.id == bindparam("grant_id"))
    .outerjoin(Municipality, Municipality.code == GRANTS.c.municipality_code)
)


def grant_for_token(values: Mapping[str, Any] | None) -> tuple[Actor | None, GrantView | None]:
    """From a GRANT_FOR_TOKEN row: who the token speaks for (None if nobody current) and the
    grant (None if there is none), not yet checked against each other."""
    if values is None:
        return None, None
    actor = actor_from(values)
    note_user(actor)
    if values["grant_id"] is None:
        return actor, None
    return actor, GrantView({column.key: values[f"grant_{column.key}"] for column in GRANTS.c},
                            values["grant_municipality_name"], values["grant_org_id"])


def grants_page(session: Session, actor: Actor, *, fiscal_year: int | None = None,
                municipality_code: str | None = None, state: str | None = None,
                org: str | None = None, after: int | None = None,
                limit: int = 50) -> Page[tuple[Grant, Municipality]]:
    """The grants the actor may read, newest first."""
    conditions = [access.grant_scope(actor)]
    for column, value in ((Grant.fiscal_year, fiscal_year),
                          (Grant.municipality_code, municipality_code),
                          (Grant.state, state), (Municipality.org_id, org)):
        if value is not None:
            conditions.append(column == value)
    if after is not None:
        conditions.append(Grant.id < after)
    rows = session.execute(
        select(Grant, Municipality).join(Municipality, Municipality.code == Grant.municipality_code)
        .where(*conditions).order_by(Grant.id.desc()).limit(limit + 1)).all()
    return _page([tuple(row) for row in rows], limit, lambda row: row[0].id)


def events_page(session: Session, actor: Actor, grant_id: int, *, after: int | None = None,
                limit: int = 100) -> Page[AuditEvent]:
    """One grant's audit trail, oldest first."""
    return _of_grant(session, actor, grant_id, AuditEvent, AuditEvent.seq, after, limit)


def documents_page(session: Session, actor: Actor, grant_id: int, *, after: int | None = None,
                   limit: int = 100) -> Page[Document]:
    """The forms issued for a grant, oldest first, without their contents."""
    return _of_grant(session, actor, grant_id, Document, Document.id, after, limit,
                     defer(Document.content))


def attachments_page(session: Session, actor: Actor, grant_id: int, *, after: int | None = None,
                     limit: int = 100) -> Page[Attachment]:
    """The files attached to a grant, oldest first, without their contents."""
    return _of_grant(session, actor, grant_id, Attachment, Attachment.id, after, limit,
                     defer(Attachment.content))


def _of_grant(session: Session, actor: Actor, grant_id: int, entity, key, after: int | None,
              limit: int, *options) -> Page:
    readable_grant(session, actor, grant_id)
    statement = select(entity).options(*options).where(entity.grant_id == grant_id)
    if after is not None:
        statement = statement.where(key > after)
    rows = list(session.scalars(statement.order_by(key).limit(limit + 1)))
    return _page(rows, limit, lambda row: getattr(row, key.key))


def document_file(session: Session, actor: Actor, document_id: int) -> tuple[Document, Municipality]:
    """A document to download: absent and outside the tenant answer alike."""
    return _file(session, actor, Document, document_id, "document")


def attachment_file(session: Session, actor: Actor, attachment_id: int) -> Attachment:
    """An attachment to download: absent and outside the tenant answer alike."""
    return _file(session, actor, Attachment, attachment_id, "attachment")[0]


def _file(session: Session, actor: Actor, entity, file_id: int, what: str) -> tuple:
    row = session.execute(
        select(entity, Municipality).join(Grant, Grant.id == entity.grant_id)
        .join(Municipality, Municipality.code == Grant.municipality_code)
        .where(entity.id == file_id)).first()
    if row is None:
        raise access.not_found(what)
    record, municipality = row
    access.may_read(actor, municipality.code, municipality.org_id, what=what).check()
    return record, municipality


def municipality_grants(session: Session, actor: Actor, municipality_code: str
                        ) -> list[tuple[Grant, Program]]:
    """One municipality's grants of every year, the latest year first, with their programs."""
    scope = access.grant_scope(actor)
    return [tuple(row) for row in session.execute(
        select(Grant, Program).join(Program, Program.fiscal_year == Grant.fiscal_year)
        .join(Municipality, Municipality.code == Grant.municipality_code)
        .where(scope, Grant.municipality_code == municipality_code)
        .order_by(Grant.fiscal_year.desc(), Grant.id.desc()))]


def committed_by_year(session: Session, municipality_code: str) -> dict[int, int]:
    """What a municipality holds against each year's cap."""
    return dict(session.execute(select(Commitment.fiscal_year, Commitment.committed_yen)
                                .where(Commitment.municipality_code == municipality_code)).all())


@dataclass(frozen=True)
class Queue:
    """Grants waiting, oldest first, and how many of them are in each state."""

    counts: dict[str, int]
    page: Page[tuple[Grant, Municipality]]


def queue(session: Session, actor: Actor, *, fiscal_year: int | None = None,
          municipality_code: str | None = None, state: str | None = None,
          states: frozenset[str] | None = None, text: str | None = None,
          after: tuple[datetime, int] | None = None, limit: int = 50) -> Queue:
    """The grants the actor may read, filtered (one state, or any of ``states``), those
    waiting longest first: ordered by the time of their last change, paged by key on (that
    time, id). The counts per state ignore the state filters."""
    conditions = [access.grant_scope(actor)]
    for column, value in ((Grant.fiscal_year, fiscal_year),
                          (Grant.municipality_code, municipality_code)):
        if value is not None:
            conditions.append(column == value)
    if text:
        conditions.append(Grant.title.contains(text, autoescape=True))
    joined = (select(Grant.state, func.count()).join(
        Municipality, Municipality.code == Grant.municipality_code).where(*conditions)
        .group_by(Grant.state))
    counts = dict(session.execute(joined).all())
    if state is not None:
        conditions.append(Grant.state == state)
    elif states is not None:
        conditions.append(Grant.state.in_(sorted(states)))
    if after is not None:
        moment, grant_id = after
        conditions.append(or_(Grant.updated_at > moment,
                              and_(Grant.updated_at == moment, Grant.id > grant_id)))
    rows = session.execute(
        select(Grant, Municipality).join(Municipality, Municipality.code == Grant.municipality_code)
        .where(*conditions).order_by(Grant.updated_at, Grant.id).limit(limit + 1)).all()
    return Queue(counts, _page([tuple(row) for row in rows], limit,
                               lambda row: (row[0].updated_at, row[0].id)))


def cap_use(session: Session, org_id: str, fiscal_year: int) -> list[tuple[Municipality, int]]:
    """What each of an org's municipalities holds against the year's cap, by code."""
    return [tuple(row) for row in session.execute(
        select(Municipality, Commitment.committed_yen)
        .join(Commitment, Commitment.municipality_code == Municipality.code)
        .where(Municipality.org_id == org_id, Commitment.fiscal_year == fiscal_year)
        .order_by(Municipality.code))]


@dataclass(frozen=True)
class GrantFile:
    """Everything a grant's page shows, read in four statements whatever its length."""

    grant: Grant
    municipality: Municipality
    program: Program
    events: list[AuditEvent]
    documents: list[Document]
    attachments: list[Attachment]


def grant_file(session: Session, actor: Actor, grant_id: int) -> GrantFile:
    row = session.execute(_GRANT.add_columns(Program).join(
        Program, Program.fiscal_year == Grant.fiscal_year), {"grant_id": grant_id}).first()
    if row is None:
        raise access.not_found()
    grant, municipality, program = row
    access.may_read(actor, municipality.code, municipality.org_id).check()

    def of_grant(entity, key, *options) -> list:
        return list(session.scalars(select(entity).options(*options)
                                    .where(entity.grant_id == grant_id).order_by(key)))
    return GrantFile(grant, municipality, program, of_grant(AuditEvent, AuditEvent.seq),
                     of_grant(Document, Document.id, defer(Document.content)),
                     of_grant(Attachment, Attachment.id, defer(Attachment.content)))
