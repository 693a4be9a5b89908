"""The grant ledger (助成金台帳, SPEC §8): one row per grant with its amounts, dates and state,
read for whoever may export it, a thousand rows at a time, so that memory does not grow with
the ledger. The files it is written to are in ``ledger_files``."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Text, cast, func, select
from sqlmodel import Session

from grants.core import access
from grants.core.actors import Actor
from grants.core.clock import japan_date
from grants.core.dates import fiscal_year_of
from grants.core.ja.labels import CATEGORY_LABELS, DECLARED_ACTION_LABELS, STATE_LABELS, state_label
from grants.core.ja.ledger import LEDGER_HEADERS
from grants.core.models import Document, Grant, Municipality, Org
from grants.core.wareki import fiscal_year_label

DECISION_FORM = 2  # 様式第2号 交付決定通知書: its number is the decision's
RETENTION_YEARS = 5  # kept 5 years after the end of the fiscal year in which the project ended


@dataclass(frozen=True)
class LedgerFilter:
    fiscal_year: int | None = None
    org: str | None = None
    municipality_code: str | None = None
    state: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if v is not None}


# Each column: its key (JSON), and how a spreadsheet should hold it.
COLUMNS: dict[str, str] = {
    "grant_id": "int", "fiscal_year": "int", "fiscal_year_label": "text",
    "municipality_code": "text", "municipality": "text", "org": "text", "title": "text",
    "category": "text", "actions": "text", "project_start": "date", "project_end": "date",
    "project_cost_yen": "yen", "requested_yen": "yen", "awarded_yen": "yen",
    "decision_date": "date", "decision_number": "text", "confirmed_yen": "yen",
    "advanced_yen": "yen", "paid_yen": "yen", "refund_due_yen": "yen", "state": "text",
    "published_on": "date", "retain_until": "date",
}
assert COLUMNS.keys() == LEDGER_HEADERS.keys()

_DECISIONS = (select(Document.grant_id, func.max(Document.id).label("document_id"))
              .where(Document.form == DECISION_FORM).group_by(Document.grant_id).subquery())


# The grant's own columns the ledger shows: read as plain rows on the connection, not as ORM
# objects, since a ledger may hold a hundred thousand of them; the declared actions as their
# JSON text, since a few combinations of three actions repeat over all those rows.
_GRANT_COLUMNS = [getattr(Grant, name) for name in (
    "id", "fiscal_year", "municipality_code", "title", "category")] + [
    cast(Grant.actions, Text).label("actions")] + [getattr(Grant, name) for name in (
    "project_start", "project_end", "project_cost_yen", "requested_yen", "awarded_yen",
    "decision_date", "confirmed_yen", "advanced_yen", "paid_yen", "refund_due_yen", "state",
    "published_at")]


def _statement(actor: Actor, where: LedgerFilter):
    conditions = [access.ledger_scope(actor)]
    for column, value in ((Grant.fiscal_year, where.fiscal_year), (Municipality.org_id, where.org),
                          (Grant.municipality_code, where.municipality_code),
                          (Grant.state, where.state)):
        if value is not None:
            conditions.append(column == value)
    return (select(*_GRANT_COLUMNS, Municipality.name.label("municipality"),
                   Org.name.label("org"), Document.number.label("decision_number"))
            .join(Municipality, Municipality.code == Grant.municipality_code)
            .join(Org, Org.id == Municipality.org_id)
            .outerjoin(_DECISIONS, _DECISIONS.c.grant_id == Grant.id)
            .outerjoin(Document, Document.id == _DECISIONS.c.document_id)
            .where(*conditions))


def count(session: Session, actor: Actor, where: LedgerFilter) -> int:
    return session.scalar(select(func.count()).select_from(_statement(actor, where).subquery()))


def rows(session: Session, actor: Actor, where: LedgerFilter) -> Iterator[tuple]:
    """The ledger's rows, each a tuple in the order of ``COLUMNS``, by fiscal year,
    municipality code and grant number, streamed from the database (a server-side cursor on
    PostgreSQL)."""
    statement = (_statement(actor, where)
                 .order_by(Grant.fiscal_year, Grant.municipality_code, Grant.id)
                 .execution_options(yield_per=1000))
    with session.connection().execute(statement) as result:
        for (grant_id, fiscal_year, code, title, category, actions, project_start, project_end,
             project_cost, requested, awarded, decision_date, confirmed, advanced, paid, refund_due,
             state, published_at, municipality, org, decision_number) in result:
            yield (
                grant_id, fiscal_year, _year_label(fiscal_year), code, municipality, org, title,
                CATEGORY_LABELS.get(category, ""), _actions_label(actions), project_start,
                project_end, project_cost, requested, awarded, decision_date, decision_number,
                confirmed, advanced, paid, refund_due, _STATES[state],
                japan_date(published_at) if published_at else None,
                _retain_until(project_end, fiscal_year),
            )


def retain_until(project_end: date | None, fiscal_year: int) -> date:
    """The end of the fifth fiscal year after the one in which the project ended."""
    ended_in = fiscal_year_of(project_end) if project_end else fiscal_year
    return date(ended_in + 1 + RETENTION_YEARS, 3, 31)


_STATES = {state: state_label(state, for_applicant=False) for state in STATE_LABELS}
_year_label = lru_cache(maxsize=None)(fiscal_year_label)


@lru_cache(maxsize=64)
def _actions_label(stored: str | None) -> str:
    return "・".join(DECLARED_ACTION_LABELS.get(a, a) for a in json.loads(stored or "null") or ())


@lru_cache(maxsize=4096)
def _retain_until(project_end: date | None, fiscal_year: int) -> date:
    return retain_until(project_end, fiscal_year)
