"""Grants: create, list, read, edit, the trail of one grant, and one route per action.

The action routes are generated from the transition table, each with the body its action
takes, so the OpenAPI schema documents every action exactly and a new action gets a route."""

from typing import Annotated

from fastapi import APIRouter, Body, Query

from grants.api.deps import CallDep
from grants.api.errors import RESPONSES
from grants.api.schemas import EventPage, GrantOut, GrantPage, event_out, grant_out, page_out
from grants.core import queries
from grants.core.actors import Actor
from grants.core.fields import MunicipalityCode, OrgId
from grants.core.ja.labels import ACTION_LABELS, ROLE_LABELS
from grants.core.models import Grant, Municipality
from grants.core.queries import GrantView
from grants.core.schemas import GrantDraft, GrantEdit, NoBody
from grants.http.params import After, Id, Limit, YearFilter
from workflows import drafts
from workflows.apply import allowed_actions, apply
from workflows.machine import State, Transition
from workflows.table import TRANSITIONS

router = APIRouter(prefix="/api/grants", tags=["grants"], responses=RESPONSES)


def present(grant: Grant, municipality: Municipality, actor: Actor) -> GrantOut:
    return show(GrantView(grant.model_dump(), municipality.name, municipality.org_id), actor)


def show(view: GrantView, actor: Actor) -> GrantOut:
    allowed = allowed_actions(actor, view.state, view.municipality_code, view.org_id)
    return grant_out(view, actor, [str(a) for a in allowed])


@router.post("", response_model=GrantOut, status_code=201)
async def create(body: GrantDraft, call: CallDep) -> GrantOut:
    """Start a draft application (applicants, for their own municipality)."""
    def work(session, actor):
        grant = drafts.create_draft(session, actor, body)
        return grant, session.get(Municipality, grant.municipality_code), actor
    return await call(work, then=present)


@router.get("", response_model=GrantPage)
async def list_grants(
    call: CallDep,
    fiscal_year: YearFilter = None,
    municipality_code: Annotated[MunicipalityCode | None, Query()] = None,
    state: State | None = None,
    org: Annotated[OrgId | None, Query()] = None,
    after: After = None,
    limit: Limit = 50,
) -> GrantPage:
    """The grants the caller may read, newest first, a page at a time: pass ``next_after``
    as ``after`` for the next page."""
    def work(session, actor):
        page = queries.grants_page(session, actor, fiscal_year=fiscal_year,
                                   municipality_code=municipality_code, state=state, org=org,
                                   after=after, limit=limit)
        return page_out(GrantPage, page, lambda row: present(*row, actor))
    return await call(work)


@router.get("/{grant_id}", response_model=GrantOut)
async def read(grant_id: Id, call: CallDep) -> GrantOut:
    return await call.grant(grant_id, show)


@router.patch("/{grant_id}", response_model=GrantOut)
async def edit(grant_id: Id, body: GrantEdit, call: CallDep) -> GrantOut:
    """Correct a draft or returned application (applicants)."""
    def work(session, actor):
        return *drafts.edit_draft(session, grant_id, actor, body), actor
    return await call(work, then=present)


@router.get("/{grant_id}/events", response_model=EventPage)
async def events(grant_id: Id, call: CallDep, after: After = None,
                 limit: Annotated[int, Query(ge=1, le=500)] = 500) -> EventPage:
    """The audit trail of one grant, oldest first."""
    def work(session, actor):
        page = queries.events_page(session, actor, grant_id, after=after, limit=limit)
        return page_out(EventPage, page, event_out)
    return await call(work)


def _action_endpoint(transition: Transition):
    action = str(transition.action)

    async def perform(grant_id: int, call, body) -> GrantOut:
        def work(session, actor):
            grant = apply(session, grant_id, action, actor, body)
            return grant, session.get(Municipality, grant.municipality_code), actor
        return await call(work, then=present)

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
