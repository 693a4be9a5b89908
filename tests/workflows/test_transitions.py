"""SPEC §4: the states, the actions, and every (state, action) pair."""

import pytest
from sqlalchemy import func, select

from grants.core.actors import Role
from grants.core.errors import Forbidden, InvalidInput, NotFound, Refused
from grants.core.ja.labels import state_label
from grants.core.models import AuditEvent, Grant
from tests import factories as f
from workflows.apply import allowed_actions, apply
from workflows.machine import Action, State
from workflows.table import TRANSITIONS

# SPEC §4, copied by hand: action -> (sources, target, role). Since the issue on official
# documents the municipality files its 交付請求書 (様式第8号, request_payment) after the
# confirmation and the payment follows it; settle straight from confirmed is left for a grant
# with nothing left to pay (its advances covered it).
SPEC = {
    "submit": ({"draft", "returned"}, "submitted", "applicant"),
    "withdraw": ({"draft", "submitted", "under_review", "returned"}, "withdrawn", "applicant"),
    "start_review": ({"submitted"}, "under_review", "secretariat"),
    "return": ({"submitted", "under_review"}, "returned", "secretariat"),
    "award": ({"under_review"}, "awarded", "secretariat"),
    "reject": ({"under_review"}, "rejected", "secretariat"),
    "pay_advance": ({"awarded"}, "awarded", "secretariat"),
    "request_change": ({"awarded"}, "change_requested", "applicant"),
    "approve_change": ({"change_requested"}, "awarded", "secretariat"),
    "deny_change": ({"change_requested"}, "awarded", "secretariat"),
    "submit_report": ({"awarded", "report_returned"}, "report_submitted", "applicant"),
    "return_report": ({"report_submitted"}, "report_returned", "secretariat"),
    "confirm": ({"report_submitted"}, "confirmed", "secretariat"),
    "request_payment": ({"confirmed"}, "payment_requested", "applicant"),
    "settle": ({"confirmed", "payment_requested"}, "paid", "secretariat"),
    "publish": ({"paid"}, "published", "secretariat"),
    "unpublish": ({"published"}, "paid", "secretariat"),
    "cancel": ({"awarded", "change_requested", "report_submitted", "report_returned",
                "confirmed", "payment_requested", "paid", "published"}, "cancelled", "secretariat"),
}
STATES = {"draft", "submitted", "under_review", "returned", "awarded", "rejected", "withdrawn",
          "change_requested", "report_submitted", "report_returned", "confirmed",
          "payment_requested", "paid", "published", "cancelled"}


def test_table_has_exactly_the_states_and_actions_of_the_spec():
    assert {s.value for s in State} == STATES
    assert {str(a) for a in Action} == set(SPEC)
    table = {str(a): ({str(s) for s in t.sources}, str(t.target), str(t.role))
             for a, t in TRANSITIONS.items()}
    assert table == SPEC


PAIRS = [(state, action) for state in sorted(STATES) for action in sorted(SPEC)]


@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_every_state_action_pair(session, state, action):
    f.program(session, allows_advance=True)
    grant = f.grant_in(session, state)
    events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    sources, target, _role = SPEC[action]
    if (state, action) == ("confirmed", "settle"):  # with money left to pay: not yet
        with pytest.raises(Refused) as refused:
            f.act(session, grant, action)
        assert refused.value.code == "payment_request_first"
        return
    if state in sources:
        f.act(session, grant, action)
        assert grant.state == target
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert (last.action, last.from_state, last.to_state) == (action, state, target)
        return
    snapshot = session.get(Grant, grant.id).model_dump()
    with pytest.raises(Refused) as refused:
        f.act(session, grant, action)
    assert refused.value.code == "wrong_state"
    labels = {state_label(state), state_label(state, for_applicant=True)}
    assert any(label in refused.value.detail for label in labels) and "再読み込み" in refused.value.detail
    assert f"（{state}）" not in refused.value.detail and f"（{action}）" not in refused.value.detail
    session.expire_all()
    assert session.get(Grant, grant.id).model_dump() == snapshot
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before


def test_refusal_names_the_state_in_plain_words_and_lists_the_allowed_actions_for_programs(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "confirm")
    assert refused.value.detail == ("この申請は現在「交付決定」のため、額の確定はできません。"
                                    "画面を再読み込みして、最新の状態を確認してください。")
    assert refused.value.context["allowed_actions"] == ["pay_advance", "cancel"]


def test_a_step_taken_already_in_another_tab_says_so_and_asks_for_a_reload(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "award")
    assert refused.value.detail == ("この申請はすでに交付決定済みです（現在の状態: 交付決定）。"
                                    "画面を再読み込みしてください。")


def test_applicant_sees_applicant_labels_in_refusals(session):
    f.program(session)
    grant = f.grant_in(session, "submitted")
    with pytest.raises(Refused) as refused:
        f.act(session, grant, "submit")
    assert "申請済み（審査待ち）" in refused.value.detail
    assert "すでに申請済み" in refused.value.detail


