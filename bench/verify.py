"""Memory of verifying the audit trail and the issued documents, at 1,000 and at 100,000
events, in the same run: each verification runs in a fresh process that reports its peak of
Python memory (tracemalloc) and of resident memory, so the two sizes compare like for like.
Flat means the larger trail costs no more memory than the small one (aim: ratio <= 1.5x).

One event in ten records an issued document, as in life (an action issues a form now and
then). SQLite, and PostgreSQL when GRANTS_BENCH_POSTGRES_URL or GRANTS_TEST_POSTGRES_URL is
set.

    python bench/verify.py [--small 1000] [--large 100000]
"""

import argparse
import hashlib
import multiprocessing
import os
import resource
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.databases import postgres_database, postgres_server, sqlite_database  # noqa: E402

DOCUMENT = b"PK" + bytes(range(256)) * 8  # a 2 KB stand-in for an issued .docx


def fill(url: str, events: int) -> None:
    """A trail of ``events`` chained events on one grant, every tenth with a document."""
    from grants.core import migrate
    from grants.core.actors import Actor, Role
    from grants.core.db import make_engine, unit_of_work
    from grants.core.models import AuditEvent, AuditHead, Document
    from grants.core.programs import add_program
    from workflows import audit
    from workflows.drafts import create_draft

    engine = make_engine(url)
    migrate.init(engine)
    start = datetime(2025, 5, 1, 1, 0, tzinfo=timezone.utc)
    with unit_of_work(engine) as session:
        add_program(session, fiscal_year=2025, applications_open=date(2025, 4, 1),
                    applications_close=date(2025, 6, 30))
        grant = create_draft(session, Actor("a", Role.applicant, municipality_code="132012"),
                             {"fiscal_year": 2025, "municipality_code": "132012", "title": "事業"},
                             now=start)
        seq, prev = session.execute(audit.HEAD_LOCK).one()
        digest = hashlib.sha256(DOCUMENT).hexdigest()
        documents, rows = [], []
        for n in range(seq + 1, events + 1):
            recorded = []
            if n % 10 == 0:
                documents.append({"id": n, "grant_id": grant.id, "form": 7, "title": "通知書",
                                  "number": f"7特協環第{n}号", "sha256": digest,
                                  "content": DOCUMENT, "issued_on": date(2025, 5, 1),
                                  "issued_at": start, "issued_by": "bench"})
                recorded = [{"id": n, "form": 7, "number": f"7特協環第{n}号", "sha256": digest}]
            event = AuditEvent(seq=n, grant_id=grant.id, action="edit", from_state="draft",
                               to_state="draft", actor="bench", actor_role="applicant",
                               occurred_at=start + timedelta(seconds=n), amounts={"x_yen": n},
                               documents=recorded, prev_hash=prev)
            event.hash = prev = audit.event_hash(event)
            rows.append(event.model_dump())
        connection = session.connection()
        for table, batch in ((Document.__table__, documents), (audit.AUDIT_EVENTS, rows)):
            for first in range(0, len(batch), 5000):
                connection.execute(table.insert(), batch[first:first + 5000])
        connection.execute(AuditHead.__table__.update().values(seq=events, hash=prev))
    engine.dispose()


def _verify_in_child(url: str, what: str, queue) -> None:
    os.environ["GRANTS_DATABASE_URL"] = url
    from sqlalchemy import text

    from forms import issue
    from grants.core.db import make_engine, unit_of_work
    from workflows import audit

    engine = make_engine(url)
    with unit_of_work(engine, write=False) as session:  # connect and warm up before measuring
        session.execute(text("SELECT 1"))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    with unit_of_work(engine, write=False) as session:
        if what == "audit verify":
            result = audit.verify(session)
            ok, count = result.ok, result.events
        else:
            count, mismatches = issue.verify(session)
            ok = not mismatches
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    engine.dispose()
    queue.put((ok, count, elapsed, peak, rss_growth * 1024))


def verify_in_a_fresh_process(url: str, what: str) -> tuple:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_verify_in_child, args=(url, what, queue))
    child.start()
    result = queue.get(timeout=600)
    child.join()
    return result


def measure(label: str, make, sizes: list[int]) -> None:
    results: dict[tuple[str, int], tuple] = {}
    for size in sizes:
        url, drop = make()
        try:
            fill(url, size)
            for what in ("audit verify", "documents verify"):
                ok, count, elapsed, peak, rss = results[(what, size)] = \
                    verify_in_a_fresh_process(url, what)
                assert ok, f"{what} failed on a sound trail"
                print(f"  {label:10} {what:16} {size:7,} events: {count:7,} checked in "
                      f"{elapsed:6.2f} s, Python peak {peak / 1e6:6.2f} MB, "
                      f"resident growth {rss / 1e6:6.2f} MB")
        finally:
            drop()
    small, large = sizes
    for what in ("audit verify", "documents verify"):
        ratio = results[(what, large)][3] / results[(what, small)][3]
        print(f"  {label:10} {what}: Python peak at {large:,} / at {small:,} events = "
              f"{ratio:.2f}x (aim <= 1.5x: flat)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    measure("SQLite", sqlite_database, [args.small, args.large])
    server = postgres_server()
    if server:
        measure("PostgreSQL", lambda: postgres_database(server), [args.small, args.large])
    else:
        print("  PostgreSQL skipped: set GRANTS_BENCH_POSTGRES_URL to include it")


if __name__ == "__main__":
    main()
