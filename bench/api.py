"""Throughput and latency of GET /api/grants/{id} against bare endpoints, in the same run.

Serves the real app with uvicorn on loopback (one worker; SQLite, or a fresh database on
the PostgreSQL server at GRANTS_BENCH_POSTGRES_URL), with two extra routes that return a
constant JSON from the same server: a plain sync endpoint (a trip to the thread pool, as the
API's endpoints make) and an async one (no trip at all: the framework's floor). Loads each
with 32 concurrent connections using wrk (Debian package `wrk`) and prints requests per
second, p50 and p99 and the ratios to each. Aims, against the sync endpoint: >= 0.5x the
throughput, p99 <= 3x; the ratio to the async floor is printed too.

    python bench/api.py [--seconds 10] [--connections 32]
"""

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench.databases import postgres_database, postgres_server, sqlite_database  # noqa: E402
from bench.serving import served, wrk  # noqa: E402


def build_app():
    from grants.app import app

    @app.get("/bench/constant", include_in_schema=False)
    def constant() -> dict:
        return {"status": "ok", "fiscal_year": 2025, "cap_yen": 1_000_000}

    @app.get("/bench/constant-async", include_in_schema=False)
    async def constant_async() -> dict:
        return {"status": "ok", "fiscal_year": 2025, "cap_yen": 1_000_000}

    return app


def prepare(url: str) -> tuple[int, str]:
    """A migrated database with one awarded grant and a secretariat token for it."""
    from grants.core import migrate
    from grants.core.actors import Actor, Role
    from grants.core.clock import japan_date, utcnow
    from grants.core.dates import fiscal_year_bounds, fiscal_year_of
    from grants.core.db import make_engine, unit_of_work
    from grants.core.programs import add_program
    from grants.core.users import add_user, issue_token
    from workflows.apply import apply
    from workflows.drafts import create_draft

    engine = make_engine(url)
    migrate.init(engine)
    today = japan_date(utcnow())  # the server runs on the real clock: this fiscal year, today
    year = fiscal_year_of(today)
    first, last = fiscal_year_bounds(year)
    with unit_of_work(engine) as session:
        add_program(session, fiscal_year=year, applications_open=first, applications_close=last)
        applicant = Actor("hachioji", Role.applicant, municipality_code="132012")
        grant = create_draft(session, applicant, {
            "fiscal_year": year, "municipality_code": "132012", "title": "里山保全事業",
            "category": "nature_conservation", "actions": ["awareness"], "summary": "観察会",
            "project_start": first.isoformat(), "project_end": last.isoformat(),
            "project_cost_yen": 800_000, "requested_yen": 500_000})
        staff = Actor("shichoson", Role.secretariat, org_id="shichoson-chosakai")
        apply(session, grant.id, "submit", applicant)
        apply(session, grant.id, "start_review", staff)
        apply(session, grant.id, "award", staff, {"awarded_yen": 400_000,
                                                  "decision_date": today.isoformat()})
        user = add_user(session, {"username": "shichoson", "role": "secretariat",
                                  "password": "benchmark-password", "org_id": "shichoson-chosakai"})
        token, _ = issue_token(session, user)
        grant_id = grant.id
    engine.dispose()
    return grant_id, token


def serve(port: int) -> None:
    import uvicorn
    uvicorn.run(build_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8765, help=argparse.SUPPRESS)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.port)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("bench/api.py needs wrk: apt-get install wrk")

    server_url = postgres_server()
    url, drop = postgres_database(server_url) if server_url else sqlite_database()
    grant_id, token = prepare(url)
    header = f"Authorization: Bearer {token}"
    try:
        with served(url, [sys.executable, __file__, "--serve"]) as base:
            targets = {"bare sync endpoint": f"{base}/bench/constant",
                       "bare async endpoint": f"{base}/bench/constant-async",
                       "GET /api/grants/{id}": f"{base}/api/grants/{grant_id}"}
            for target in targets.values():  # warm up each, then measure
                wrk(target, 2, args.connections, header)
            results = {name: wrk(target, args.seconds, args.connections, header)
                       for name, target in targets.items()}
    finally:
        drop()

    print(f"{args.connections} connections, {args.seconds} s each, database {url.split(':')[0]}")
    for name, found in results.items():
        print(f"  {name:24} {found['rate']:9.1f} req/s   p50 {found['p50']:7.2f} ms   "
              f"p99 {found['p99']:7.2f} ms")
    (bare, _, bare_p99), (floor, _, floor_p99), (real, _, real_p99) = (
        tuple(found.values()) for found in results.values())
    print(f"  against the sync endpoint: throughput {real / bare:.2f}x (aim >= 0.5x), "
          f"p99 {real_p99 / bare_p99:.2f}x (aim <= 3x)")
    print(f"  against the async floor:   throughput {real / floor:.2f}x, "
          f"p99 {real_p99 / floor_p99:.2f}x")


if __name__ == "__main__":
    main()
