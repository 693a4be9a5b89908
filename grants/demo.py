"""A ready-to-try database: an open program for this fiscal year and a login per role."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from grants import programs
from grants.clock import japan_date, utcnow
from grants.dates import fiscal_year_bounds, fiscal_year_of
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


def prepare(session: Session, today: date | None = None) -> tuple[Program, list[Login]]:
    """Open this fiscal year's applications (if not yet) and (re)set the demo logins."""
    today = today or japan_date(utcnow())
    year = fiscal_year_of(today)
    first, last = fiscal_year_bounds(year)
    program = session.get(Program, year) or programs.add_program(
        session, fiscal_year=year, applications_open=first,
        applications_close=min(max(date(year, 6, 30), today + timedelta(days=60)), last))
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
