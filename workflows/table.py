"""The transition table: every state, every action, who may take it, from where, to where,
what it takes, and which forms (様式) it issues. SPEC §4, as data; ``apply`` reads it."""

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from forms import schemas
from workflows.actors import Role


class State(StrEnum):
    draft = "draft"
    submitted = "submitted"
    under_review = "under_review"
    returned = "returned"
    awarded = "awarded"
    rejected = "rejected"
    withdrawn = "withdrawn"
    change_requested = "change_requested"
    report_submitted = "report_submitted"
    report_returned = "report_returned"
    confirmed = "confirmed"
    paid = "paid"
    published = "published"
    cancelled = "cancelled"


class Action(StrEnum):
    submit = "submit"
    withdraw = "withdraw"
    start_review = "start_review"
    return_ = "return"
    award = "award"
    reject = "reject"
    pay_advance = "pay_advance"
    request_change = "request_change"
    approve_change = "approve_change"
    deny_change = "deny_change"
    submit_report = "submit_report"
    return_report = "return_report"
    confirm = "confirm"
    settle = "settle"
    publish = "publish"
    unpublish = "unpublish"
    cancel = "cancel"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: State
    role: Role
    body: type[BaseModel]  # what the action takes (forms.schemas)
    forms: tuple[int, ...] = ()  # 様式 issued by the action (SPEC §6)


S, A, R = State, Action, Role
APPLICANT, SECRETARIAT = R.applicant, R.secretariat


def _t(action, sources, target, role, body=schemas.NoBody, forms=()) -> Transition:
    return Transition(action, frozenset(sources), target, role, body, forms)


TRANSITIONS: dict[Action, Transition] = {t.action: t for t in (
    _t(A.submit, {S.draft, S.returned}, S.submitted, APPLICANT, forms=(1,)),
    _t(A.withdraw, {S.draft, S.submitted, S.under_review, S.returned}, S.withdrawn, APPLICANT,
       schemas.ReasonBody),
    _t(A.start_review, {S.submitted}, S.under_review, SECRETARIAT),
    _t(A.return_, {S.submitted, S.under_review}, S.returned, SECRETARIAT, schemas.ReasonBody),
    _t(A.award, {S.under_review}, S.awarded, SECRETARIAT, schemas.AwardBody, forms=(2,)),
    _t(A.reject, {S.under_review}, S.rejected, SECRETARIAT, schemas.ReasonBody, forms=(3,)),
    _t(A.pay_advance, {S.awarded}, S.awarded, SECRETARIAT, schemas.AdvanceBody),
    _t(A.request_change, {S.awarded}, S.change_requested, APPLICANT, schemas.ChangeBody,
       forms=(4,)),
    _t(A.approve_change, {S.change_requested}, S.awarded, SECRETARIAT,
       schemas.ApproveChangeBody, forms=(5,)),
    _t(A.deny_change, {S.change_requested}, S.awarded, SECRETARIAT, schemas.ReasonBody),
    _t(A.submit_report, {S.awarded, S.report_returned}, S.report_submitted, APPLICANT,
       schemas.ReportBody, forms=(6,)),
    _t(A.return_report, {S.report_submitted}, S.report_returned, SECRETARIAT,
       schemas.ReasonBody),
    _t(A.confirm, {S.report_submitted}, S.confirmed, SECRETARIAT, forms=(7, 8)),
    _t(A.settle, {S.confirmed}, S.paid, SECRETARIAT, schemas.SettleBody),
    _t(A.publish, {S.paid}, S.published, SECRETARIAT, schemas.PublishBody),
    _t(A.unpublish, {S.published}, S.paid, SECRETARIAT, schemas.ReasonBody),
    _t(A.cancel, {S.awarded, S.change_requested, S.report_submitted, S.report_returned,
                  S.confirmed, S.paid, S.published}, S.cancelled, SECRETARIAT,
       schemas.ReasonBody, forms=(9,)),
)}

# States in which a grant holds part of its municipality's cap (SPEC §4: awarded, or
# confirmed once confirmed, for every grant not rejected, withdrawn or cancelled).
COMMITTING = frozenset({S.awarded, S.change_requested, S.report_submitted, S.report_returned,
                        S.confirmed, S.paid, S.published})


def actions_from(state: str, role: Role | None = None) -> list[Action]:
    """Actions the table allows from a state, for one role or any, in table order."""
    return [t.action for t in TRANSITIONS.values()
            if state in t.sources and (role is None or t.role is role)]
