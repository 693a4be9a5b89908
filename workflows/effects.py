"""What each action checks and changes on the grant, beyond the state itself.

Each effect refuses (changing nothing) when a rule does not hold: 422 for a date or amount
that cannot be right for this grant, 409 for a rule of the program. Otherwise it updates the
grant and returns the amounts the audit event records. Cap and budget are not checked here
but by ``money.rebalance`` in the database, after the effect. The table names which effect
each action has."""

from datetime import date

from grants.core import bank_accounts, dates
from grants.core.clock import japan_date
from grants.core.errors import Refused
from grants.core.ja.labels import FIELD_LABELS, yen
from grants.core.ja.messages import message
from grants.core.wareki import fiscal_year_label, wareki_date
from workflows import money
from workflows.hooks import Context
from workflows.machine import State

SUBMIT_REQUIRED = ("title", "category", "actions", "summary", "project_start", "project_end",
                   "project_cost_yen", "requested_yen")


def submit(ctx: Context) -> dict:
    grant, program = ctx.grant, ctx.program
    missing = [f for f in SUBMIT_REQUIRED if getattr(grant, f) in (None, "", [])]
    if missing:
        raise Refused(message("incomplete", fields="、".join(FIELD_LABELS[f] for f in missing)),
                      code="incomplete", fields=missing)
    dates.check_period(grant.project_start, grant.project_end, grant.fiscal_year)
    if grant.first_submitted_at is None:
        _check_window(ctx)
        grant.first_submitted_at = ctx.now
    grant.submitted_at = ctx.now
    _check_requested(grant.requested_yen, grant.project_cost_yen)
    left = money.cap_left(ctx.session, grant.municipality_code, program)
    if grant.requested_yen > left:
        raise money.cap_exceeded(ctx.municipality, program, left=left,
                                 amount=grant.requested_yen, action=ctx.transition.action)
    return {"requested_yen": grant.requested_yen, "project_cost_yen": grant.project_cost_yen}


def award(ctx: Context) -> dict:
    grant, body = ctx.grant, ctx.body
    # The decision answers the application as last submitted, and is not made in advance.
    dates.check_between("decision_date", body.decision_date,
                        after=grant.submitted_at and japan_date(grant.submitted_at),
                        after_what=message("submission_day"), today=ctx.today)
    _check_awarded(body.awarded_yen, grant.requested_yen)
    grant.awarded_yen, grant.decision_date = body.awarded_yen, body.decision_date
    grant.conditions = body.conditions
    _set_report_due(ctx)
    return {"awarded_yen": grant.awarded_yen}


def pay_advance(ctx: Context) -> dict:
    grant, program, amount = ctx.grant, ctx.program, ctx.body.amount_yen
    if not program.allows_advance:
        raise Refused(message("advance_not_allowed", year=fiscal_year_label(program.fiscal_year)),
                      code="advance_not_allowed")
    total = grant.advanced_yen + amount
    if total > grant.awarded_yen:
        raise Refused(message("advance_over_awarded", total=yen(total),
                              awarded=yen(grant.awarded_yen)),
                      code="advance_over_awarded", advanced_yen=total)
    grant.advanced_yen = total
    grant.paid_yen += amount
    return {"amount_yen": amount, "advanced_yen": total}


def request_change(ctx: Context) -> dict:
    grant, changes = ctx.grant, ctx.body.changes()
    dates.check_period(grant.project_start, changes.get("project_end", grant.project_end),
                       grant.fiscal_year)
    requested = changes.get("requested_yen", grant.requested_yen)
    _check_requested(requested, changes.get("project_cost_yen", grant.project_cost_yen))
    grant.pending_change = {k: v.isoformat() if hasattr(v, "isoformat") else v
                            for k, v in changes.items()}
    return {"requested_yen": requested, "awarded_yen": grant.awarded_yen}


def approve_change(ctx: Context) -> dict:
    grant, change = ctx.grant, dict(ctx.grant.pending_change or {})
    previous = grant.awarded_yen
    requested = change.get("requested_yen", grant.requested_yen)
    awarded = ctx.body.awarded_yen or change.get("requested_yen", previous)
    _check_awarded(awarded, requested)
    for field in ("title", "summary", "project_cost_yen", "requested_yen"):
        if field in change:
            setattr(grant, field, change[field])
    if "project_end" in change:
        grant.project_end = date.fromisoformat(change["project_end"])
    grant.awarded_yen, grant.pending_change = awarded, None
    _set_report_due(ctx)
    return {"awarded_yen": awarded, "previous_awarded_yen": previous}


