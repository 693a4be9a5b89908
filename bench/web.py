"""The secretariat's queue page against the JSON list of grants, in the same run.

A database with the 62 municipalities x 10 fiscal years of grants (620 grants, some 5,000
events), served by the real app with uvicorn on loopback; wrk loads the queue page (as a
secretariat user with a session cookie) and GET /api/grants?limit=50 (with a bearer token)
with 16 concurrent connections each, and the bench prints both rates and their ratio (aim:
the page >= 0.5x the JSON endpoint). It also counts the SQL statements one render of the
page issues, showing 10 rows and showing 50 (aim: the same number: not growing with rows).

    python bench/web.py [--seconds 10] [--connections 16]
"""

import argparse
import os
import shutil
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.databases import postgres_database, postgres_server, sqlite_database  # noqa: E402
from bench.serving import served, wrk  # noqa: E402

YEARS = list(range(2016, 2026))
ACCOUNT = {"bank_name": "多摩信用金庫", "bank_code": "1360", "branch_name": "本店",
           "branch_code": "001", "account_type": "ordinary", "account_number": "1234567",
           "holder_kana": "カイケイカンリシャ"}
PATHS = [["submit"], ["submit", "start_review"], ["submit", "start_review", "award"],
         ["submit", "start_review", "award", "submit_report", "confirm", "request_payment", "settle",
          "publish"],
         ["submit", "return"]]


def prepare(url: str) -> tuple[str, str]:
    """620 grants in several states; a session for a secretariat user and an API token."""
    from sqlalchemy import select

    from grants.core import migrate
    from grants.core.actors import Actor, Role
    from grants.core.db import make_engine, unit_of_work
    from grants.core.models import Municipality
    from grants.core.programs import add_program
    from grants.core.users import add_user, issue_token
    from workflows.apply import apply
    from workflows.drafts import create_draft

    engine = make_engine(url)
    migrate.init(engine)
    with unit_of_work(engine) as session:
        towns = session.execute(select(Municipality.code, Municipality.org_id)
                                .order_by(Municipality.code)).all()
        for year in YEARS:
            add_program(session, fiscal_year=year, applications_open=date(year, 4, 1),
                        applications_close=date(year, 6, 30))
            for n, (code, org) in enumerate(towns):
                now = datetime(year, 5, 1, 1, 0, tzinfo=timezone.utc) + timedelta(minutes=n)
                applicant = Actor(f"a-{code}", Role.applicant, municipality_code=code)
                staff = Actor(f"s-{org}", Role.secretariat, org_id=org)
                grant = create_draft(session, applicant, {
                    "fiscal_year": year, "municipality_code": code, "title": f"里山保全事業 {n}",
                    "category": "nature_conservation", "actions": ["awareness"],
                    "summary": "下草刈りと観察会", "project_start": f"{year}-06-01",
                    "project_end": f"{year + 1}-02-28", "project_cost_yen": 800_000,
                    "requested_yen": 500_000}, now=now)
                bodies = {"award": {"awarded_yen": 400_000, "decision_date": now.date().isoformat()},
                          "return": {"reason": "内訳を添付してください。"},
                          "submit_report": {"actual_cost_yen": 380_000, "outcomes": "実施した。"},
                          "settle": {}, "publish": {"public_summary": "保全した。"},
                          "request_payment": ACCOUNT}
                for action in PATHS[n % len(PATHS)]:
                    actor = applicant if action in ("submit", "submit_report", "request_payment") else staff
                    now += timedelta(minutes=1)
                    apply(session, grant.id, action, actor, bodies.get(action), now=now)
        user = add_user(session, {"username": "shichoson", "role": "secretariat",
                                  "password": "benchmark-password", "org_id": "shichoson-chosakai"})
        cookie, _ = issue_token(session, user, kind="web")
        bearer, _ = issue_token(session, user)
    engine.dispose()
    return cookie, bearer


def statements_per_render(url: str, cookie: str) -> dict[int, int]:
    """SQL statements the queue page issues, showing 10 rows and showing 50."""
    os.environ["GRANTS_DATABASE_URL"] = url
    from fastapi.testclient import TestClient
    from sqlalchemy import event

    from grants.app import app
    from grants.core.db import get_engine
    from grants.core.settings import get_settings
    get_settings.cache_clear()
    counted = []
    event.listen(get_engine(), "before_cursor_execute", lambda *args: counted.append(1))
    counts = {}
    with TestClient(app) as client:
        client.cookies.set("grants_session", cookie)
        for rows, query in ((10, "?municipality_code=132012"), (50, "")):
            client.get("/" + query)  # warm
            counted.clear()
            page = client.get("/" + query)
            assert page.status_code == 200
            shown = page.text.count('<tr>\n    <td>')
            counts[shown or rows] = len(counted)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench/web.py needs wrk: apt-get install wrk")
    server_url = postgres_server()
    url, drop = postgres_database(server_url) if server_url else sqlite_database()
    try:
        started = time.perf_counter()
        cookie, bearer = prepare(url)
        print(f"prepared 620 grants in {time.perf_counter() - started:.0f} s, "
              f"database {url.split(':')[0]}")
        statements = statements_per_render(url, cookie)
        with served(url) as base:
            targets = {"GET /api/grants?limit=50": (f"{base}/api/grants?limit=50",
                                                    f"Authorization: Bearer {bearer}"),
                       "queue page GET /": (f"{base}/", f"Cookie: grants_session={cookie}")}
            for target, header in targets.values():
                wrk(target, 2, args.connections, header)
            rates = {name: wrk(target, args.seconds, args.connections, header)["rate"]
                     for name, (target, header) in targets.items()}
    finally:
        drop()
    for name, rate in rates.items():
        print(f"  {name:26} {rate:8.1f} req/s")
    json_rate, page_rate = rates.values()
    print(f"  page / JSON = {page_rate / json_rate:.2f}x (aim >= 0.5x)")
    print("  SQL statements per render: " + ", ".join(
        f"{count} showing {rows} rows" for rows, count in sorted(statements.items()))
          + " (aim: the same)")


if __name__ == "__main__":
    main()
