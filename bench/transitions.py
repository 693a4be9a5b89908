"""Transitions per second through ``workflows.apply`` against plain SQL, in the same run.

Drives every grant of the 62 municipalities over several fiscal years from draft to
published (7 actions each, one transaction per action), then does the same with a baseline
that writes the same rows (grant update, cap and budget rows, audit event and chain head)
with hand-written SQL. Prints both rates and their ratio, on SQLite and, when
GRANTS_BENCH_POSTGRES_URL or GRANTS_TEST_POSTGRES_URL is set, on PostgreSQL. The forms are
not issued here, as the baseline writes none; bench/documents.py measures them.

    python bench/transitions.py [--years 3]
"""

import argparse
import hashlib
import json
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.databases import postgres_database, postgres_server, sqlite_database  # noqa: E402
from grants import migrate  # noqa: E402
from grants.actors import Actor, Role  # noqa: E402
from grants.db import make_engine, unit_of_work  # noqa: E402
from grants.models import Municipality  # noqa: E402
from grants.programs import add_program  # noqa: E402
from workflows.acts import create_draft  # noqa: E402
from workflows.apply import apply  # noqa: E402

LIFECYCLE = [
    ("submit", None),
    ("start_review", None),
    ("award", {"awarded_yen": 500_000, "decision_date": None}),
    ("submit_report", {"actual_cost_yen": 450_000, "outcomes": "観察会を開催した。"}),
    ("confirm", None),
    ("settle", {}),
    ("publish", {"public_summary": "市民と里山を保全した。"}),
]
STATES = ["submitted", "under_review", "awarded", "report_submitted", "confirmed", "paid",
          "published"]


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


def run_engine(engine, grants) -> int:
    count = 0
    for grant_id, code, org, year in grants:
        now = _moment(year)
        for action, body in LIFECYCLE:
            if action == "award":
                body = {**body, "decision_date": f"{year}-05-20"}
            actor = (Actor(f"a-{code}", Role.applicant, municipality_code=code)
                     if action in ("submit", "submit_report")
                     else Actor(f"s-{org}", Role.secretariat, org_id=org))
            with unit_of_work(engine) as session:
                apply(session, grant_id, action, actor, body, now=now)
            now += timedelta(minutes=1)
            count += 1
    return count


def run_baseline(engine, grants) -> int:
    """The same rows, written with plain SQL and no checks."""
    lock = " FOR UPDATE" if engine.dialect.name == "postgresql" else ""
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
                     "docs": "[]", "prev": prev, "h": digest})
                conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h WHERE id = 1"),
                             {"s": seq + 1, "h": digest})
            now += timedelta(minutes=1)
            count += 1
    return count


def _baseline_fields(action: str, year: int, now: datetime) -> tuple[dict, int]:
    return {
        "submit": ({"first_submitted_at": now}, 0),
        "start_review": ({}, 0),
        "award": ({"awarded_yen": 500_000, "decision_date": date(year, 5, 20)}, 500_000),
        "submit_report": ({"actual_cost_yen": 450_000, "outcomes": "観察会を開催した。",
                           "report_submitted_at": now}, 0),
        "confirm": ({"confirmed_yen": 450_000, "confirmed_at": now}, -50_000),
        "settle": ({"paid_yen": 450_000, "paid_on": date(year, 5, 1)}, 0),
        "publish": ({"public_summary": "市民と里山を保全した。", "published_at": now}, 0),
    }[action]


def measure(label: str, make, years: list[int], rounds: int) -> float:
    """Alternate baseline and engine runs on fresh databases; keep each side's best rate so
    that warm-up and noise from the machine weigh on neither side more than the other."""
    rates: dict[str, float] = {}
    for _ in range(rounds):
        for name, runner in (("baseline (plain SQL)", run_baseline),
                             ("workflows.apply", run_engine)):
            url, cleanup = make()
            engine = make_engine(url)
            try:
                grants = prepare(engine, years)
                started = time.perf_counter()
                count = runner(engine, grants)
                elapsed = time.perf_counter() - started
            finally:
                engine.dispose()
                cleanup()
            rates[name] = max(rates.get(name, 0.0), count / elapsed)
            print(f"  {label:10} {name:22} {count:6d} transitions in {elapsed:6.2f} s "
                  f"= {count / elapsed:8.1f} /s")
    ratio = rates["workflows.apply"] / rates["baseline (plain SQL)"]
    print(f"  {label:10} ratio apply / plain SQL = {ratio:.2f}x (best of {rounds}; aim >= 0.30x)")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=3, help="fiscal years to run (default 3)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each side (default 2)")
    args = parser.parse_args()
    years = list(range(2025 - args.years + 1, 2026))
    print(f"full lifecycle draft -> published, 62 municipalities x {len(years)} fiscal years")
    measure("SQLite", sqlite_database, years, args.rounds)
    server = postgres_server()
    if server:
        measure("PostgreSQL", lambda: postgres_database(server), years, args.rounds)
    else:
        print("  PostgreSQL skipped: set GRANTS_BENCH_POSTGRES_URL to include it")


if __name__ == "__main__":
    main()
