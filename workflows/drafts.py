"""The application before it is judged: a draft started, and edited while the table says
it may be (a draft, or an application returned for correction). Neither changes the state,
but each is one transaction with its audit event (``create``, ``edit``), so the trail tells
who wrote what was judged."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from grants.core import access, dates
from grants.core.access import Permission
from grants.core.actors import Actor
from grants.core.clock import japan_date, utcnow
from grants.core.errors import Refused
from grants.core.ja.labels import state_label
from grants.core.ja.messages import message
from grants.core.models import Grant, Municipality
from grants.core.programs import get_program
from grants.core.schemas import GrantDraft, GrantEdit
from grants.core.validation import parse
from workflows import audit
from workflows.apply import lock
from workflows.machine import State
from workflows.table import EDITABLE


def create_draft(session: Session, actor: Actor, data: BaseModel | dict[str, Any], *,
                 now: datetime | None = None) -> Grant:
    now = now or utcnow()
    draft = parse(GrantDraft, data)
    access.may_create(actor, draft.municipality_code).check()
    get_program(session, draft.fiscal_year)
    dates.check_period(draft.project_start, draft.project_end, draft.fiscal_year)
    grant = Grant(**draft.model_dump(), state=State.draft, state_entered_on=japan_date(now),
                  created_at=now, updated_at=now)
    session.add(grant)
    session.flush()
    _record(session, grant, actor, "create", now, draft.model_dump(exclude_none=True))
    return grant


def may_edit(actor: Actor, state: str, municipality_code: str, org_id: str) -> Permission:
    """Whether this person may change an application in this state, and if not, why: the
    refusal ``edit_draft`` raises, and what the pages ask before they offer the form."""
    def editable() -> Permission:
        if state in EDITABLE:
            return access.YES
        return access.no(lambda: Refused(
            message("not_editable", state=state_label(state, for_applicant=True)),
            code="not_editable", state=state))
    return access.may_edit(actor, municipality_code, org_id).then(editable)


def edit_draft(session: Session, grant_id: int, actor: Actor, data: BaseModel | dict[str, Any],
               *, now: datetime | None = None) -> tuple[Grant, Municipality]:
    """Locked like an action, so an edit cannot slip in beside a concurrent submission."""
    now = now or utcnow()
    grant, municipality, _org, _program = lock(session, grant_id)
    may_edit(actor, grant.state, municipality.code, municipality.org_id).check()
    changes = parse(GrantEdit, data).model_dump(exclude_unset=True,
                                                exclude={"fiscal_year", "municipality_code"})
    dates.check_period(changes.get("project_start", grant.project_start),
                       changes.get("project_end", grant.project_end), grant.fiscal_year)
    for field, value in changes.items():
        setattr(grant, field, value)
    grant.updated_at = now
    session.flush()
    _record(session, grant, actor, "edit", now, changes)
    return grant, municipality


def _record(session: Session, grant: Grant, actor: Actor, action: str, now: datetime,
            fields: dict[str, Any]) -> None:
    audit.append(session, grant_id=grant.id, action=action,
                 from_state=None if action == "create" else grant.state, to_state=grant.state,
                 actor=actor.username, actor_role=actor.role, occurred_at=now,
                 amounts={k: v for k, v in fields.items() if k.endswith("_yen")})
