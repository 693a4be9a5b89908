"""Transitions per second through ``workflows.apply`` against plain SQL, in the same run.

Drives every grant of the 62 municipalities over several fiscal years from draft to
published (7 actions each, one transaction per action), then does the same with a baseline
that writes the same rows with hand-written SQL and no checks: the grant, the cap and budget
rows, the audit event and chain head, and, as the app does, the forms (様式) that submit,
award, submit_report and confirm issue. The baseline builds each form with the same
``forms.documents.build`` and inserts it, so both sides pay the same for the Word files and
the ratio shows what ``apply`` adds around them. A second pair of runs leaves the forms out
on both sides (the plug-ins not installed), which shows ``apply``'s own cost alone.

Each round runs both sides on fresh databases; the bench prints every round and the median
ratio of the rounds, on SQLite and, when GRANTS_BENCH_POSTGRES_URL or
GRANTS_TEST_POSTGRES_URL is set, on PostgreSQL. Aim: median >= 0.30x with the forms.

    python bench/transitions.py [--years 3] [--rounds 3]
"""

import argparse
import hashlib
import json
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.databases import postgres_database, postgres_server, sqlite_database  # noqa: E402
from forms.documents import Sheet, build  # noqa: E402
from grants.core import migrate
from grants.core.actors import Actor, Role  # noqa: E402
from grants.core.db import make_engine, unit_of_work  # noqa: E402
from grants.core.models import Document, Grant, Municipality, Org  # noqa: E402
from grants.core.programs import add_program  # noqa: E402
from grants.core.wareki import era_year  # noqa: E402
from grants.operations import plugins  # noqa: E402
from workflows import hooks  # noqa: E402
from workflows.apply import apply  # noqa: E402
from workflows.drafts import create_draft  # noqa: E402
from workflows.table import TRANSITIONS  # noqa: E402

ACCOUNT = {"bank_name": "多摩信用金庫", "bank_code": "1360", "branch_name": "本店",
           "branch_code": "001", "account_type": "ordinary", "account_number": "1234567",
           "holder_kana": "カイケイカンリシャ"}
LIFECYCLE = [
    ("submit", None),
    ("start_review", None),
    ("award", {"awarded_yen": 500_000, "decision_date": None}),
    ("submit_report", {"actual_cost_yen": 450_000, "outcomes": "観察会を開催した。"}),
    ("confirm", None),
    ("request_payment", ACCOUNT),
    ("settle", {}),
    ("publish", {"public_summary": "市民と里山を保全した。"}),
]
STATES = ["submitted", "under_review", "awarded", "report_submitted", "confirmed",
          "payment_requested", "paid", "published"]
PREFIXES = {"tokubetsuku-kyogikai": "特協環", "shichoson-chosakai": "市調環"}


def prepare(engine, years: list[int]) -> list[tuple[int, str, str, int]]:
    """Programs and one draft per municipality and year; returns (id, code, org, year)."""
    migrate.init(engine)
    grants = []
    with unit_of_work(engine) as session:
        towns = session.execute(select(Municipality.code, Municipality.org_id)
                                .order_by(Municipality.code)).all()
        for year in years:
            add_program(session, fiscal_year=year, applications_open=date(year, 4, 1),
                        applications_close=date(year, 6, 30))
            for code, org in towns:
                grant = create_draft(session, Actor(f"a-{code}", Role.applicant, municipality_code=code), {
                    "fiscal_year": year, "municipality_code": code, "title": "里山保全事業",
                    "category": "nature_conservation", "actions": ["awareness"],
                    "summary": "下草刈りと観察会", "project_start": f"{year}-06-01",
                    "project_end": f"{year + 1}-02-28", "project_cost_yen": 800_000,
                    "requested_yen": 500_000}, now=_moment(year))
                grants.append((grant.id, code, org, year))
    return grants


def _moment(year: int) -> datetime:
    return datetime(year, 5, 1, 1, 0, tzinfo=timezone.utc)


