"""A ready-to-try database: an open program for this fiscal year and a login per role."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from grants import programs
from grants.clock import japan_date, utcnow
from grants.errors import NotFound
from grants.models import Program
from grants.users import add_user, get_user, passwords

# (username, role, municipality, org): both orgs, a ward, a city, a town and a village.
ACCOUNTS = [
    ("chiyoda", "applicant", "131016", None),
    ("setagaya", "applicant", "131121", None),
    ("hachioji", "applicant", "132012", None),
    ("mizuho", "applicant", "133035", None),
    ("hinohara", "applicant", "133078", None),
    ("tokubetsuku", "secretariat", None, "tokubetsuku-kyogikai"),
    ("shichoson", "secretariat", None, "shichoson-chosakai"),
    ("auditor", "auditor", None, None),
    ("admin", "admin", None, None),
]


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    password: str
    municipality_code: str | None
    org_id: str | None


def current_fiscal_year(today: date) -> int:
    return today.year if today.month >= 4 else today.year - 1


def prepare(session: Session, today: date | None = None) -> tuple[Program, list[Login]]:
    """Open this fiscal year's applications (if not yet) and (re)set the demo logins."""
    today = today or japan_date(utcnow())
    year = current_fiscal_year(today)
    program = session.get(Program, year) or programs.add_program(
        session, fiscal_year=year, applications_open=date(year, 4, 1),
        applications_close=max(date(year, 6, 30), today + timedelta(days=60)))
    logins = []
    for username, role, code, org in ACCOUNTS:
        password = secrets.token_urlsafe(12)
        try:
            user = get_user(session, username)
            user.password_hash, user.disabled = passwords.hash(password), False
        except NotFound:
            add_user(session, {"username": username, "role": role, "password": password,
                               "municipality_code": code, "org_id": org})
        logins.append(Login(username, role, password, code, org))
    session.flush()
    return program, logins
