"""The one function that applies an action to a grant for an actor.

Order of checks: the grant exists and is in the actor's tenant (404), the actor's role may
take the action (403), the state allows it (409), the input is valid (422), the rules hold
(409 or 422). Then, inside one SAVEPOINT: the effect, the new state, the cap and budget, the
documents, the audit event, the notifications. Anything that fails rolls the savepoint back,
so a refused or failed action leaves neither the grant nor the trail changed, even when the
caller goes on to commit its transaction.
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import bindparam, select
from sqlmodel import Session

from grants.core import access
from grants.core.access import Permission
from grants.core.actors import Actor, Role
from grants.core.clock import utcnow
from grants.core.errors import InvalidInput, Refused
from grants.core.ja.labels import ACTION_LABELS, state_label
from grants.core.ja.messages import message
from grants.core.models import Grant, Municipality, Org, Program
from grants.core.validation import parse
from workflows import audit, hooks, money
from workflows.hooks import Context
from workflows.machine import Action, State, Transition
from workflows.table import TRANSITIONS, actions_from, commitment


def apply(session: Session, grant_id: int, action: str, actor: Actor,
          body: BaseModel | dict[str, Any] | None = None, *,
          now: datetime | None = None) -> Grant:
    now = now or utcnow()
    transition = _transition(action)
    grant, municipality, org, program = lock(session, grant_id)
    may_take(actor, grant.state, municipality.code, municipality.org_id, transition.action).check()
    ctx = Context(session=session, grant=grant, municipality=municipality, org=org, program=program,
                  actor=actor, transition=transition, body=parse(transition.body, body), now=now,
                  from_state=State(grant.state), held_yen=commitment(grant))
    # All or nothing even for a caller that goes on with the session after a failure.
    with session.begin_nested():
        documents = _change(ctx)
        session.flush()  # the grant's own UPDATE, before the trail's head is locked
        _record(ctx, documents)
    return grant


def may_take(actor: Actor, state: str, municipality_code: str, org_id: str,
             action: str) -> Permission:
    """Whether this actor may take this action on a grant of that municipality in this
    state, and if not, why: the refusal ``apply`` raises (404, 403, 409), and the answer
    the pages ask before they offer an action's button or form."""
    transition = _transition(action)
    return access.may_act(actor, municipality_code, org_id, action=transition.action,
                          role=transition.role).then(lambda: _in_state(state, transition, actor))


def _in_state(state: str, transition: Transition, actor: Actor) -> Permission:
    if state in transition.sources:
        return access.YES
    return access.no(lambda: _wrong_state(state, transition.action, actor))


def allowed_actions(actor: Actor, state: str, municipality_code: str, org_id: str) -> list[Action]:
    """What this actor may do next to a grant in this state (for the API and the pages),
    in table order: the actions ``may_take`` allows."""
    return [action for action in actions_from(state)
            if may_take(actor, state, municipality_code, org_id, action)]


def _change(ctx: Context) -> list:
    """The change itself: the effect, the state, the money, the forms. Every refusal is
    raised here, before the trail is touched."""
    grant, transition = ctx.grant, ctx.transition
    ctx.amounts = transition.effect(ctx)
    if transition.target != grant.state:
        grant.state_entered_on = ctx.today  # waiting times count from here (SPEC §7)
    grant.state = transition.target
    grant.updated_at = ctx.now
    after = commitment(grant)
    money.rebalance(ctx.session, grant, ctx.municipality, ctx.program,
                    delta=after - ctx.held_yen, own=ctx.held_yen, amount=after,
                    action=transition.action)
    return [doc for issue in hooks.document_issuers for doc in issue(ctx)]


def _record(ctx: Context, documents: list) -> None:
    """The audit event and the notices, last: appending locks the trail's head until the
    transaction commits, so whatever can be done before it is — every moment the head is
    held is one that every other action waits."""
    grant, transition = ctx.grant, ctx.transition
    event = audit.append(
        ctx.session, grant_id=grant.id, action=transition.action, from_state=ctx.from_state,
        to_state=transition.target, actor=ctx.actor.username, actor_role=ctx.actor.role,
        occurred_at=ctx.now, amounts=ctx.amounts, reason=getattr(ctx.body, "reason", None),
        documents=[{"id": d.document_id, "form": d.form, "number": d.number, "sha256": d.sha256}
                   for d in documents],
    )
    for notify in hooks.notifiers:
        notify(ctx, event)


def _transition(action: str) -> Transition:
    try:
        return TRANSITIONS[Action(action)]
    except ValueError:
        raise InvalidInput(message("unknown_action", action=action),
                           problems={"action": "unknown"}) from None


# FOR UPDATE OF grants serialises actions on one grant on PostgreSQL; SQLite's write lock
# does the same. populate_existing reloads a grant the session already holds, as locked.
_LOCK = (select(Grant, Municipality, Org, Program)
         .join(Municipality, Municipality.code == Grant.municipality_code)
         .join(Org, Org.id == Municipality.org_id)
         .join(Program, Program.fiscal_year == Grant.fiscal_year)
         .where(Grant.id == bindparam("grant_id"))
         .with_for_update(of=Grant)
         .execution_options(populate_existing=True))


def lock(session: Session, grant_id: int) -> tuple[Grant, Municipality, Org, Program]:
    """The grant, locked, with its municipality, org and program, in one query."""
    row = session.execute(_LOCK, {"grant_id": grant_id}).first()
    if row is None:
        raise access.not_found()
    grant, municipality, org, program = row
    return grant, municipality, org, program


def _wrong_state(state: str, action: Action, actor: Actor) -> Refused:
    """The step cannot be taken from this state: said in plain words (most often it was
    taken already, in another tab or by a colleague); what can be taken instead is in the
    refusal's ``allowed_actions`` for programs, and in the page's buttons for people."""
    allowed = actions_from(state, actor.role)
    label = state_label(state, for_applicant=actor.role is Role.applicant)
    done = state == TRANSITIONS[action].target
    return Refused(
        message("already_done" if done else "wrong_state", state=label, action=ACTION_LABELS[action]),
        code="wrong_state", state=state, allowed_actions=[str(a) for a in allowed],
    )
