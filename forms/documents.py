"""The nine official forms (様式第1号〜第9号, SPEC §6) as letters built from a grant.

A letter has the form number, the document number and date, the addressee and the sender
(the org's head for notices, the municipality's head for what it submits), the title, the
opening sentence, 記 and a table of the particulars the form needs. Every word comes from
``grants.ja``; this module only arranges them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from forms.docx import Writer, render
from grants.clock import japan_date
from grants.ja import (
    ACCOUNT_TYPE_LABELS,
    CATEGORY_LABELS,
    DECLARED_ACTION_LABELS,
    DOCUMENT_WORDS,
    FIELD_LABELS,
    FORM_INTROS,
    FORM_NAMES,
    PROGRAM_NAME,
    kin,
)
from grants.models import Grant, Municipality, Org
from grants.wareki import fiscal_year_label, wareki_date
from workflows.table import FORMS

W = DOCUMENT_WORDS


@dataclass(frozen=True)
class Sheet:
    """Everything one document shows."""

    form: int
    grant: Grant
    municipality: Municipality
    org: Org
    issued_on: date
    number: str | None = None
    reason: str | None = None
    amounts: dict = field(default_factory=dict)
    change: dict | None = None  # the change requested (様式第4号)

    @property
    def name(self) -> str:
        return FORM_NAMES[self.form]

    @property
    def from_org(self) -> bool:
        return FORMS[self.form].from_org

    @property
    def title(self) -> str:
        return f"{fiscal_year_label(self.grant.fiscal_year)}{PROGRAM_NAME}{self.name}"


def build(sheet: Sheet) -> bytes:
    return render(lambda writer: _letter(writer, sheet), title=sheet.title,
                  issued_on=sheet.issued_on)


def _letter(w: Writer, sheet: Sheet) -> None:
    grant, org, municipality = sheet.grant, sheet.org, sheet.municipality
    org_head = f"{org.name}\n{org.head_title}"
    addressee, sender = ((municipality.head_title, org_head) if sheet.from_org
                         else (org_head, municipality.head_title))
    w.line(W["form"].format(n=sheet.form))
    w.line(sheet.number or W["blank_number"], align="right")
    w.line(wareki_date(sheet.issued_on), align="right")
    w.line()
    w.line(W["addressee"].format(name=addressee))
    w.line()
    w.line(sender, align="right")
    w.line()
    w.line(sheet.title, align="center", bold=True, size=14)
    w.line()
    w.line("　" + FORM_INTROS[sheet.form].format(
        program=f"{fiscal_year_label(grant.fiscal_year)}{PROGRAM_NAME}",
        applied=_day(grant.first_submitted_at and japan_date(grant.first_submitted_at)),
        decided=_day(grant.decision_date)))
    w.line()
    w.line(W["notes"], align="center")
    w.table(PARTICULARS[sheet.form](sheet))
    if sheet.form == 9:
        w.line()
        w.line(W["refund_note"] if grant.refund_due_yen else W["no_refund"])
    w.line()
    w.line(W["end"], align="right")


def _day(day: date | None) -> str:
    return wareki_date(day) if day else "　　年　月　日"


def _label(name: str) -> str:
    return FIELD_LABELS.get(name) or W[name]


def _project(grant: Grant) -> list[tuple[str, str]]:
    return [
        (_label("title"), grant.title),
        (_label("category"), CATEGORY_LABELS.get(grant.category or "", "")),
        (_label("actions"), "、".join(DECLARED_ACTION_LABELS[a] for a in grant.actions)),
        (W["period_label"], _period(grant)),
    ]


def _period(grant: Grant) -> str:
    if not (grant.project_start and grant.project_end):
        return ""
    return W["period"].format(start=wareki_date(grant.project_start),
                              end=wareki_date(grant.project_end))


def _yen(amount: int | None) -> str:
    return kin(amount) if amount is not None else ""


def _application(s: Sheet) -> list[tuple[str, str]]:
    g = s.grant
    return _project(g) + [(_label("summary"), g.summary or ""),
                          (_label("project_cost_yen"), _yen(g.project_cost_yen)),
                          (_label("requested_yen"), _yen(g.requested_yen))]


def _award(s: Sheet) -> list[tuple[str, str]]:
    g = s.grant
    return _project(g) + [(_label("awarded_yen"), _yen(g.awarded_yen)),
                          (_label("decision_date"), _day(g.decision_date)),
                          (_label("conditions"), g.conditions or W["none"])]


def _rejection(s: Sheet) -> list[tuple[str, str]]:
    return [(_label("title"), s.grant.title), (_label("requested_yen"), _yen(s.grant.requested_yen)),
            (W["reason_reject"], s.reason or "")]


def _change_request(s: Sheet) -> list[tuple[str, str]]:
    g, change = s.grant, s.change or {}
    lines = []
    for name, after in change.items():
        before = getattr(g, name)
        if name.endswith("_yen"):
            before, after = _yen(before), _yen(after)
        elif name == "project_end":
            before, after = _day(before), _day(date.fromisoformat(after))
        lines.append(f"{_label(name)}\n" + W["change"].format(before=before or "", after=after))
    return [(_label("title"), g.title), (_label("awarded_yen"), _yen(g.awarded_yen)),
            (W["changes"], "\n".join(lines)), (W["reason_change"], s.reason or "")]


def _change_approval(s: Sheet) -> list[tuple[str, str]]:
    g = s.grant
    return _project(g) + [(W["previous_awarded"], _yen(s.amounts.get("previous_awarded_yen"))),
                          (W["new_awarded"], _yen(g.awarded_yen))]


def _report(s: Sheet) -> list[tuple[str, str]]:
    g = s.grant
    return _project(g) + [(_label("awarded_yen"), _yen(g.awarded_yen)),
                          (W["actual_cost"], _yen(g.actual_cost_yen)),
                          (_label("outcomes"), g.outcomes or "")]


def _confirmation(s: Sheet) -> list[tuple[str, str]]:
    g = s.grant
    return [(_label("title"), g.title), (_label("awarded_yen"), _yen(g.awarded_yen)),
            (W["actual_cost"], _yen(g.actual_cost_yen)), (W["confirmed"], _yen(g.confirmed_yen)),
            (W["advanced"], _yen(g.advanced_yen))]


def _payment_request(s: Sheet) -> list[tuple[str, str]]:
    g = s.grant
    due = max((g.confirmed_yen or 0) - g.advanced_yen, 0)
    account = g.payment_account or {}
    return [(_label("title"), g.title), (W["confirmed"], _yen(g.confirmed_yen)),
            (W["advanced"], _yen(g.advanced_yen)), (W["requested_payment"], _yen(due)),
            (W["account_label"], W["account"].format(
                bank=account.get("bank_name", ""), bank_code=account.get("bank_code", ""),
                branch=account.get("branch_name", ""), branch_code=account.get("branch_code", ""),
                kind=ACCOUNT_TYPE_LABELS.get(account.get("account_type", ""), ""),
                number=account.get("account_number", ""), holder=account.get("holder_kana", "")))]


def _cancellation(s: Sheet) -> list[tuple[str, str]]:
    g = s.grant
    return [(_label("title"), g.title), (_label("awarded_yen"), _yen(g.awarded_yen)),
            (W["reason_cancel"], s.reason or ""), (W["paid"], _yen(g.paid_yen)),
            (W["refund"], _yen(g.refund_due_yen))]


PARTICULARS: dict[int, Callable[[Sheet], list[tuple[str, str]]]] = {
    1: _application, 2: _award, 3: _rejection, 4: _change_request, 5: _change_approval,
    6: _report, 7: _confirmation, 8: _payment_request, 9: _cancellation,
}
