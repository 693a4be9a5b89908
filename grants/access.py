"""Who may read what (SPEC §2). Acting is decided by ``workflows.apply`` from the table.

Applicants read their own municipality's grants; anything else answers 404, exactly as if
it did not exist. Secretariat staff read their own org's grants; another org's answer 403
with the reason. Auditors read everything. Admins manage users and programs, not grants."""

from sqlalchemy import ColumnElement, bindparam, select, true
from sqlmodel import Session

from grants.errors import Forbidden, NotFound
from grants.ja import ROLE_LABELS, message
from grants.models import Grant, Municipality
from workflows.actors import Actor, Role
from workflows.apply import wrong_org

_GRANT_WITH_MUNICIPALITY = (
    select(Grant, Municipality).join(Municipality, Municipality.code == Grant.municipality_code)
    .where(Grant.id == bindparam("grant_id"))
)


def readable_grant(session: Session, actor: Actor, grant_id: int) -> tuple[Grant, Municipality]:
    row = session.execute(_GRANT_WITH_MUNICIPALITY, {"grant_id": grant_id}).first()
    if row is None:
        raise NotFound(message("grant_not_found"), code="grant_not_found")
    grant, municipality = row
    check_read(session, actor, municipality)
    return grant, municipality


def check_read(session: Session, actor: Actor, municipality: Municipality) -> None:
    if not actor.sees(municipality.code, municipality.org_id):
        raise NotFound(message("grant_not_found"), code="grant_not_found")
    if actor.role is Role.admin:
        raise Forbidden(message("admin_not_grant_actor"), code="wrong_role")
    if actor.role is Role.secretariat and not actor.governs(municipality.org_id):
        raise wrong_org(session, municipality)


def readable_scope(actor: Actor) -> ColumnElement[bool]:
    """The condition a grant listing applies for this actor (joined with municipalities)."""
    if actor.role is Role.applicant:
        return Grant.municipality_code == actor.municipality_code
    if actor.role is Role.secretariat:
        return Municipality.org_id == actor.org_id
    if actor.role is Role.auditor:
        return true()
    raise Forbidden(message("grant_list_forbidden", role=ROLE_LABELS[actor.role]),
                    code="wrong_role")
