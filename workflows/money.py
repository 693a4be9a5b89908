"""The cap and the budget, enforced by the database.

A grant's *commitment* is what it holds against its municipality's cap in its state
(``table.commitment``). Every action moves the commitment by a delta, and
the delta is applied with a conditional UPDATE: the row changes only if the new total still
fits. Concurrent awards queue on the row lock and each re-checks against the committed
total, so on PostgreSQL and SQLite alike no read-then-write race can overspend the cap.
"""

from sqlalchemy import bindparam, or_, select
from sqlmodel import Session

from grants.core.errors import Refused
from grants.core.ja.labels import ACTION_LABELS, yen
from grants.core.ja.messages import message
from grants.core.models import Commitment, Grant, Municipality, Program
from grants.core.wareki import fiscal_year_label

# Built once: these run on every award, change, confirmation and cancellation.
COMMITMENTS, PROGRAMS = Commitment.__table__, Program.__table__
_THIS_COMMITMENT = (COMMITMENTS.c.municipality_code == bindparam("code"),
                    COMMITMENTS.c.fiscal_year == bindparam("year"))
_COMMITTED = select(COMMITMENTS.c.committed_yen).where(*_THIS_COMMITMENT)
_MOVE = COMMITMENTS.update().where(*_THIS_COMMITMENT).values(
    committed_yen=COMMITMENTS.c.committed_yen + bindparam("delta"))
# Taking more is allowed only while it fits the year's cap; releasing is always allowed,
# even if an admin has since lowered the cap.
_TAKE = _MOVE.where(COMMITMENTS.c.committed_yen + bindparam("delta") <= select(PROGRAMS.c.cap_yen)
                    .where(PROGRAMS.c.fiscal_year == bindparam("year")).scalar_subquery())
_MOVE_BUDGET = PROGRAMS.update().where(PROGRAMS.c.fiscal_year == bindparam("year")).values(
    committed_yen=PROGRAMS.c.committed_yen + bindparam("delta"))
_TAKE_BUDGET = _MOVE_BUDGET.where(or_(
    PROGRAMS.c.budget_yen.is_(None),
    PROGRAMS.c.committed_yen + bindparam("delta") <= PROGRAMS.c.budget_yen))
_BUDGET = select(PROGRAMS.c.budget_yen, PROGRAMS.c.committed_yen).where(
    PROGRAMS.c.fiscal_year == bindparam("year"))


def committed(session: Session, municipality_code: str, fiscal_year: int) -> int:
    return session.connection().execute(
        _COMMITTED, {"code": municipality_code, "year": fiscal_year}).scalar() or 0


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
    # On the connection, not through the ORM: nothing in the session tracks these totals.
    connection = session.connection()
    moved = {"code": grant.municipality_code, "year": grant.fiscal_year, "delta": delta}
    if connection.execute(_TAKE if delta > 0 else _MOVE, moved).rowcount != 1:
        left = cap_left(session, grant.municipality_code, program) + own
        raise cap_exceeded(municipality, program, left=left, amount=amount, action=action)
    if connection.execute(_TAKE_BUDGET if delta > 0 else _MOVE_BUDGET, moved).rowcount != 1:
        budget, used = connection.execute(_BUDGET, moved).one()
        left = max(budget - used, 0) + own
        raise Refused(
            message("budget_exceeded", year=fiscal_year_label(program.fiscal_year),
                    budget=yen(budget), left=yen(left), amount=yen(amount),
                    action=ACTION_LABELS.get(action, action)),
            code="budget_exceeded", budget_yen=budget, left_yen=left, amount_yen=amount,
        )
