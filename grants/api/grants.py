"""Grants: create, list, read, edit, the trail of one grant, and one route per action.

The action routes are generated from the transition table, each with the body its action
takes, so the OpenAPI schema documents every action exactly and a new action gets a route."""

from typing import Annotated

from fastapi import APIRouter, Body, Query
from sqlalchemy import func, select

from forms.schemas import GrantDraft, GrantEdit, NoBody
from grants.access import readable_grant, readable_scope
from grants.api.deps import CallDep, Id
from grants.api.errors import RESPONSES
from grants.api.schemas import EventOut, GrantOut, GrantPage, event_out, grant_out
from grants.applications import create_draft, edit_draft
from grants.ja import ACTION_LABELS, ROLE_LABELS
from grants.models import AuditEvent, Grant, Municipality
from workflows.actors import Actor
from workflows.apply import allowed_actions, apply
from workflows.table import TRANSITIONS, State, Transition

router = APIRouter(prefix="/api/grants", tags=["grants"], responses=RESPONSES)


def present(grant: Grant, municipality: Municipality, actor: Actor) -> GrantOut:
    allowed = [str(a) for a in allowed_actions(actor, grant, municipality)]
    return grant_out(grant, municipality, actor, allowed)


@router.post("", response_model=GrantOut, status_code=201)
async def create(body: GrantDraft, call: CallDep) -> GrantOut:
    """Start a draft application (applicants, for their own municipality)."""
    def work(session, actor):
        grant = create_draft(session, actor, body)
        return present(grant, session.get(Municipality, grant.municipality_code), actor)
    return await call(work)


@router.get("", response_model=GrantPage)
async def list_grants(
    call: CallDep,
    fiscal_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    municipality_code: Annotated[str | None, Query(pattern=r"^[0-9]{6}$")] = None,
    state: State | None = None,
    org: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> GrantPage:
    """The grants the caller may read, newest first, filtered and paginated."""
    def work(session, actor):
        conditions = [readable_scope(actor)]
        for column, value in ((Grant.fiscal_year, fiscal_year),
                              (Grant.municipality_code, municipality_code),
                              (Grant.state, state), (Municipality.org_id, org)):
            if value is not None:
                conditions.append(column == value)
        joined = select(Grant, Municipality).join(
            Municipality, Municipality.code == Grant.municipality_code).where(*conditions)
        total = session.scalar(select(func.count()).select_from(joined.subquery()))
        rows = session.execute(joined.order_by(Grant.id.desc()).limit(limit).offset(offset)).all()
        return GrantPage(items=[present(g, m, actor) for g, m in rows], total=total,
                         limit=limit, offset=offset)
    return await call(work)


@router.get("/{grant_id}", response_model=GrantOut)
async def read(grant_id: Id, call: CallDep) -> GrantOut:
    def work(session, actor):
        return present(*readable_grant(session, actor, grant_id), actor)
    return await call(work)


@router.patch("/{grant_id}", response_model=GrantOut)
async def edit(grant_id: Id, body: GrantEdit, call: CallDep) -> GrantOut:
    """Correct a draft or returned application (applicants)."""
    def work(session, actor):
        grant, municipality = readable_grant(session, actor, grant_id)
        edit_draft(session, grant, actor, body)
        return present(grant, municipality, actor)
    return await call(work)


@router.get("/{grant_id}/events", response_model=list[EventOut])
async def events(grant_id: Id, call: CallDep) -> list[EventOut]:
    """The audit trail of one grant, oldest first."""
    def work(session, actor):
        readable_grant(session, actor, grant_id)
        rows = session.scalars(select(AuditEvent).where(AuditEvent.grant_id == grant_id)
                               .order_by(AuditEvent.seq))
        return [event_out(e) for e in rows]
    return await call(work)


def _action_endpoint(transition: Transition):
    action = str(transition.action)

    async def perform(grant_id: int, call, body) -> GrantOut:
        def work(session, actor):
            grant = apply(session, grant_id, action, actor, body)
            return present(grant, session.get(Municipality, grant.municipality_code), actor)
        return await call(work)

    if transition.body is NoBody:
        async def endpoint(grant_id: Id, call: CallDep,
                           body: Annotated[NoBody | None, Body()] = None) -> GrantOut:
            return await perform(grant_id, call, body)
    else:
        async def endpoint(grant_id: Id, body: transition.body,  # type: ignore[valid-type]
                           call: CallDep) -> GrantOut:
            return await perform(grant_id, call, body)

    who = ROLE_LABELS[transition.role]
    sources = ", ".join(sorted(transition.sources))
    endpoint.__doc__ = (f"{ACTION_LABELS[action]} ({who}): {sources} → {transition.target}. "
                        "Answers the grant with its new state and the caller's next actions.")
    return endpoint


for _transition in TRANSITIONS.values():
    router.add_api_route(
        f"/{{grant_id}}/actions/{_transition.action}", _action_endpoint(_transition),
        methods=["POST"], response_model=GrantOut, name=f"grant_{_transition.action}",
        summary=f"{_transition.action}: {ACTION_LABELS[_transition.action]}")
