"""Fiscal-year programs (年度): cap, budget, application window, report rule, reminders."""

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from grants.core import dates
from grants.core.errors import NotFound, Refused
from grants.core.ja.documents import AWARD_CONDITIONS, GUIDELINE_ARTICLES, GUIDELINE_NAME
from grants.core.ja.labels import yen
from grants.core.ja.messages import message
from grants.core.models import Commitment, DocumentCounter, Municipality, Org, Program
from grants.core.schemas import ProgramBody, ProgramPatch
from grants.core.validation import parse
from grants.core.wareki import fiscal_year_label

# Days before (positive) or after (negative) a deadline at which reminders go out (SPEC §7).
DEFAULT_REMINDER_OFFSETS = {
    "application_close": [14, 7, 1],
    "report_due": [14, 7, 1, 0],
    "waiting_applicant_open_days": 5,
    "waiting_review_open_days": 10,
    "unsettled_days": 30,
}


def add_program(session: Session, data: ProgramBody | dict[str, Any] | None = None,
                **fields: Any) -> Program:
    """Open a fiscal year, with a zero commitment row for every municipality."""
    body = parse(ProgramBody, data if data is not None else fields)
    dates.check_window(body.applications_open, body.applications_close, body.fiscal_year)
    if session.get(Program, body.fiscal_year) is not None:
        raise Refused(message("program_exists", year=fiscal_year_label(body.fiscal_year)),
                      code="program_exists")
    program = Program(**body.model_dump(), report_deadline=date(body.fiscal_year + 1, 4, 10),
                      reminder_offsets=dict(DEFAULT_REMINDER_OFFSETS))
    session.add(program)
    session.flush()
    for code in session.scalars(select(Municipality.code)):
        session.add(Commitment(municipality_code=code, fiscal_year=body.fiscal_year))
    for org_id in session.scalars(select(Org.id)):
        session.add(DocumentCounter(org_id=org_id, fiscal_year=body.fiscal_year))
    session.flush()
    return program


def change_program(session: Session, fiscal_year: int,
                   data: ProgramPatch | dict[str, Any]) -> Program:
    """Change a year's cap, budget, window, advance rule or reminders; the cap and budget
    never below what is committed."""
    changes = parse(ProgramPatch, data).model_dump(exclude_unset=True)
    # Lock the year's commitment rows, then the program row: the order awards take them, so
    # a new cap or budget is checked against every award, committed or in flight.
    committed = session.execute(
        select(Commitment.municipality_code, Commitment.committed_yen)
        .where(Commitment.fiscal_year == fiscal_year).with_for_update()).all()
    program = session.scalars(select(Program).where(Program.fiscal_year == fiscal_year)
                              .with_for_update().execution_options(populate_existing=True)).first()
    if program is None:
        raise NotFound(message("unknown_program", year=fiscal_year_label(fiscal_year)),
                       code="unknown_program")
    year = fiscal_year_label(fiscal_year)
    if "cap_yen" in changes and committed:
        code, most = max(committed, key=lambda row: row.committed_yen)
        if changes["cap_yen"] < most:
            name = session.get(Municipality, code).name
            raise Refused(message("cap_below_committed", year=year, cap=yen(changes["cap_yen"]),
                                  municipality=name, committed=yen(most)),
                          code="cap_below_committed")
    budget = changes.get("budget_yen")
    if budget is not None and budget < program.committed_yen:
        raise Refused(message("budget_below_committed", year=year, budget=yen(budget),
                              committed=yen(program.committed_yen)),
                      code="budget_below_committed")
    dates.check_window(changes.get("applications_open", program.applications_open),
                       changes.get("applications_close", program.applications_close), fiscal_year)
    if "reminder_offsets" in changes:  # only the offsets given change
        given = {k: v for k, v in changes.pop("reminder_offsets").items() if v is not None}
        program.reminder_offsets = {**DEFAULT_REMINDER_OFFSETS, **program.reminder_offsets,
                                    **given}
    for field, value in changes.items():
        setattr(program, field, value)
    session.flush()
    return program


def get_program(session: Session, fiscal_year: int) -> Program:
    program = session.get(Program, fiscal_year)
    if program is None:
        raise NotFound(message("unknown_program", year=fiscal_year_label(fiscal_year)),
                       code="unknown_program")
    return program


def list_programs(session: Session) -> list[Program]:
    return list(session.scalars(select(Program).order_by(Program.fiscal_year)))


def guideline(program: Program | None) -> tuple[str, dict[str, str]]:
    """The 交付要綱 the program's notices cite, and the article of each form."""
    return ((program and program.guideline_name) or GUIDELINE_NAME,
            (program and program.guideline_articles) or GUIDELINE_ARTICLES)


def award_conditions(program: Program | None) -> str:
    """The standard conditions of its 交付決定通知書, one per line."""
    return (program and program.award_conditions) or AWARD_CONDITIONS