def test_repeated_submit_changes_nothing_the_second_time(session):
    f.program(session)
    grant = f.grant_in(session, "submitted")
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(Refused):
        f.act(session, grant, "submit")
    assert grant.state == "submitted"
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_applicant_of_another_municipality_gets_not_found(session):
    f.program(session)
    grant = f.grant_in(session, "draft", f.CITY)
    with pytest.raises(NotFound) as missing:
        apply(session, grant.id, "submit", f.applicant(f.TOWN), now=f.NOW)
    assert missing.value.detail == "助成案件が見つかりません。"
    with pytest.raises(NotFound) as absent:
        apply(session, 999_999, "submit", f.applicant(f.TOWN), now=f.NOW)
    assert absent.value.detail == missing.value.detail


def test_secretariat_of_the_other_org_finds_nothing(session):
    f.program(session)
    grant = f.grant_in(session, "submitted", f.WARD)
    with pytest.raises(NotFound) as not_found:
        apply(session, grant.id, "start_review", f.secretariat(f.CITY_ORG), now=f.NOW)
    assert not_found.value.detail == "助成案件が見つかりません。" and "千代田区" not in not_found.value.detail
    f.act(session, grant, "start_review", actor=f.secretariat(f.WARD_ORG))
    assert grant.state == "under_review"


@pytest.mark.parametrize("action", sorted(SPEC))
def test_only_the_role_in_the_table_may_take_an_action(session, action):
    f.program(session)
    grant = f.grant_in(session, "draft")
    wrong = f.secretariat() if SPEC[action][2] == "applicant" else f.applicant()
    for actor in (wrong, f.AUDITOR):
        with pytest.raises(Forbidden):
            apply(session, grant.id, action, actor, f.BODIES[action], now=f.NOW)
    with pytest.raises(NotFound):  # no grant actor: told what another tenant is told
        apply(session, grant.id, action, f.ADMIN, f.BODIES[action], now=f.NOW)
    assert grant.state == "draft"


def test_unknown_action_is_invalid_input(session):
    f.program(session)
    grant = f.grant_in(session, "draft")
    with pytest.raises(InvalidInput) as invalid:
        apply(session, grant.id, "approve_everything", f.applicant(), now=f.NOW)
    assert "approve_everything" in invalid.value.detail


def test_reason_is_required_where_marked(session):
    f.program(session)
    for action, state in (("withdraw", "draft"), ("return", "submitted"),
                          ("reject", "under_review"), ("cancel", "awarded")):
        grant = f.grant_in(session, state)
        for body in ({}, {"reason": "  　 "}):
            with pytest.raises(InvalidInput) as invalid:
                f.act(session, grant, action, body)
            assert "理由（reason）" in invalid.value.detail
        assert grant.state == state


def test_fields_an_action_does_not_take_are_refused(session):
    f.program(session)
    grant = f.grant_in(session, "under_review")
    with pytest.raises(InvalidInput) as invalid:
        f.act(session, grant, "award", {**f.BODIES["award"], "confirmed_yen": 1})
    assert "confirmed_yen" in invalid.value.problems


@pytest.mark.parametrize("amount", ["300000", 300000.5, True, -1, 0, 10**13])
def test_amounts_must_be_positive_whole_yen(session, amount):
    f.program(session)
    grant = f.grant_in(session, "under_review")
    with pytest.raises(InvalidInput) as invalid:
        f.act(session, grant, "award", {"awarded_yen": amount, "decision_date": "2025-05-20"})
    assert "awarded_yen" in invalid.value.problems
    assert grant.state == "under_review"


def test_allowed_actions_follow_role_and_tenant(session):
    f.program(session)
    grant = f.grant_in(session, "awarded")
    where = ("awarded", f.CITY, f.CITY_ORG)
    assert allowed_actions(f.applicant(), *where) == [Action.request_change, Action.submit_report]
    assert allowed_actions(f.secretariat(), *where) == [Action.pay_advance, Action.cancel]
    assert allowed_actions(f.secretariat(f.WARD_ORG), *where) == []
    assert allowed_actions(f.applicant(f.TOWN), *where) == []
    assert allowed_actions(f.AUDITOR, *where) == []
    assert grant.state == "awarded"
    assert Role.auditor not in {t.role for t in TRANSITIONS.values()}


def test_every_name_of_the_table_has_its_japanese_words():
    """The words people read are in grants.core.ja, keyed by the table's names, for every one."""
    from grants.core.ja.documents import FORM_NAMES
    from grants.core.ja.labels import ACTION_LABELS, STATE_LABELS
    from workflows.table import FORMS, STATES
    assert set(STATE_LABELS) == set(State) == set(STATES)
    assert set(Action) <= set(ACTION_LABELS)
    assert set(FORM_NAMES) == set(FORMS) == set(range(1, 10))


def test_settle_from_confirmed_when_advances_covered_everything(session):
    f.program(session, allows_advance=True)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "pay_advance", {"amount_yen": 300_000})
    for action in ("submit_report", "confirm"):
        f.act(session, grant, action)
    assert grant.confirmed_yen == grant.advanced_yen == 300_000
    f.act(session, grant, "settle")  # nothing left to pay: no 交付請求書 to wait for
    assert (grant.state, grant.paid_yen, grant.refund_due_yen) == ("paid", 300_000, 0)
