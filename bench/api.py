"""Throughput and latency of GET /api/grants/{id} against bare endpoints, and of signing in
against a bare Argon2 loop, in the same run.

Serves the real app with uvicorn on loopback (one worker; SQLite, or a fresh database on
the PostgreSQL server at GRANTS_BENCH_POSTGRES_URL), with two extra routes that return a
constant JSON from the same server: a plain sync endpoint (a trip to the thread pool, as the
API's endpoints make) and an async one (no trip at all: the framework's floor). Loads each
with 32 concurrent connections using wrk (Debian package `wrk`) and prints requests per
second, p50 and p99 and the ratios to each. Aims, against the sync endpoint: >= 0.5x the
throughput, p99 <= 3x; the ratio to the async floor is printed too.

Then signing in: 32 connections post the right password (for 32 people, so that no throttle
counter is shared) to POST /api/auth/token as fast as they are answered, against a bare loop of Argon2
verifications in this process with as many threads as the server has hashing slots
(GRANTS_PASSWORD_HASHES_AT_ONCE): the sign-ins per second over the loop's (aim >= 0.8x), and
the server's peak resident memory during it (aim: bounded, under 256 MiB of hashing a worker).

    python bench/api.py [--seconds 10] [--connections 32]
"""

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench.databases import postgres_database, postgres_server, sqlite_database  # noqa: E402
from bench.serving import served_process, wrk  # noqa: E402


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
        for n in range(SIGNING_IN):
            add_user(session, {"username": f"bench{n}", "role": "auditor", "password": PASSWORD})
        grant_id = grant.id
    engine.dispose()
    return grant_id, token


SIGNING_IN = 32
PASSWORD = "benchmark-password"
def argon2_rate(seconds: float, threads: int) -> float:
    """Argon2 verifications per second in this process, ``threads`` at a time: the floor a
    sign-in cannot beat."""
    import threading
    import time

    from grants.core.passwords import hasher
    stored = hasher.hash(PASSWORD)
    done, stop = [0] * threads, threading.Event()

    def loop(n: int) -> None:
        while not stop.is_set():
            hasher.verify(PASSWORD, stored)
            done[n] += 1
    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    return sum(done) / (time.perf_counter() - started)


def sign_in_rate(base: str, seconds: int, connections: int, pid: int) -> dict[str, float]:
    """Sign-ins per second (right passwords, one person per connection, each signing in again
    as soon as answered), their p50 and p99, the 503s of a full queue, and the server's
    resident memory before and at its peak."""
    import re
    import statistics
    import threading
    import time

    import httpx

    def rss() -> float:
        status = Path(f"/proc/{pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024
    before, peak, stop = rss(), [0.0], threading.Event()
    took: list[float] = []
    busy = [0]

    def person(n: int, until: float) -> None:
        with httpx.Client(timeout=60) as client:
            while time.monotonic() < until:
                started = time.perf_counter()
                answer = client.post(f"{base}/api/auth/token",
                                     data={"username": f"bench{n}", "password": PASSWORD})
                if answer.status_code == 200:
                    took.append(time.perf_counter() - started)
                elif answer.status_code == 503:
                    busy[0] += 1
                else:
                    raise SystemExit(f"sign-in answered {answer.status_code}: {answer.text}")

    def watch() -> None:
        while not stop.wait(0.02):
            peak[0] = max(peak[0], rss())
    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.monotonic()
    people = [threading.Thread(target=person, args=(n, started + seconds))
              for n in range(connections)]
    for one in people:
        one.start()
    for one in people:
        one.join()
    elapsed = time.monotonic() - started
    stop.set()
    watcher.join()
    cuts = statistics.quantiles(took, n=100)
    return {"rate": len(took) / elapsed, "p50": cuts[49] * 1000, "p99": cuts[98] * 1000,
            "busy": busy[0], "rss_before": before, "rss_peak": peak[0]}


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
        with served_process(url, [sys.executable, __file__, "--serve"]) as (base, server):
            targets = {"bare sync endpoint": f"{base}/bench/constant",
                       "bare async endpoint": f"{base}/bench/constant-async",
                       "GET /api/grants/{id}": f"{base}/api/grants/{grant_id}"}
            for target in targets.values():  # warm up each, then measure
                wrk(target, 2, args.connections, header)
            results = {name: wrk(target, args.seconds, args.connections, header)
                       for name, target in targets.items()}
            signing = sign_in_rate(base, args.seconds, args.connections, server.pid)
    finally:
        drop()
    from grants.core.settings import get_settings
    slots = get_settings().password_hashes_at_once
    floor = argon2_rate(args.seconds, slots)

    print(f"{args.connections} connections, {args.seconds} s each, database {url.split(':')[0]}")
    for name, found in results.items():
        print(f"  {name:24} {found['rate']:9.1f} req/s   p50 {found['p50']:7.2f} ms   "
              f"p99 {found['p99']:7.2f} ms")
    (bare, _, bare_p99), (floor_async, _, floor_p99), (real, _, real_p99) = (
        tuple(found.values()) for found in results.values())
    print(f"  against the sync endpoint: throughput {real / bare:.2f}x (aim >= 0.5x), "
          f"p99 {real_p99 / bare_p99:.2f}x (aim <= 3x)")
    print(f"  against the async floor:   throughput {real / floor_async:.2f}x, "
          f"p99 {real_p99 / floor_p99:.2f}x")
    print(f"  POST /api/auth/token       {signing['rate']:9.1f} /s      p50 {signing['p50']:7.0f} ms   "
          f"p99 {signing['p99']:7.0f} ms   ({signing['busy']} answered 503: queue full)")
    print(f"  bare Argon2 verify, {slots} threads {floor:7.1f} /s")
    print(f"  sign-in / bare Argon2 = {signing['rate'] / floor:.2f}x (aim >= 0.8x); server RSS "
          f"{signing['rss_before']:.0f} MiB before, {signing['rss_peak']:.0f} MiB at peak "
          f"(+{signing['rss_peak'] - signing['rss_before']:.0f})")


if __name__ == "__main__":
    main()