def run_engine(engine, grants, _forms: bool) -> int:
    count = 0
    for grant_id, code, org, year in grants:
        now = _moment(year)
        for action, body in LIFECYCLE:
            if action == "award":
                body = {**body, "decision_date": now.date().isoformat()}
            actor = (Actor(f"a-{code}", Role.applicant, municipality_code=code)
                     if action in ("submit", "submit_report", "request_payment")
                     else Actor(f"s-{org}", Role.secretariat, org_id=org))
            with unit_of_work(engine) as session:
                apply(session, grant_id, action, actor, body, now=now)
            now += timedelta(minutes=1)
            count += 1
    return count


def run_baseline(engine, grants, forms: bool) -> int:
    """The same rows, written with plain SQL and no checks."""
    lock = " FOR UPDATE" if engine.dialect.name == "postgresql" else ""
    places = _places(engine) if forms else {}
    numbers: dict[tuple[str, int], int] = {}
    count = 0
    for grant_id, code, _org, year in grants:
        now = _moment(year)
        for (action, _body), state in zip(LIFECYCLE, STATES, strict=True):
            with engine.begin() as conn:
                old = conn.execute(text(f"SELECT state FROM grants WHERE id = :id{lock}"),
                                   {"id": grant_id}).scalar_one()
                fields, delta = _baseline_fields(action, year, now)
                assignments = "".join(f", {k} = :{k}" for k in fields)
                conn.execute(text(f"UPDATE grants SET state = :state, updated_at = :now"
                                  f"{assignments} WHERE id = :id"),
                             {"state": state, "now": now, "id": grant_id, **fields})
                if delta:
                    conn.execute(text("UPDATE commitments SET committed_yen = committed_yen + :d "
                                      "WHERE municipality_code = :c AND fiscal_year = :y"),
                                 {"d": delta, "c": code, "y": year})
                    conn.execute(text("UPDATE programs SET committed_yen = committed_yen + :d "
                                      "WHERE fiscal_year = :y"), {"d": delta, "y": year})
                documents = (_issue(conn, grant_id, action, places[code], numbers, now)
                             if forms else [])
                seq, prev = conn.execute(text(f"SELECT seq, hash FROM audit_head WHERE id = 1{lock}")).one()
                payload = json.dumps([seq + 1, grant_id, action, old, state, prev, now.isoformat()])
                digest = hashlib.sha256(payload.encode()).hexdigest()
                conn.execute(text(
                    "INSERT INTO audit_events (seq, grant_id, action, from_state, to_state, actor, "
                    "actor_role, occurred_at, amounts, reason, documents, prev_hash, hash) VALUES "
                    "(:seq, :g, :a, :f, :t, :actor, :role, :at, :amounts, NULL, :docs, :prev, :h)"),
                    {"seq": seq + 1, "g": grant_id, "a": action, "f": old, "t": state,
                     "actor": "baseline", "role": "secretariat", "at": now,
                     "amounts": json.dumps({k: v for k, v in fields.items() if k.endswith("_yen")}),
                     "docs": json.dumps(documents), "prev": prev, "h": digest})
                conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"),
                             {"s": seq + 1, "h": digest})
            now += timedelta(minutes=1)
            count += 1
    return count


def _places(engine) -> dict[str, tuple[Municipality, Org]]:
    with unit_of_work(engine, write=False) as session:
        orgs = {org.id: org for org in session.scalars(select(Org))}
        return {m.code: (m, orgs[m.org_id]) for m in session.scalars(select(Municipality))}


