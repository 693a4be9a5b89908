"""Draft applications: what an applicant writes before and between submissions.

Creating and editing are not transitions of the state machine, but they are recorded in the
audit trail all the same (``create``, ``edit``) so the trail tells who wrote what was judged."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from forms.schemas import GrantDraft, GrantEdit, parse
from grants.clock import utcnow
from grants.errors import Forbidden, NotFound, Refused
from grants.ja import ROLE_LABELS, message, state_label
from grants.models import Grant, Municipality
from grants.programs import get_program
from workflows import audit
from workflows.actors import Actor, Role
from workflows.table import State

EDITABLE = (State.draft, State.returned)


def create_draft(session: Session, actor: Actor, data: BaseModel | dict[str, Any], *,
                 now: datetime | None = None) -> Grant:
    now = now or utcnow()
    _require_applicant(actor)
    draft = parse(GrantDraft, data)
    if draft.municipality_code != actor.municipality_code or \
            session.get(Municipality, draft.municipality_code) is None:
        raise NotFound(message("unknown_municipality", code=draft.municipality_code),
                       code="unknown_municipality")
    get_program(session, draft.fiscal_year)
    grant = Grant(**draft.model_dump(), state=State.draft, created_at=now, updated_at=now)
    session.add(grant)
    session.flush()
    _record(session, grant, actor, "create", now, draft.model_dump(exclude_none=True))
    return grant


def edit_draft(session: Session, grant: Grant, actor: Actor, data: BaseModel | dict[str, Any],
               *, now: datetime | None = None) -> Grant:
    now = now or utcnow()
    _require_applicant(actor)
    if grant.municipality_code != actor.municipality_code:
        raise NotFound(message("grant_not_found"), code="grant_not_found")
    if grant.state not in EDITABLE:
        raise Refused(message("not_editable", state=state_label(grant.state, for_applicant=True)),
                      code="not_editable", state=grant.state)
    changes = parse(GrantEdit, data).model_dump(exclude_unset=True,
                                                exclude={"fiscal_year", "municipality_code"})
    for field, value in changes.items():
        setattr(grant, field, value)
    grant.updated_at = now
    session.flush()
    _record(session, grant, actor, "edit", now, changes)
    return grant


def _require_applicant(actor: Actor) -> None:
    if actor.role is not Role.applicant:
        raise Forbidden(message("applicants_only", role=ROLE_LABELS[Role.applicant]),
                        code="wrong_role")


def _record(session: Session, grant: Grant, actor: Actor, action: str, now: datetime,
            fields: dict[str, Any]) -> None:
    audit.append(session, grant_id=grant.id, action=action,
                 from_state=None if action == "create" else grant.state, to_state=grant.state,
                 actor=actor.username, actor_role=actor.role, occurred_at=now,
                 amounts={k: v for k, v in fields.items() if k.endswith("_yen")})
