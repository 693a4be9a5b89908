"""The mixed lifecycle load on PostgreSQL: ``grants serve --workers N`` for N = 1, 2 and 4 on
this machine, driven by concurrent clients that each take grants through the whole procedure
over HTTP (create, submit, review, award, report, confirm, 交付請求, settle, read). Prints
requests per second, p50 and p99, and the scaling ratio 4 workers / 1 worker (aim >= 1.6x on
2 cores); then the same at 4 workers while `grants scheduler` scans 100,000 more grants: one
scan under way (its first tick), and scans back to back (aim: p99 no more than 1.5x the p99
without it).

    GRANTS_BENCH_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1/postgres \\
        python bench/load.py [--seconds 10] [--clients 16]
"""

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import reminders  # noqa: E402
from bench.databases import postgres_database, postgres_server  # noqa: E402
from bench.serving import free_port  # noqa: E402
from grants.core import migrate  # noqa: E402
from grants.core.clock import japan_date, utcnow  # noqa: E402
from grants.core.dates import fiscal_year_bounds, fiscal_year_of  # noqa: E402
from grants.core.db import make_engine, unit_of_work  # noqa: E402
from grants.core.models import Municipality  # noqa: E402
from grants.core.programs import add_program  # noqa: E402
from grants.core.users import add_user, issue_token  # noqa: E402

TODAY = japan_date(utcnow())
YEAR = fiscal_year_of(TODAY)
ACCOUNT = {"bank_name": "多摩信用金庫", "bank_code": "1360", "branch_name": "本店",
           "branch_code": "001", "account_type": "ordinary", "account_number": "1234567",
           "holder_kana": "カイケイカンリシャ"}
GRANTS = str(Path(sys.executable).with_name("grants"))


def prepare(url: str) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """This year's program open, an applicant per municipality and a secretariat per org,
    each with a bearer token. Returns [(code, org, applicant token)] and {org: token}."""
    engine = make_engine(url)
    migrate.init(engine)
    first, last = fiscal_year_bounds(YEAR)
    people, staff = [], {}
    with unit_of_work(engine) as session:
        add_program(session, fiscal_year=YEAR, applications_open=first, applications_close=last)
        for municipality in session.scalars(select(Municipality).order_by(Municipality.code)):
            user = add_user(session, {"username": f"load-{municipality.code}", "role": "applicant",
                                      "municipality_code": municipality.code,
                                      "email": f"load-{municipality.code}@example.jp",
                                      "password": "load-password-123"})
            people.append((municipality.code, municipality.org_id, issue_token(session, user)[0]))
        for org in sorted({org for _, org, _ in people}):
            user = add_user(session, {"username": f"load-{org}", "role": "secretariat", "org_id": org,
                                      "email": f"load-{org}@example.jp", "password": "load-password-123"})
            staff[org] = issue_token(session, user)[0]
    engine.dispose()
    return people, staff


def new_grant(code: str) -> dict:
    return {"fiscal_year": YEAR, "municipality_code": code, "title": "負荷試験の事業",
            "category": "nature_conservation", "actions": ["awareness"], "summary": "負荷試験",
            "project_start": TODAY.isoformat(),
            "project_end": fiscal_year_bounds(YEAR)[1].isoformat(),
            "project_cost_yen": 20_000, "requested_yen": 1_000}


# The procedure after creation: (who, action, body); each is followed by a read of the grant.
STEPS = [("applicant", "submit", None), ("secretariat", "start_review", None),
         ("secretariat", "award", {"awarded_yen": 1_000, "decision_date": TODAY.isoformat()}),
         ("applicant", "submit_report", {"actual_cost_yen": 20_000, "outcomes": "実施した。"}),
         ("secretariat", "confirm", None), ("applicant", "request_payment", ACCOUNT),
         ("secretariat", "settle", {})]


async def lifecycle(http: httpx.AsyncClient, code: str, applicant: str, secretariat: str,
                    took: list[float]) -> None:
    async def call(token: str, method: str, path: str, body=None) -> dict:
        started = time.perf_counter()
        answer = await http.request(method, path, json=body,
                                    headers={"Authorization": f"Bearer {token}"})
        took.append(time.perf_counter() - started)
        if answer.status_code >= 400:
            raise SystemExit(f"{method} {path}: {answer.status_code} {answer.text}")
        return answer.json()
    grant = await call(applicant, "POST", "/api/grants", new_grant(code))
    tokens = {"applicant": applicant, "secretariat": secretariat}
    for role, action, body in STEPS:
        await call(tokens[role], "POST", f"/api/grants/{grant['id']}/actions/{action}", body)
        await call(applicant, "GET", f"/api/grants/{grant['id']}")


