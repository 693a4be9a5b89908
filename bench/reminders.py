"""Reminders: one scan over 10,000 and 100,000 grants, and e-mail delivery against a bare loop.

Scan: grants in every state, spread over ten fiscal years and the 62 municipalities, with
their state's entry day and report due date scattered within 60 days either side of today,
and two applicants per municipality and three secretariat members per org to tell. The
first scan queues what is due; the repeat scan (every later tick of the clock) finds it all
queued already. Prints the time of each, the ratio 100k/10k, and the SQL statements a scan
issues (aim: at most 1 s at 100,000 grants, growing at most linearly; a constant number of
statements, set-based, not one per grant).

Delivery: 10,000 queued notices sent by ``notifications.delivery.deliver`` (claim, words,
compose, send, record each as sent, one commit per message) to an aiosmtpd server in its own
process, against a bare ``smtplib`` loop sending the same 10,000 messages, composed before
its clock starts, over one connection in the same run. Aim: >= 0.5x its messages per second.

    python bench/reminders.py [--sizes 10000 100000] [--mails 10000]
"""

import argparse
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import event, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.databases import postgres_database, postgres_server, sqlite_database  # noqa: E402
from grants.core import migrate  # noqa: E402
from grants.core.clock import utcnow  # noqa: E402
from grants.core.db import make_engine, unit_of_work  # noqa: E402
from grants.core.models import Grant, Municipality, Notification, Program, User  # noqa: E402
from grants.core.programs import DEFAULT_REMINDER_OFFSETS  # noqa: E402
from grants.core.settings import Settings  # noqa: E402
from notifications import delivery, outbox  # noqa: E402
from notifications.channels import email  # noqa: E402
from notifications.messages import notices  # noqa: E402
from workflows.machine import State  # noqa: E402

TODAY = date(2026, 1, 15)
YEARS = range(2016, 2026)


def populate(engine, grants: int) -> None:
    rng = random.Random(grants)
    with unit_of_work(engine) as session:
        codes = list(session.scalars(select(Municipality.code)))
        orgs = dict(session.execute(select(Municipality.code, Municipality.org_id)).all())
        for year in YEARS:
            session.add(Program(fiscal_year=year, applications_open=date(year, 4, 1),
                                applications_close=date(year, 6, 30),
                                report_deadline=date(year + 1, 4, 10),
                                reminder_offsets=dict(DEFAULT_REMINDER_OFFSETS)))
        session.flush()
        users = [{"username": f"a{n}-{code}", "role": "applicant", "municipality_code": code,
                  "email": f"a{n}-{code}@example.jp", "password_hash": "x"}
                 for code in codes for n in (1, 2)]
        users += [{"username": f"s{n}-{org}", "role": "secretariat", "org_id": org,
                   "email": f"s{n}-{org}@example.jp", "password_hash": "x"}
                  for org in sorted(set(orgs.values())) for n in (1, 2, 3)]
        session.execute(insert(User), users)
        states = list(State)
        rows = []
        for n in range(grants):
            day = TODAY + timedelta(days=rng.randint(-60, 60))
            rows.append({"fiscal_year": YEARS[n % len(YEARS)], "municipality_code": codes[n % 62],
                         "state": str(states[n % len(states)]), "title": f"事業{n}",
                         "actions": [], "state_entered_on": day,
                         "report_due": TODAY + timedelta(days=rng.randint(-60, 60)),
                         "first_submitted_at": utcnow() if n % 3 else None})
            if len(rows) == 10_000:
                session.execute(insert(Grant), rows)
                rows = []
        if rows:
            session.execute(insert(Grant), rows)


def timed_scan(engine) -> tuple[float, int, int]:
    """Seconds, statements issued and rows queued by one scan."""
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        started = time.perf_counter()
        with unit_of_work(engine) as session:
            queued = outbox.scan(session, today=TODAY, now=utcnow(), email_on=True).total
        return time.perf_counter() - started, len(statements), queued
    finally:
        event.remove(engine, "before_cursor_execute", count)


def bench_scans(label: str, make, sizes: list[int]) -> None:
    results = {}
    for size in sizes:
        url, drop = make()
        engine = make_engine(url)
        try:
            migrate.init(engine)
            populate(engine, size)
            first = timed_scan(engine)
            repeat = timed_scan(engine)
            results[size] = (first, repeat)
            print(f"{label} {size:>7,} grants: first scan {first[0]:.3f} s ({first[2]:,} queued, "
                  f"{first[1]} statements); repeat scan {repeat[0]:.3f} s ({repeat[2]} queued, "
                  f"{repeat[1]} statements)")
        finally:
            engine.dispose()
            drop()
    if len(sizes) == 2:
        small, large = sizes
        for index, name in ((0, "first"), (1, "repeat")):
            ratio = results[large][index][0] / results[small][index][0]
            print(f"{label} {name} scan {large:,}/{small:,}: {ratio:.1f}x the time for "
                  f"{large / small:.0f}x the grants")


def _queue_mail(engine, count: int) -> None:
    with unit_of_work(engine) as session:
        for year in YEARS[-1:]:
            session.add(Program(fiscal_year=year, applications_open=date(year, 4, 1),
                                applications_close=date(year, 6, 30),
                                report_deadline=date(year + 1, 4, 10)))
        user = User(username="a1", role="applicant", municipality_code="132012",
                    email="a1@example.jp", password_hash="x")
        session.add(user)
        session.flush()
        now = utcnow()
        session.execute(insert(Notification), [
            {"dedup_key": f"bench:{n}", "kind": "window_closing", "occurrence": "before-7",
             "user_id": user.id, "fiscal_year": YEARS[-1], "due_on": date(YEARS[-1], 6, 30),
             "email_state": "pending", "next_attempt_at": now, "created_at": now,
             "attempts": 0} for n in range(count)])


def bench_delivery(label: str, make, count: int) -> None:
    url, drop = make()
    engine = make_engine(url)
    port = 20000 + random.randrange(20000)
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c",
                               "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{port}"])
    time.sleep(1.5)
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port)
    try:
        migrate.init(engine)
        _queue_mail(engine, count)
        with unit_of_work(engine, write=False) as session:
            messages = [email.compose(n, settings)
                        for n in notices(session, Notification.id.is_not(None))]
        started = time.perf_counter()
        with email.connect(settings) as smtp:
            for message in messages:
                email.send(smtp, message)
        bare = count / (time.perf_counter() - started)
        started = time.perf_counter()
        done = delivery.deliver(engine, settings=settings)
        ours = count / (time.perf_counter() - started)
        assert done.sent == count, done
        print(f"{label}: delivery of {count:,} e-mails: deliver {ours:,.0f}/s vs bare smtplib "
              f"{bare:,.0f}/s = {ours / bare:.2f}x")
    finally:
        server.terminate()
        server.wait()
        engine.dispose()
        drop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--mails", type=int, default=10_000)
    args = parser.parse_args()
    bench_scans("SQLite", sqlite_database, args.sizes)
    bench_delivery("SQLite", sqlite_database, args.mails)
    server = postgres_server()
    if server:
        bench_scans("PostgreSQL", lambda: postgres_database(server), args.sizes)
        bench_delivery("PostgreSQL", lambda: postgres_database(server), args.mails)
    else:
        print("PostgreSQL skipped: set GRANTS_BENCH_POSTGRES_URL")


if __name__ == "__main__":
    main()
