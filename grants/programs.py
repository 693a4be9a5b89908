"""Fiscal-year programs (年度): cap, budget, application window, report rule, reminders."""

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from forms.schemas import ProgramBody, parse
from grants.errors import NotFound, Refused
from grants.ja import message
from grants.models import Commitment, Municipality, Program
from grants.wareki import fiscal_year_label

# Days before (positive) or after (negative) a deadline at which reminders go out (SPEC §7).
DEFAULT_REMINDER_OFFSETS = {
    "application_close": [14, 7, 1],
    "report_due": [14, 7, 1, 0],
    "waiting_applicant_open_days": 5,
    "waiting_review_open_days": 10,
    "unsettled_days": 30,
}


def fiscal_year_bounds(fiscal_year: int) -> tuple[date, date]:
    """FY2025 (令和7年度) runs from 2025-04-01 to 2026-03-31."""
    return date(fiscal_year, 4, 1), date(fiscal_year + 1, 3, 31)


def add_program(session: Session, data: ProgramBody | dict[str, Any] | None = None,
                **fields: Any) -> Program:
    """Open a fiscal year, with a zero commitment row for every municipality."""
    body = parse(ProgramBody, data if data is not None else fields)
    if session.get(Program, body.fiscal_year) is not None:
        raise Refused(message("program_exists", year=fiscal_year_label(body.fiscal_year)),
                      code="program_exists")
    program = Program(**body.model_dump(), report_deadline=date(body.fiscal_year + 1, 4, 10),
                      reminder_offsets=DEFAULT_REMINDER_OFFSETS)
    session.add(program)
    session.flush()
    for code in session.scalars(select(Municipality.code)):
        session.add(Commitment(municipality_code=code, fiscal_year=body.fiscal_year))
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
