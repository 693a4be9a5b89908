"""Who may read or do what (SPEC §2), in one place: the API, the pages, the command line and
``workflows.apply`` all ask here.

A person's *tenant* is their municipality (applicants) or their org (secretariat). Anything
of another tenant is answered exactly like something that does not exist: the same 404 with
the same words, so that ids cannot be mapped to municipalities. Inside the tenant, a role that
may not do a thing is told so: 403 with the reason. Auditors read everything and change
nothing; admins manage users and programs, not grants."""

from sqlalchemy import ColumnElement, true

from grants.core.actors import Actor, Role
from grants.core.errors import Forbidden, NotFound
from grants.core.ja.labels import ACTION_LABELS, ROLE_LABELS
from grants.core.ja.messages import message
from grants.core.models import Grant, Municipality


def in_tenant(actor: Actor, municipality_code: str, org_id: str) -> bool:
    """Whether the actor may know that a grant of that municipality exists at all."""
    if actor.role is Role.applicant:
        return actor.municipality_code == municipality_code
    if actor.role is Role.secretariat:
        return actor.org_id == org_id
    return actor.role is Role.auditor


def not_found(what: str = "grant") -> NotFound:
    """The one answer for absent and for outside the tenant: grant, document, attachment."""
    return NotFound(message(f"{what}_not_found"), code=f"{what}_not_found")


def check_read(actor: Actor, municipality_code: str, org_id: str, *, what: str = "grant") -> None:
    if actor.role is Role.admin:
        raise Forbidden(message("admin_not_grant_actor"), code="wrong_role")
    if not in_tenant(actor, municipality_code, org_id):
        raise not_found(what)


def check_act(actor: Actor, municipality_code: str, org_id: str, *, action: str,
              role: Role) -> None:
    """The actor may take ``action``, which the table gives to ``role``, on this grant."""
    check_read(actor, municipality_code, org_id)
    if actor.role is Role.auditor:
        raise Forbidden(message("read_only_role", role=ROLE_LABELS[actor.role]),
                        code="read_only_role")
    if actor.role is not role:
        raise Forbidden(message("wrong_role", action=ACTION_LABELS[action], role=ROLE_LABELS[role]),
                        code="wrong_role")


def check_create(actor: Actor, municipality_code: str) -> None:
    """Applicants start applications for their own municipality only."""
    if actor.role is not Role.applicant:
        raise Forbidden(message("applicants_only", role=ROLE_LABELS[Role.applicant]),
                        code="wrong_role")
    if municipality_code != actor.municipality_code:
        raise NotFound(message("municipality_not_yours", code=municipality_code),
                       code="municipality_not_found")


def check_edit(actor: Actor, municipality_code: str, org_id: str) -> None:
    check_read(actor, municipality_code, org_id)
    if actor.role is not Role.applicant:
        raise Forbidden(message("applicants_only", role=ROLE_LABELS[Role.applicant]),
                        code="wrong_role")


def check_attach(actor: Actor, municipality_code: str, org_id: str) -> None:
    """Applicants and the secretariat attach files to the grants they may see."""
    check_read(actor, municipality_code, org_id)
    if actor.role not in (Role.applicant, Role.secretariat):
        raise Forbidden(message("read_only_role", role=ROLE_LABELS[actor.role]),
                        code="read_only_role")


def grant_scope(actor: Actor) -> ColumnElement[bool]:
    """The condition a grant listing applies for this actor (joined with municipalities)."""
    if actor.role is Role.applicant:
        return Grant.municipality_code == actor.municipality_code
    if actor.role is Role.secretariat:
        return Municipality.org_id == actor.org_id
    if actor.role is Role.auditor:
        return true()
    raise Forbidden(message("grant_list_forbidden", role=ROLE_LABELS[actor.role]),
                    code="wrong_role")


def ledger_scope(actor: Actor) -> ColumnElement[bool]:
    """Which rows of the grant ledger the actor may export (SPEC §8): auditors and admins all,
    the secretariat its own org's; applicants none (joined with municipalities)."""
    if actor.role in (Role.auditor, Role.admin):
        return true()
    if actor.role is Role.secretariat:
        return Municipality.org_id == actor.org_id
    raise Forbidden(message("ledger_forbidden", role=ROLE_LABELS[actor.role]), code="wrong_role")


def require_admin(actor: Actor) -> None:
    if actor.role is not Role.admin:
        raise Forbidden(message("admin_only"), code="wrong_role")


def require_auditor_or_admin(actor: Actor) -> None:
    if actor.role not in (Role.auditor, Role.admin):
        raise Forbidden(message("auditors_only"), code="wrong_role")
