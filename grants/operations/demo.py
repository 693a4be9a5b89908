"""A ready-to-try database: an open program for this fiscal year, a login per role for both
orgs, and a few grants in several states (and last year's, settled and published), so that
each page has something to show. Never in production."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from grants.core import programs
from grants.core.actors import Actor, Role
from grants.core.clock import JST, japan_date, utcnow
from grants.core.dates import fiscal_year_bounds, fiscal_year_of
from grants.core.errors import NotFound
from grants.core.models import Grant, Municipality, Program, User
from grants.core.passwords import hash_password
from grants.core.users import add_user, get_user
from workflows.apply import apply
from workflows.drafts import create_draft
from workflows.machine import Action
from workflows.table import TRANSITIONS

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


# (municipality, title, category, the actions that bring it where it stands)
SCENES = [
    ("131016", "区民とつくる緑のカーテン", "warming_prevention", []),
    ("131121", "多摩川河川敷の生きもの調査", "nature_conservation", ["submit"]),
    ("133035", "狭山丘陵の雑木林保全", "nature_conservation", ["submit", "start_review"]),
    ("133078", "檜原の森林環境教育", "nature_conservation", ["submit", "return"]),
    ("132012", "里山の下草刈りと観察会", "nature_conservation",
     ["submit", "start_review", "award"]),
]
LAST_YEAR = ["submit", "start_review", "award", "submit_report", "confirm", "request_payment",
             "settle", "publish"]


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    password: str
    municipality_code: str | None
    org_id: str | None


def prepare(session: Session, now: datetime | None = None) -> tuple[Program, list[Login]]:
    """Open this fiscal year's applications (if not yet), (re)set the demo logins, and stage
    the grants on a database that has none."""
    now = now or utcnow()
    today = japan_date(now)
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
            user.password_hash, user.disabled = hash_password(password), False
        except NotFound:
            add_user(session, {"username": username, "role": role, "password": password,
                               "municipality_code": code, "org_id": org})
        logins.append(Login(username, role, password, code, org))
    session.flush()
    if not session.scalar(select(func.count()).select_from(Grant)):
        _stage(session, program, now)
    return program, logins


def is_prepared(session: Session) -> bool:
    """Whether the database already has people in it (then the demo leaves it alone)."""
    return bool(session.scalar(select(func.count()).select_from(User)))


def _stage(session: Session, program: Program, now: datetime) -> None:
    today = japan_date(now)
    for code, title, category, path in SCENES:
        _play(session, code, title, category, program.fiscal_year, path, [now] * len(path), today)
    # Last year: one grant the whole way through, each step on its day.
    year = program.fiscal_year - 1
    first, last = fiscal_year_bounds(year)
    session.get(Program, year) or programs.add_program(
        session, fiscal_year=year, applications_open=first, applications_close=date(year, 6, 30))
    days = [date(year, 5, 8), date(year, 5, 20), date(year, 6, 2), date(year + 1, 3, 5),
            date(year + 1, 3, 19), date(year + 1, 3, 23), date(year + 1, 3, 26),
            date(year + 1, 4, 9)]
    moments = [datetime.combine(day, time(10), JST) for day in days]
    _play(session, "132012", "浅川の水辺の生きもの観察会", "nature_conservation", year, LAST_YEAR,
          moments, days[2], report={"actual_cost_yen": 620_000,
                                    "outcomes": "観察会を4回開き、市民180名が参加した。"})


def _play(session, code, title, category, year, path, moments, decided, report=None) -> None:
    first, last = fiscal_year_bounds(year)
    municipality = session.get(Municipality, code)
    applicant = Actor(f"demo-{code}", Role.applicant, municipality_code=code)
    staff = Actor("demo-staff", Role.secretariat, org_id=municipality.org_id)
    grant = create_draft(session, applicant, {
        "fiscal_year": year, "municipality_code": code, "title": title, "category": category,
        "actions": ["awareness", "places_for_action"], "summary": f"{municipality.name}の{title}。",
        "project_start": max(first, date(year, 6, 1)).isoformat(),
        "project_end": date(year + 1, 2, 28).isoformat(), "project_cost_yen": 800_000,
        "requested_yen": 600_000}, now=moments[0] if moments else None)
    bodies = {"return": {"reason": "経費の内訳（見積書）を添付してください。"},
              "award": {"awarded_yen": 500_000, "decision_date": decided.isoformat()},
              "submit_report": report, "settle": {},
              "request_payment": {"bank_name": "多摩信用金庫", "bank_code": "1360",
                                  "branch_name": "八王子支店", "branch_code": "021",
                                  "account_type": "ordinary", "account_number": "0123456",
                                  "holder_kana": f"{municipality.kana}カイケイカンリシャ"},
              "publish": {"public_summary": f"{municipality.name}で{title}を行いました。"}}
    actors = {Role.applicant: applicant, Role.secretariat: staff}
    for action, moment in zip(path, moments, strict=True):
        actor = actors[TRANSITIONS[Action(action)].role]  # whose move it is, as the table says
        apply(session, grant.id, action, actor, bodies.get(action), now=moment)