def deny_change(ctx: Context) -> dict:
    ctx.grant.pending_change = None
    return {}


def submit_report(ctx: Context) -> dict:
    grant, body = ctx.grant, ctx.body
    if body.completed_on is not None:
        dates.check_completion(body.completed_on, grant.project_start, grant.fiscal_year,
                               today=ctx.today)
    grant.actual_cost_yen, grant.outcomes = body.actual_cost_yen, body.outcomes
    grant.completed_on = body.completed_on or grant.project_end
    grant.report_submitted_at = ctx.now
    return {"actual_cost_yen": grant.actual_cost_yen}


def confirm(ctx: Context) -> dict:
    grant = ctx.grant
    grant.confirmed_yen = min(grant.awarded_yen, grant.actual_cost_yen)
    grant.confirmed_at = ctx.now
    return {"confirmed_yen": grant.confirmed_yen,
            "released_yen": grant.awarded_yen - grant.confirmed_yen}


def request_payment(ctx: Context) -> dict:
    """交付請求: the account given becomes the municipality's; none given, its saved one."""
    account = bank_accounts.keep(ctx.session, ctx.grant.municipality_code, ctx.body.account(),
                                 by=ctx.actor.username, now=ctx.now)
    ctx.grant.payment_account = account
    return {"payment_yen": max(ctx.grant.confirmed_yen - ctx.grant.advanced_yen, 0)}


def settle(ctx: Context) -> dict:
    """Pay what is left after advances, or record the refund when advances exceed it.
    Anything left to pay is paid only against the municipality's 交付請求書."""
    grant = ctx.grant
    if grant.state == State.confirmed and grant.confirmed_yen > grant.advanced_yen:
        raise Refused(message("payment_request_first", municipality=ctx.municipality.name,
                              due=yen(grant.confirmed_yen - grant.advanced_yen)),
                      code="payment_request_first")
    paid_on = ctx.body.paid_on or ctx.today
    dates.check_between("paid_on", paid_on, after=japan_date(grant.confirmed_at),
                        after_what=message("confirmation_day"), today=ctx.today)
    balance = grant.confirmed_yen - grant.advanced_yen
    payment, refund = max(balance, 0), max(-balance, 0)
    grant.paid_yen += payment
    grant.refund_due_yen = refund
    grant.paid_on = paid_on
    return {"payment_yen": payment, "refund_due_yen": refund, "paid_yen": grant.paid_yen}


def publish(ctx: Context) -> dict:
    ctx.grant.public_summary, ctx.grant.published_at = ctx.body.public_summary, ctx.now
    return {}


def unpublish(ctx: Context) -> dict:
    ctx.grant.published_at = None
    return {}


def cancel(ctx: Context) -> dict:
    """Releases what the grant held; everything already paid out becomes a refund due."""
    grant = ctx.grant
    grant.refund_due_yen = grant.paid_yen
    return {"released_yen": ctx.held_yen, "refund_due_yen": grant.refund_due_yen}


def nothing(ctx: Context) -> dict:
    return {}


def _set_report_due(ctx: Context) -> None:
    program = ctx.program
    ctx.grant.report_due = dates.report_due(ctx.grant.project_end, program.report_days_after_end,
                                            program.report_deadline)


def _check_window(ctx: Context) -> None:
    program, today = ctx.program, ctx.today
    year = fiscal_year_label(program.fiscal_year)
    if today < program.applications_open:
        raise Refused(message("window_not_open", year=year,
                              open=wareki_date(program.applications_open)),
                      code="window_not_open")
    close = dates.applications_close(program)
    if today > close:
        raise Refused(message("window_closed", year=year, close=wareki_date(close)),
                      code="window_closed")


def _check_requested(requested: int, cost: int) -> None:
    if requested > cost:
        raise Refused(message("requested_over_cost", requested=yen(requested), cost=yen(cost)),
                      code="requested_over_cost")


def _check_awarded(awarded: int, requested: int) -> None:
    if awarded > requested:
        raise Refused(message("awarded_over_requested", awarded=yen(awarded),
                              requested=yen(requested)),
                      code="awarded_over_requested")
