"""The transition table: every state and what it means, every action, who may take it, from
where, to where, what it takes, what it does, and which forms (様式) it issues. SPEC §4 and
§6 as data; ``apply`` reads it, the diagram is drawn from it, and every other rule that asks
"does this state hold cap?" or "may this grant still be edited?" asks it here. The Japanese
words for each name live in ``grants.core.ja``, keyed by these names."""

from grants.core import schemas
from grants.core.actors import Role
from workflows import effects
from workflows.machine import Action, Form, State, StateRules, Transition

S = State
# SPEC §4: the cap holds what is awarded, or confirmed once confirmed, for every grant not
# rejected, withdrawn or cancelled.
APPLICANT, SECRETARIAT = Role.applicant, Role.secretariat
_REPORT_DUE = StateRules(committing=True, due="report", waits_for=APPLICANT)
STATES: dict[State, StateRules] = {
    S.draft: StateRules(editable=True, due="application", waits_for=APPLICANT),
    S.submitted: StateRules(waits_for=SECRETARIAT),
    S.under_review: StateRules(waits_for=SECRETARIAT),
    S.returned: StateRules(editable=True, waits_for=APPLICANT),
    S.awarded: _REPORT_DUE,
    S.rejected: StateRules(),
    S.withdrawn: StateRules(),
    S.change_requested: StateRules(committing=True, due="report", waits_for=SECRETARIAT),
    S.report_submitted: StateRules(committing=True, waits_for=SECRETARIAT),
    S.report_returned: _REPORT_DUE,
    S.confirmed: StateRules(committing=True, waits_for=APPLICANT),  # for its 交付請求書
    S.payment_requested: StateRules(committing=True, waits_for=SECRETARIAT),
    S.paid: StateRules(committing=True, waits_for=SECRETARIAT),  # to be published
    S.published: StateRules(committing=True, public=True),
    S.cancelled: StateRules(),
}
COMMITTING = frozenset(s for s, rules in STATES.items() if rules.committing)
EDITABLE = frozenset(s for s, rules in STATES.items() if rules.editable)
PUBLIC = frozenset(s for s, rules in STATES.items() if rules.public)


def waiting_for(role: Role) -> frozenset[State]:
    """The states in which the next move is this role's."""
    return frozenset(s for s, rules in STATES.items() if rules.waits_for is role)


FORMS: dict[int, Form] = {form.number: form for form in (
    Form(1, APPLICANT),  # 交付申請書
    Form(2, SECRETARIAT, dated="decision_date"),  # 交付決定通知書
    Form(3, SECRETARIAT),  # 不交付決定通知書
    Form(4, APPLICANT),  # 変更承認申請書
    Form(5, SECRETARIAT),  # 変更承認通知書
    Form(6, APPLICANT),  # 実績報告書
    Form(7, SECRETARIAT),  # 額の確定通知書
    Form(8, APPLICANT),  # 交付請求書
    Form(9, SECRETARIAT),  # 交付決定取消通知書
)}

A = Action


def _t(action, sources, target, role, effect=effects.nothing, body=schemas.NoBody,
       forms=(), sends_back=False) -> Transition:
    return Transition(action, frozenset(sources), target, role, body, effect,
                      tuple(FORMS[n] for n in forms), sends_back)


TRANSITIONS: dict[Action, Transition] = {t.action: t for t in (
    _t(A.submit, {S.draft, S.returned}, S.submitted, APPLICANT, effects.submit, forms=(1,)),
    _t(A.withdraw, {S.draft, S.submitted, S.under_review, S.returned}, S.withdrawn, APPLICANT,
       body=schemas.ReasonBody),
    _t(A.start_review, {S.submitted}, S.under_review, SECRETARIAT),
    _t(A.return_, {S.submitted, S.under_review}, S.returned, SECRETARIAT,
       body=schemas.ReasonBody, sends_back=True),
    _t(A.award, {S.under_review}, S.awarded, SECRETARIAT, effects.award, schemas.AwardBody,
       forms=(2,)),
    _t(A.reject, {S.under_review}, S.rejected, SECRETARIAT, body=schemas.ReasonBody,
       forms=(3,)),
    _t(A.pay_advance, {S.awarded}, S.awarded, SECRETARIAT, effects.pay_advance,
       schemas.AdvanceBody),
    _t(A.request_change, {S.awarded}, S.change_requested, APPLICANT, effects.request_change,
       schemas.ChangeBody, forms=(4,)),
    _t(A.approve_change, {S.change_requested}, S.awarded, SECRETARIAT, effects.approve_change,
       schemas.ApproveChangeBody, forms=(5,)),
    _t(A.deny_change, {S.change_requested}, S.awarded, SECRETARIAT, effects.deny_change,
       schemas.ReasonBody),
    _t(A.submit_report, {S.awarded, S.report_returned}, S.report_submitted, APPLICANT,
       effects.submit_report, schemas.ReportBody, forms=(6,)),
    _t(A.return_report, {S.report_submitted}, S.report_returned, SECRETARIAT,
       body=schemas.ReasonBody, sends_back=True),
    _t(A.confirm, {S.report_submitted}, S.confirmed, SECRETARIAT, effects.confirm, forms=(7,)),
    _t(A.request_payment, {S.confirmed}, S.payment_requested, APPLICANT,
       effects.request_payment, schemas.PaymentRequestBody, forms=(8,)),
    # From confirmed only when nothing is left to pay (advances covered it): effects.settle.
    _t(A.settle, {S.confirmed, S.payment_requested}, S.paid, SECRETARIAT, effects.settle,
       schemas.SettleBody),
    _t(A.publish, {S.paid}, S.published, SECRETARIAT, effects.publish, schemas.PublishBody),
    _t(A.unpublish, {S.published}, S.paid, SECRETARIAT, effects.unpublish, schemas.ReasonBody),
    _t(A.cancel, {S.awarded, S.change_requested, S.report_submitted, S.report_returned,
                  S.confirmed, S.payment_requested, S.paid, S.published}, S.cancelled, SECRETARIAT, effects.cancel,
       schemas.ReasonBody, forms=(9,)),
)}


# The states a grant is sent back to for correction, and the action that sends it there
# (its reason is what the applicant is asked to correct).
RETURNED_BY: dict[State, Action] = {t.target: t.action for t in TRANSITIONS.values() if t.sends_back}
# The states whose deadline is the performance report's (SPEC §3).
REPORT_DUE = frozenset(s for s, rules in STATES.items() if rules.due == "report")


def awaiting(*actions: Action) -> frozenset[State]:
    """The states in which a grant waits for one of these actions (the states they are
    taken from): e.g. a review decision, the settlement, the publication."""
    return frozenset(s for action in actions for s in TRANSITIONS[action].sources)


def actions_from(state: str, role: Role | None = None) -> list[Action]:
    """Actions the table allows from a state, for one role or any, in table order."""
    return [t.action for t in TRANSITIONS.values()
            if state in t.sources and (role is None or t.role is role)]


def commitment(grant) -> int:
    """What a grant holds against its municipality's cap in its current state: its awarded
    amount while awarded, its confirmed amount once confirmed, nothing otherwise."""
    if grant.state not in COMMITTING:
        return 0
    return grant.confirmed_yen if grant.confirmed_yen is not None else (grant.awarded_yen or 0)