def _issue(conn, grant_id: int, action: str, place: tuple[Municipality, Org],
           numbers: dict, now: datetime) -> list[dict]:
    """The forms the action issues: built by the same builder, inserted by hand."""
    municipality, org = place
    forms = TRANSITIONS[action].forms
    if not forms:
        return []
    grant = Grant(**conn.execute(select(Grant.__table__).where(Grant.__table__.c.id == grant_id))
                  .mappings().one())
    issued = []
    for form in forms:
        number = None
        if form.from_org:
            key = (org.id, grant.fiscal_year)
            numbers[key] = numbers.get(key, 0) + 1
            number = f"{era_year(grant.fiscal_year)}{PREFIXES[org.id]}第{numbers[key]}号"
        day = getattr(grant, form.dated) if form.dated else now.date()
        sheet = Sheet(form=form.number, grant=grant, municipality=municipality, org=org,
                      issued_on=day, number=number)
        content = build(sheet)
        sha256 = hashlib.sha256(content).hexdigest()
        document_id = conn.execute(insert(Document.__table__).returning(Document.__table__.c.id), {
            "grant_id": grant_id, "form": form.number, "title": sheet.title, "number": number,
            "sha256": sha256, "content": content, "issued_on": day, "issued_at": now,
            "issued_by": "baseline"}).scalar_one()
        issued.append({"id": document_id, "form": form.number, "number": number, "sha256": sha256})
    return issued


def _baseline_fields(action: str, year: int, now: datetime) -> tuple[dict, int]:
    return {
        "submit": ({"first_submitted_at": now, "submitted_at": now}, 0),
        "start_review": ({}, 0),
        "award": ({"awarded_yen": 500_000, "decision_date": now.date()}, 500_000),
        "submit_report": ({"actual_cost_yen": 450_000, "outcomes": "観察会を開催した。",
                           "completed_on": date(year + 1, 2, 28), "report_submitted_at": now}, 0),
        "confirm": ({"confirmed_yen": 450_000, "confirmed_at": now}, -50_000),
        "request_payment": ({"payment_account": json.dumps(ACCOUNT)}, 0),
        "settle": ({"paid_yen": 450_000, "paid_on": now.date()}, 0),
        "publish": ({"public_summary": "市民と里山を保全した。", "published_at": now}, 0),
    }[action]


def measure(label: str, make, years: list[int], rounds: int, *, forms: bool) -> float:
    """Rounds of baseline then engine, each on a fresh database; the median of the rounds'
    ratios, so that one noisy round decides nothing."""
    hooks.document_issuers.clear()
    if forms:
        plugins.install()
    ratios = []
    for round_ in range(1, rounds + 1):
        rates = {}
        for name, runner in (("plain SQL", run_baseline), ("workflows.apply", run_engine)):
            url, cleanup = make()
            engine = make_engine(url)
            try:
                grants = prepare(engine, years)
                started = time.perf_counter()
                count = runner(engine, grants, forms)
                elapsed = time.perf_counter() - started
            finally:
                engine.dispose()
                cleanup()
            rates[name] = count / elapsed
        ratios.append(rates["workflows.apply"] / rates["plain SQL"])
        print(f"  {label:10} round {round_}: plain SQL {rates['plain SQL']:7.1f}/s, "
              f"apply {rates['workflows.apply']:7.1f}/s, ratio {ratios[-1]:.2f}x")
    median = statistics.median(ratios)
    what = "with forms" if forms else "without forms"
    print(f"  {label:10} {what}: median ratio apply / plain SQL = {median:.2f}x over {rounds} "
          f"rounds{' (aim >= 0.30x)' if forms else ''}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=3, help="fiscal years to run (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each side (default 3)")
    args = parser.parse_args()
    years = list(range(2025 - args.years + 1, 2026))
    print(f"full lifecycle draft -> published, 62 municipalities x {len(years)} fiscal years")
    targets = [("SQLite", sqlite_database)]
    server = postgres_server()
    if server:
        targets.append(("PostgreSQL", lambda: postgres_database(server)))
    for label, make in targets:
        for forms in (True, False):
            measure(label, make, years, args.rounds, forms=forms)
    if not server:
        print("  PostgreSQL skipped: set GRANTS_BENCH_POSTGRES_URL to include it")


if __name__ == "__main__":
    main()
