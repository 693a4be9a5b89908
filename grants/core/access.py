"""Who may read or do what (SPEC §2), in one place. Each question is answered with a
``Permission``: yes, or no with the refusal a person is told (Hypha's ``(bool, reason)``).
The API and the command line refuse with it (``.check()``), the pages show or hide a
button or a field with the same answer (``bool(...)``, ``.reason``), so that nothing is
offered that the server would refuse. ``workflows`` adds the state's part for actions.

A person's *tenant* is their municipality (applicants) or their org (secretariat). Anything
of another tenant is answered exactly like something that does not exist: the same 404 with
the same words, so that ids cannot be mapped to municipalities. Inside the tenant, a role that
may not do a thing is told so: 403 with the reason. Auditors read everything and change
nothing; admins manage users and programs, not grants."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, true

from grants.core.actors import Actor, Role
from grants.core.errors import Forbidden, GrantsError, NotFound
from grants.core.ja.labels import ACTION_LABELS, ROLE_LABELS
from grants.core.ja.messages import message
from grants.core.models import Grant, Municipality, User


@dataclass(frozen=True)
class Permission:
    """Yes, or no and why. The refusal is made only when someone asks for it, so that
    asking about every action of every grant in a list costs no sentences."""

    refusal: Callable[[], GrantsError] | None = None

    def __bool__(self) -> bool:
        return self.refusal is None

    @property
    def reason(self) -> str | None:
        """The Japanese sentence a person is told, or None when allowed."""
        return None if self.refusal is None else self.refusal().detail

    def check(self) -> None:
        """Refuse (raise) unless allowed."""
        if self.refusal is not None:
            raise self.refusal()

    def then(self, next_: Callable[[], "Permission"]) -> "Permission":
        """This, and if allowed, what ``next_`` answers."""
        return next_() if self.refusal is None else self


YES = Permission()


def no(refusal: Callable[[], GrantsError]) -> Permission:
    return Permission(refusal)


def not_found(what: str = "grant") -> NotFound:
    """The one answer for absent and for outside the tenant: grant, document, attachment."""
    return NotFound(message(f"{what}_not_found"), code=f"{what}_not_found")


def _forbidden(key: str, **values: object) -> Callable[[], Forbidden]:
    code = key if key in ("read_only_role",) else "wrong_role"
    return lambda: Forbidden(message(key, **values), code=code)


# --- grants: reading, acting, editing, attaching ------------------------------------------

def in_tenant(actor: Actor, municipality_code: str, org_id: str) -> bool:
    """Whether the actor may know that a grant of that municipality exists at all."""
    if actor.role is Role.applicant:
        return actor.municipality_code == municipality_code
    if actor.role is Role.secretariat:
        return actor.org_id == org_id
    return actor.role is Role.auditor


def may_read(actor: Actor, municipality_code: str, org_id: str, *, what: str = "grant") -> Permission:
    """A grant of that municipality, or its document, attachment or bank account (``what``
    names it in the 404). The admin, who is no grant actor, is told exactly what someone of
    another tenant is told, so that no answer says which ids exist."""
    if not in_tenant(actor, municipality_code, org_id):
        return no(lambda: not_found(what))
    return YES


def may_act(actor: Actor, municipality_code: str, org_id: str, *, action: str,
            role: Role) -> Permission:
    """The actor's part of taking ``action``, which the table gives to ``role``, on a grant
    of that municipality (the state's part is ``workflows.apply.may_take``)."""
    def by_role() -> Permission:
        if actor.role is Role.auditor:
            return no(_forbidden("read_only_role", role=ROLE_LABELS[actor.role]))
        if actor.role is not role:
            return no(_forbidden("wrong_role", action=ACTION_LABELS[action], role=ROLE_LABELS[role]))
        return YES
    return may_read(actor, municipality_code, org_id).then(by_role)


def may_create(actor: Actor, municipality_code: str | None) -> Permission:
    """Applicants start applications for their own municipality only."""
    if actor.role is not Role.applicant:
        return no(_forbidden("applicants_only", role=ROLE_LABELS[Role.applicant]))
    if municipality_code != actor.municipality_code:
        return no(lambda: NotFound(message("municipality_not_yours", code=municipality_code),
                                   code="municipality_not_found"))
    return YES


def may_edit(actor: Actor, municipality_code: str, org_id: str) -> Permission:
    """The person's part of changing an application (its state's part is
    ``workflows.drafts.may_edit``)."""
    def applicant() -> Permission:
        if actor.role is not Role.applicant:
            return no(_forbidden("applicants_only", role=ROLE_LABELS[Role.applicant]))
        return YES
    return may_read(actor, municipality_code, org_id).then(applicant)


def may_attach(actor: Actor, municipality_code: str, org_id: str) -> Permission:
    """Applicants and the secretariat attach files to the grants they may see."""
    def acting_role() -> Permission:
        if actor.role not in (Role.applicant, Role.secretariat):
            return no(_forbidden("read_only_role", role=ROLE_LABELS[actor.role]))
        return YES
    return may_read(actor, municipality_code, org_id).then(acting_role)


def may_see_whole_account(actor: Actor, municipality_code: str, org_id: str) -> Permission:
    """The account a municipality is paid into, whole: for that municipality and its org's
    secretariat, who act on it; everyone else who may read the grant sees it masked."""
    if ((actor.role is Role.applicant and actor.municipality_code == municipality_code)
            or (actor.role is Role.secretariat and actor.org_id == org_id)):
        return YES
    return no(_forbidden("account_masked"))


# --- lists and the people behind a tenant --------------------------------------------------

def may_list_grants(actor: Actor) -> Permission:
    if actor.role is Role.admin:
        return no(_forbidden("grant_list_forbidden", role=ROLE_LABELS[actor.role]))
    return YES


def grant_scope(actor: Actor) -> ColumnElement[bool]:
    """The condition a grant listing applies for this actor (joined with municipalities)."""
    may_list_grants(actor).check()
    if actor.role is Role.applicant:
        return Grant.municipality_code == actor.municipality_code
    if actor.role is Role.secretariat:
        return Municipality.org_id == actor.org_id
    return true()


def may_export_ledger(actor: Actor) -> Permission:
    """The grant ledger (SPEC §8): auditors and admins all of it, the secretariat its own
    org's rows; applicants none."""
    if actor.role is Role.applicant:
        return no(_forbidden("ledger_forbidden", role=ROLE_LABELS[actor.role]))
    return YES


def ledger_scope(actor: Actor) -> ColumnElement[bool]:
    """Which rows of the grant ledger the actor may export (joined with municipalities)."""
    may_export_ledger(actor).check()
    if actor.role is Role.secretariat:
        return Municipality.org_id == actor.org_id
    return true()


def tenant_members(role: Role, municipality_code, org_id) -> ColumnElement[bool]:
    """The users who act for a grant of that municipality in that role: its applicants, or
    its org's secretariat (values or columns, for the outbox's set-based inserts)."""
    if role is Role.applicant:
        return and_(User.role == Role.applicant.value, User.municipality_code == municipality_code)
    return and_(User.role == Role.secretariat.value, User.org_id == org_id)


# --- what is not about one grant ----------------------------------------------------------

def may_keep_calendar(actor: Actor) -> Permission:
    """A private calendar feed of one's deadlines: for those who answer for deadlines."""
    if actor.role not in (Role.applicant, Role.secretariat):
        return no(_forbidden("calendar_roles"))
    return YES


def may_administer(actor: Actor) -> Permission:
    """Users and fiscal-year programs."""
    if actor.role is not Role.admin:
        return no(_forbidden("admin_only"))
    return YES


def may_audit(actor: Actor) -> Permission:
    """The audit trail and the issued documents verified."""
    if actor.role not in (Role.auditor, Role.admin):
        return no(_forbidden("auditors_only"))
    return YES
