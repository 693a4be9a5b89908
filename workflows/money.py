"""The cap and the budget, enforced by the database.

A grant's *commitment* is what it holds against its municipality's cap in its state
(``table.commitment``). Every action moves the commitment by a delta, and
the delta is applied with a conditional UPDATE: the row changes only if the new total still
fits. Concurrent awards queue on the row lock and each re-checks against the committed
total, so on PostgreSQL and SQLite alike no read-then-write race can overspend the cap.
"""

from sqlalchemy import or_, select, update
from sqlmodel import Session

from grants.errors import Refused
from grants.ja import ACTION_LABELS, message, yen
from grants.models import Commitment, Grant, Municipality, Program
from grants.wareki import fiscal_year_label


def committed(session: Session, municipality_code: str, fiscal_year: int) -> int:
    return session.scalar(
        select(Commitment.committed_yen).where(
            Commitment.municipality_code == municipality_code,
            Commitment.fiscal_year == fiscal_year,
        )
    ) or 0


def cap_left(session: Session, municipality_code: str, program: Program) -> int:
    return max(program.cap_yen - committed(session, municipality_code, program.fiscal_year), 0)


def cap_exceeded(municipality: Municipality, program: Program, *, left: int, amount: int,
                 action: str) -> Refused:
    return Refused(
        message("cap_exceeded", municipality=municipality.name,
                year=f"{fiscal_year_label(program.fiscal_year)}（FY{program.fiscal_year}）",
                cap=yen(program.cap_yen), left=yen(left), amount=yen(amount),
                action=ACTION_LABELS.get(action, action)),
        code="cap_exceeded", cap_yen=program.cap_yen, left_yen=left, amount_yen=amount,
    )


def rebalance(session: Session, grant: Grant, municipality: Municipality, program: Program,
              *, delta: int, own: int, amount: int, action: str) -> None:
    """Move the municipality's and the program's committed totals by ``delta`` yen, or
    refuse if the cap or the budget would be exceeded. A refusal reports what is left for
    this grant: the free part of the cap plus what the grant itself holds (``own``)."""
    if delta == 0:
        return
    _move_cap(session, grant, municipality, program, delta=delta, own=own, amount=amount,
              action=action)
    _move_budget(session, program, delta=delta, own=own, amount=amount, action=action)


def _move_cap(session, grant, municipality, program, *, delta, own, amount, action) -> None:
    row = (Commitment.municipality_code == grant.municipality_code,
           Commitment.fiscal_year == grant.fiscal_year)
    statement = update(Commitment.__table__).where(*row).values(
        committed_yen=Commitment.committed_yen + delta)
    if delta > 0:
        # Releasing is always allowed, even if an admin has since lowered the cap.
        cap = select(Program.cap_yen).where(Program.fiscal_year == grant.fiscal_year)
        statement = statement.where(Commitment.committed_yen + delta <= cap.scalar_subquery())
    if _rowcount(session, statement) != 1:
        left = cap_left(session, grant.municipality_code, program) + own
        raise cap_exceeded(municipality, program, left=left, amount=amount, action=action)


def _move_budget(session, program, *, delta, own, amount, action) -> None:
    statement = update(Program.__table__).where(Program.fiscal_year == program.fiscal_year).values(
        committed_yen=Program.committed_yen + delta)
    if delta > 0:
        statement = statement.where(or_(Program.budget_yen.is_(None),
                                        Program.committed_yen + delta <= Program.budget_yen))
    if _rowcount(session, statement) != 1:
        budget, used = session.execute(
            select(Program.budget_yen, Program.committed_yen)
            .where(Program.fiscal_year == program.fiscal_year)).one()
        left = max(budget - used, 0) + own
        raise Refused(
            message("budget_exceeded", year=fiscal_year_label(program.fiscal_year),
                    budget=yen(budget), left=yen(left), amount=yen(amount),
                    action=ACTION_LABELS.get(action, action)),
            code="budget_exceeded", budget_yen=budget, left_yen=left, amount_yen=amount,
        )


def _rowcount(session: Session, statement) -> int:
    # On the connection, not through the ORM: nothing in the session tracks these totals.
    return session.connection().execute(statement).rowcount
