"""The nine official forms (様式第1号〜第9号, SPEC §6) as letters built from a grant.

A letter has the form number, the document number and date, the addressee and the sender
(the org's head for notices, the municipality's head for what it submits), the title, the
opening sentence, 記 and a table of the particulars the form needs. Every word comes from
``grants.core.ja``; this module only arranges them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from forms.docx import Writer, render
from grants.core import programs
from grants.core.dates import refund_due
from grants.core.ja.documents import DOCUMENT_WORDS, FORM_INTROS, FORM_NAMES, ORG_HEAD_TITLE, kin
from grants.core.ja.labels import (
    ACCOUNT_TYPE_LABELS,
    CATEGORY_LABELS,
    DECLARED_ACTION_LABELS,
    FIELD_LABELS,
    PROGRAM_NAME,
)
from grants.core.models import Grant, Municipality, Org, Program
from grants.core.wareki import fiscal_year_label, wareki_date
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
    program: Program | None = None  # its 要綱 and standard conditions
    # The org's head on the day the document is dated: (title, name or None).
    issuer: tuple[str, str | None] = (ORG_HEAD_TITLE, None)
    # The latest earlier document of each form for this grant: form -> (date, number or None).
    cited: dict[int, tuple[date, str | None]] = field(default_factory=dict)

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
    title, name = sheet.issuer
    org_head = _person(title, name)
    town_head = _person(municipality.head_title, municipality.head_name)
    # Notices go from the org's head to the municipality's head; what the municipality files,
    # the other way. The sender's name carries the position of its seal (印).
    if sheet.from_org:
        addressee, sender = [town_head], [org.name, f"{org_head}　{W['seal']}"]
    else:
        addressee, sender = [org.name, org_head], [f"{town_head}　{W['seal']}"]
    w.line(W["form"].format(n=sheet.form))
    w.line(sheet.number or W["blank_number"], align="right")
    w.line(wareki_date(sheet.issued_on), align="right")
    w.line()
    for line in addressee[:-1]:
        w.line(line)
    w.line(W["addressee"].format(name=addressee[-1]))
    w.line()
    for line in sender:
        w.line(line, align="right")
    w.line()
    # The title breaks before the document's name, never inside a word.
    w.line(f"{fiscal_year_label(grant.fiscal_year)}{PROGRAM_NAME}", align="center", bold=True,
           size=14)
    w.line(sheet.name, align="center", bold=True, size=14)
    w.line()
    w.line("　" + _intro(sheet))
    w.line()
    w.line(W["notes"], align="center")
    w.table(PARTICULARS[sheet.form](sheet))
    if sheet.form == 9:
        w.line()
        w.line(W["refund_note"].format(due=wareki_date(refund_due(sheet.issued_on)))
               if grant.refund_due_yen else W["no_refund"])
    w.line()
    w.line(W["end"], align="right")


def _person(title: str, name: str | None) -> str:
    return f"{title}　{name}" if name else title


def _intro(sheet: Sheet) -> str:
    grant = sheet.grant
    approved = sheet.cited.get(5)
    amount = {2: grant.awarded_yen, 5: grant.awarded_yen, 7: grant.confirmed_yen,
              8: _due(grant)}.get(sheet.form)
    return FORM_INTROS[sheet.form].format(
        program=f"{fiscal_year_label(grant.fiscal_year)}{PROGRAM_NAME}",
        basis=_basis(sheet), amount=f"{amount or 0:,}",
        applied=_cite(sheet, 1), decided=_cite(sheet, 2), change_requested=_cite(sheet, 4),
        reported=_cite(sheet, 6), confirmed=_cite(sheet, 7),
        change_approved=W["change_approved"].format(cited=_cite(sheet, 5)) if approved else "")


def _cite(sheet: Sheet, form: int) -> str:
    """「令和7年5月20日付け7市調環第1号で」: the date and number of the document answered."""
    day, number = sheet.cited.get(form, (None, None))
    if number:
        return W["cited"].format(day=_day(day), number=number)
    return W["cited_day"].format(day=_day(day))


def _basis(sheet: Sheet) -> str:
    name, articles = programs.guideline(sheet.program)
    return W["basis"].format(guideline=name, article=articles.get(str(sheet.form), ""))


def _due(grant: Grant) -> int:
    return max((grant.confirmed_yen or 0) - grant.advanced_yen, 0)


def _day(day: date | None) -> str:
    return wareki_date(day) if day else W["blank_date"]


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
    return _project(g) + [(W["eligible_cost"], _yen(g.project_cost_yen)),
                          (_label("requested_yen"), _yen(g.requested_yen)),
                          (_label("awarded_yen"), _yen(g.awarded_yen)),
                          (_label("conditions"), _conditions(s))]


def _conditions(s: Sheet) -> str:
    """The program's standard conditions, numbered, then whatever this award adds."""
    g = s.grant
    standard = (programs.award_conditions(s.program).replace("{report_due}", _day(g.report_due))
                .replace("{project_end}", _day(g.project_end)))
    lines = [f"{n}　{line}" for n, line in
             enumerate((line for line in standard.splitlines() if line.strip()), start=1)]
    if g.conditions:
        lines.append(f"{len(lines) + 1}　{W['conditions_other']}：{g.conditions}")
    return "\n".join(lines)


def _rejection(s: Sheet) -> list[tuple[str, str]]:
    return [(_label("title"), s.grant.title), (_label("requested_yen"), _yen(s.grant.requested_yen)),
            (W["reason_reject"], s.reason or "")]


def _change_request(s: Sheet) -> list[tuple[str, str]]:
    g, change = s.grant, s.change or {}
    lines = []
    for name, after in change.items():
        before = getattr(g, name)
        if name == "requested_yen":  # the amount asked for now stands beside the one awarded
            name, before = "awarded_yen", g.awarded_yen
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
    due = _due(g)
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
    rows = [(_label("title"), g.title), (_label("awarded_yen"), _yen(g.awarded_yen)),
            (W["reason_cancel"], s.reason or ""), (W["paid"], _yen(g.paid_yen)),
            (W["refund"], _yen(g.refund_due_yen))]
    if g.refund_due_yen:
        rows.append((W["refund_due"], _day(refund_due(s.issued_on))))
    return rows


PARTICULARS: dict[int, Callable[[Sheet], list[tuple[str, str]]]] = {
    1: _application, 2: _award, 3: _rejection, 4: _change_request, 5: _change_approval,
    6: _report, 7: _confirmation, 8: _payment_request, 9: _cancellation,
}
