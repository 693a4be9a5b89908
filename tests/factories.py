"""Builders for tests: actors, programs, and grants driven to any state through ``apply``."""

from datetime import date, datetime, timezone

from sqlmodel import Session

from grants.core.actors import Actor, Role
from grants.core.models import Grant, Program
from grants.core.programs import add_program
from workflows.apply import apply
from workflows.drafts import create_draft

FY = 2025
# 2025-05-01 10:00 in Tokyo: inside the FY2025 application window. Applications are
# submitted then; everything after the submission happens on the day of the decision,
# 2025-05-20 10:00 in Tokyo, so that a decision is never dated before its application
# nor after the day it is taken.
NOW = datetime(2025, 5, 1, 1, 0, tzinfo=timezone.utc)
DECISION = date(2025, 5, 20)
LATER = datetime(2025, 5, 20, 1, 0, tzinfo=timezone.utc)

WARD, WARD_ORG = "131016", "tokubetsuku-kyogikai"  # 千代田区
CITY, CITY_ORG = "132012", "shichoson-chosakai"  # 八王子市
TOWN = "133035"  # 瑞穂町, also 市町村調査会


def applicant(code: str = CITY) -> Actor:
    return Actor(f"applicant-{code}", Role.applicant, municipality_code=code)


def secretariat(org: str = CITY_ORG) -> Actor:
    return Actor(f"secretariat-{org}", Role.secretariat, org_id=org)


AUDITOR = Actor("auditor", Role.auditor)
ADMIN = Actor("admin", Role.admin)


def program(session: Session, fiscal_year: int = FY, **kwargs) -> Program:
    kwargs.setdefault("applications_open", date(fiscal_year, 4, 1))
    kwargs.setdefault("applications_close", date(fiscal_year, 6, 30))
    return add_program(session, fiscal_year=fiscal_year, **kwargs)


def draft(session: Session, code: str = CITY, fiscal_year: int = FY, **fields) -> Grant:
    data = {
        "fiscal_year": fiscal_year, "municipality_code": code,
        "title": "市民協働による里山保全事業", "category": "nature_conservation",
        "actions": ["awareness", "places_for_action"],
        "summary": "里山の下草刈りと観察会を市民と行う。",
        "project_start": date(fiscal_year, 6, 1).isoformat(),
        "project_end": date(fiscal_year + 1, 2, 28).isoformat(),
        "project_cost_yen": 600_000, "requested_yen": 400_000,
    } | fields
    return create_draft(session, applicant(code), data, now=NOW)


def reason(text: str = "理由を記載します。") -> dict:
    return {"reason": text}


# A valid body for every action (amounts fit the draft above).
BODIES: dict[str, dict | None] = {
    "submit": None,
    "withdraw": reason(),
    "start_review": None,
    "return": reason("添付資料が不足しています。"),
    "award": {"awarded_yen": 300_000, "decision_date": DECISION.isoformat()},
    "reject": reason(),
    "pay_advance": {"amount_yen": 100_000},
    "request_change": {"reason": "参加者増のため", "requested_yen": 350_000},
    "approve_change": {},
    "deny_change": reason(),
    "submit_report": {"actual_cost_yen": 550_000, "outcomes": "観察会を4回開催し120名が参加した。"},
    "return_report": reason(),
    "confirm": None,
    "request_payment": {"bank_name": "多摩中央信用金庫", "bank_code": "1360", "branch_name": "八王子支店",
                        "branch_code": "012", "account_type": "ordinary",
                        "account_number": "1234567", "holder_kana": "ハチオウジシ　カイケイカンリシャ"},
    "settle": {},
    "publish": {"public_summary": "市民120名と里山を保全しました。"},
    "unpublish": reason(),
    "cancel": reason(),
}

# The shortest path from draft to each state.
PATHS: dict[str, list[str]] = {
    "draft": [],
    "submitted": ["submit"],
    "under_review": ["submit", "start_review"],
    "returned": ["submit", "return"],
    "withdrawn": ["withdraw"],
    "rejected": ["submit", "start_review", "reject"],
    "awarded": ["submit", "start_review", "award"],
    "change_requested": ["submit", "start_review", "award", "request_change"],
    "report_submitted": ["submit", "start_review", "award", "submit_report"],
    "report_returned": ["submit", "start_review", "award", "submit_report", "return_report"],
    "confirmed": ["submit", "start_review", "award", "submit_report", "confirm"],
    "payment_requested": ["submit", "start_review", "award", "submit_report", "confirm",
                          "request_payment"],
    "paid": ["submit", "start_review", "award", "submit_report", "confirm", "request_payment",
             "settle"],
    "published": ["submit", "start_review", "award", "submit_report", "confirm",
                  "request_payment", "settle", "publish"],
    "cancelled": ["submit", "start_review", "award", "cancel"],
}

APPLICANT_ACTIONS = {"submit", "withdraw", "request_change", "submit_report", "request_payment"}


def actor_for(action: str, code: str = CITY) -> Actor:
    org = WARD_ORG if code.startswith("131") else CITY_ORG
    return applicant(code) if action in APPLICANT_ACTIONS else secretariat(org)


def act(session: Session, grant: Grant, action: str, body: dict | None = None, *,
        actor: Actor | None = None, now: datetime | None = None) -> Grant:
    body = BODIES[action] if body is None else body
    now = now or (NOW if action == "submit" else LATER)
    return apply(session, grant.id, action, actor or actor_for(action, grant.municipality_code),
                 body, now=now)


def grant_in(session: Session, state: str, code: str = CITY, **fields) -> Grant:
    grant = draft(session, code, **fields)
    for action in PATHS[state]:
        act(session, grant, action)
    assert grant.state == state
    return grant
