"""The parts the transition table is made of: states and actions by name, and the shape of
a state's rules, of a form and of a transition. ``workflows.table`` fills them in."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from grants.core.actors import Role


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
    payment_requested = "payment_requested"
    paid = "paid"
    published = "published"
    cancelled = "cancelled"


@dataclass(frozen=True)
class StateRules:
    committing: bool = False  # holds part of its municipality's cap (SPEC §4)
    editable: bool = False  # the applicant may still change the application itself
    public: bool = False  # shown on the public site (SPEC §8)
    due: str | None = None  # the deadline the next step answers: "application" or "report"
    waits_for: Role | None = None  # whose move it is; None once the grant has come to rest


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
    request_payment = "request_payment"
    settle = "settle"
    publish = "publish"
    unpublish = "unpublish"
    cancel = "cancel"


@dataclass(frozen=True)
class Form:
    """An official form (SPEC §6): who files it, and the date it carries when issued."""

    number: int
    filed_by: Role  # secretariat: the org's notice to the municipality; applicant: the reverse
    dated: str | None = None  # the grant's date field it carries; None: the day of the action

    @property
    def from_org(self) -> bool:
        return self.filed_by is Role.secretariat


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: State
    role: Role
    body: type[BaseModel]  # what the action takes (grants.core.schemas)
    effect: Callable  # what it checks and changes beyond the state (workflows.effects)
    forms: tuple[Form, ...] = ()  # what it issues (SPEC §6)
    sends_back: bool = False  # returns the grant to the applicant for correction (差戻し)