async def drive(base: str, people, staff, seconds: float, clients: int) -> dict[str, float]:
    took: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(n: int) -> None:
        code, org, token = people[n % len(people)]
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            while time.perf_counter() < deadline:
                await lifecycle(http, code, token, staff[org], took)
    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - started
    ordered = sorted(took)
    return {"rate": len(took) / elapsed, "p50": statistics.median(ordered) * 1000,
            "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000, "requests": len(took)}


LUA = Path(__file__).with_name("lifecycle.lua")


def _lua(value) -> str:
    """A Lua string literal holding ``value`` (JSON for anything but a string)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "[==[" + text + "]==]"


def drive_wrk(base: str, people, staff, seconds: float, clients: int) -> dict[str, float]:
    """The same lifecycles driven by wrk (bench/lifecycle.lua), one connection per wrk
    thread: a load generator in C, which leaves the cores to the server and PostgreSQL."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "people.lua"
        rows = ",\n".join(f"{{code={_lua(code)}, applicant={_lua(token)}, "
                          f"secretariat={_lua(staff[org])}}}" for code, org, token in people)
        steps = ",\n".join(f"{{role={_lua(role)}, action={_lua(action)}, body={_lua(body or {})}}}"
                           for role, action, body in STEPS)
        create = json.dumps(new_grant("CODE"), ensure_ascii=False).replace("%", "%%")
        data.write_text(f"PEOPLE = {{{rows}}}\nSTEPS = {{{steps}}}\n"
                        f"CREATE = {_lua(create.replace('CODE', '%s'))}\n", encoding="utf-8")
        out = subprocess.run(["wrk", f"-t{clients}", f"-c{clients}", f"-d{seconds:.0f}s",
                              "--timeout", "30s", "-s", str(LUA), base, "--", str(data)],
                             check=True, capture_output=True, text=True).stdout
    figures = dict(line.split(" ", 1) for line in out.splitlines()
                   if line.split(" ", 1)[0] in {"lifecycles", "failures", "requests", "seconds",
                                                "p50", "p99"})
    if int(figures["failures"]):
        raise SystemExit(f"wrk: {figures['failures']} requests refused:\n{out}")
    return {"rate": int(figures["requests"]) / float(figures["seconds"]),
            "p50": float(figures["p50"]), "p99": float(figures["p99"]),
            "requests": int(figures["requests"])}


def serve(url: str, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([GRANTS, "serve", "--workers", str(workers), "--port", str(port)],
                               env={**os.environ, "GRANTS_DATABASE_URL": url,
                                    "GRANTS_SCHEDULER": "off", "GRANTS_DATABASE_POOL_SIZE": "10"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/readyz", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    raise SystemExit("grants serve did not start")


def measure(url, people, staff, workers: int, args) -> dict[str, float]:
    process, base = serve(url, workers)
    run = ((lambda s: drive_wrk(base, people, staff, s, args.clients)) if args.driver == "wrk"
           else (lambda s: asyncio.run(drive(base, people, staff, s, args.clients))))
    try:
        run(2)  # warm up the workers
        result = run(args.seconds)
    finally:
        process.terminate()
        process.wait(30)
    print(f"  {workers} worker(s): {result['rate']:7.1f} requests/s, p50 {result['p50']:6.1f} ms, "
          f"p99 {result['p99']:6.1f} ms ({result['requests']} requests)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--driver", choices=("wrk", "python"),
                        default="wrk" if shutil.which("wrk") else "python",
                        help="the load generator: wrk (C, bench/lifecycle.lua) or Python (httpx)")
    args = parser.parse_args()
    server = postgres_server()
    if server is None or not shutil.which("pg_isready"):
        print("bench/load.py: set GRANTS_BENCH_POSTGRES_URL to a PostgreSQL server")
        return
    url, drop = postgres_database(server)
    try:
        people, staff = prepare(url)
        print(f"mixed lifecycle load, {args.clients} clients ({args.driver}), "
              f"{args.seconds:.0f} s each, PostgreSQL, {os.cpu_count()} cores")
        results = {workers: measure(url, people, staff, workers, args) for workers in (1, 2, 4)}
        print(f"scaling 4 workers / 1 worker = {results[4]['rate'] / results[1]['rate']:.2f}x "
              f"(aim >= 1.6x)")
        engine = make_engine(url)
        reminders.populate(engine, 100_000)
        engine.dispose()
        # Once with the scheduler at the production interval, whose first tick is one scan
        # of the 100,000 grants (the heaviest: it queues their reminders) under way through
        # the measurement; then with scans back to back (a tick every second, each scan
        # taking seconds): the worst a misconfigured clock could do.
        for interval, what in ((60, "its first scan of 100,000 more grants under way"),
                               (1, "scanning 100,000 more grants back to back")):
            scheduler = subprocess.Popen([GRANTS, "scheduler"], env={
                **os.environ, "GRANTS_DATABASE_URL": url,
                "GRANTS_SCHEDULER_INTERVAL_SECONDS": str(interval)},
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                print(f"  with grants scheduler, {what}:")
                busy = measure(url, people, staff, 4, args)
            finally:
                scheduler.terminate()
                scheduler.wait(30)
            print(f"p99 with the scheduler / without = {busy['p99'] / results[4]['p99']:.2f}x "
                  f"(aim <= 1.5x)")
    finally:
        drop()


if __name__ == "__main__":
    main()
