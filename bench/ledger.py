"""The grant ledger: exporting 100,000 grants.

CSV: ``grants.publishing.ledger_files.export`` (read, label, neutralise, write, hash, record
the audit event) against ``sqlite3 -csv`` printing the same rows of the same joined tables, in
the same run, best of three each. Aim: at most 3x. Peak memory (RSS) of a CSV export at 10,000
and at 100,000 rows, each in a fresh process: aim flat, within +20%. XLSX at 100,000 rows against a bare
openpyxl write-only loop appending the same cells. Aim: at most 1.5x.

The static public site (``grants site build``) for 20 fiscal years x 62 published grants:
read, render and write every page, the feed and the open data. Aim: at most 5 s. Beside it,
the time to write the same bytes to the same paths with nothing to render.

    python bench/ledger.py [--rows 100000] [--site-only]
"""

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.databases import sqlite_database  # noqa: E402
from grants.core import migrate  # noqa: E402
from grants.core.actors import Actor, Role  # noqa: E402
from grants.core.clock import utcnow  # noqa: E402
from grants.core.db import make_engine, unit_of_work  # noqa: E402
from grants.core.models import Grant, Municipality, Program  # noqa: E402
from grants.core.settings import get_settings  # noqa: E402
from grants.publishing import ledger, ledger_files, site  # noqa: E402
from grants.publishing.ledger import LedgerFilter  # noqa: E402
from grants.publishing.results import published  # noqa: E402

AUDITOR = Actor("bench-auditor", Role.auditor)
STATES = ["draft", "submitted", "under_review", "awarded", "confirmed", "paid", "published",
          "cancelled", "rejected"]
SQLITE3_QUERY = """
SELECT g.id, g.fiscal_year, g.municipality_code, m.name, o.name, g.title, g.category, g.actions,
       g.project_start, g.project_end, g.project_cost_yen, g.requested_yen, g.awarded_yen,
       g.decision_date, d.number, g.confirmed_yen, g.advanced_yen, g.paid_yen,
       g.refund_due_yen, g.state, g.published_at
FROM grants g JOIN municipalities m ON m.code = g.municipality_code
JOIN orgs o ON o.id = m.org_id
LEFT JOIN (SELECT grant_id, max(id) AS id FROM documents WHERE form = 2 GROUP BY grant_id) x
  ON x.grant_id = g.id
LEFT JOIN documents d ON d.id = x.id
ORDER BY g.fiscal_year, g.municipality_code, g.id"""


def populate_published(url: str, years: int = 20) -> int:
    """Every municipality's grant, published, in each of ``years`` fiscal years."""
    engine = make_engine(url)
    migrate.init(engine)
    rng = random.Random(years)
    with unit_of_work(engine) as session:
        codes = list(session.scalars(select(Municipality.code)))
        batch = []
        for year in range(2026 - years, 2026):
            session.add(Program(fiscal_year=year, applications_open=date(year, 4, 1),
                                applications_close=date(year, 6, 30),
                                report_deadline=date(year + 1, 4, 10)))
            session.flush()
            for code in codes:
                amount = rng.randrange(100, 1000) * 1000
                start = date(year, 6, 1) + timedelta(days=rng.randrange(60))
                batch.append({
                    "fiscal_year": year, "municipality_code": code, "state": "published",
                    "title": f"里山保全と温暖化防止の普及啓発事業（{year}年度）",
                    "category": rng.choice(["nature_conservation", "warming_prevention"]),
                    "actions": rng.sample(["awareness", "cooperation", "places_for_action"], 2),
                    "project_start": start, "project_end": start + timedelta(days=200),
                    "requested_yen": amount, "awarded_yen": amount, "confirmed_yen": amount,
                    "paid_yen": amount, "decision_date": date(year, 7, 1),
                    "public_summary": "市民と里山の下草刈りを行い、観察会を開きました。" * 3,
                    "outcomes": "観察会を4回開催し、延べ120名が参加しました。" * 3,
                    "published_at": utcnow() - timedelta(days=365 * (2026 - year)),
                    "created_at": utcnow(), "updated_at": utcnow()})
        session.execute(insert(Grant), batch)
    engine.dispose()
    return len(batch)


def build_site(url: str) -> tuple[float, float, int]:
    """Seconds to build the site, seconds to write the same bytes unrendered, files."""
    engine = make_engine(url)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        with unit_of_work(engine, write=False) as session:
            public = site.Site(published(session), get_settings(), static=True)
        files = site.write(public, Path(folder) / "site")
        took = time.perf_counter() - started
        made = [(p.relative_to(folder), p.read_bytes())
                for p in sorted(Path(folder).rglob("*")) if p.is_file()]
        started = time.perf_counter()
        for path, content in made:
            target = Path(folder) / "bare" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        bare = time.perf_counter() - started
        shutil.rmtree(Path(folder) / "bare")
    engine.dispose()
    return took, bare, files


def populate(url: str, rows: int) -> None:
    engine = make_engine(url)
    migrate.init(engine)
    rng = random.Random(rows)
    with unit_of_work(engine) as session:
        codes = list(session.scalars(select(Municipality.code)))
        years = range(2006, 2026)
        for year in years:
            session.add(Program(fiscal_year=year, applications_open=date(year, 4, 1),
                                applications_close=date(year, 6, 30),
                                report_deadline=date(year + 1, 4, 10)))
        session.flush()
        now = utcnow()
        batch = []
        for n in range(rows):
            year = years[n % len(years)]
            start = date(year, 6, 1) + timedelta(days=rng.randrange(60))
            awarded = rng.randrange(100, 1000) * 1000
            batch.append({
                "fiscal_year": year, "municipality_code": codes[n % len(codes)],
                "state": rng.choice(STATES), "title": f"里山保全と温暖化防止の普及啓発事業 第{n}号",
                "category": "nature_conservation", "actions": ["awareness", "cooperation"],
                "summary": "市民と下草刈りを行う。", "project_start": start,
                "project_end": start + timedelta(days=200), "project_cost_yen": awarded * 2,
                "requested_yen": awarded, "awarded_yen": awarded,
                "decision_date": date(year, 7, 1), "confirmed_yen": awarded, "advanced_yen": 0,
                "paid_yen": awarded, "refund_due_yen": 0, "created_at": now, "updated_at": now})
            if len(batch) == 10_000:
                session.execute(insert(Grant), batch)
                batch = []
        if batch:
            session.execute(insert(Grant), batch)
    engine.dispose()


def export(url: str, fmt: str) -> tuple[float, int]:
    engine = make_engine(url)
    where = LedgerFilter()
    started = time.perf_counter()
    with unit_of_work(engine, write=False) as session:
        count = ledger_files.check(session, AUDITOR, where)
    size = 0
    for chunk in ledger_files.export(lambda mode: unit_of_work(engine, write=mode == "write"),
                                     AUDITOR, where, fmt, count=count):
        size += len(chunk)
    took = time.perf_counter() - started
    engine.dispose()
    return took, size


def bare_sqlite3(url: str) -> float:
    path = url.removeprefix("sqlite:///")
    started = time.perf_counter()
    subprocess.run(["sqlite3", "-csv", "-header", path, SQLITE3_QUERY], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def bare_openpyxl(url: str) -> float:
    """The same cells, read before the clock starts, appended to a write-only workbook."""
    from openpyxl import Workbook
    engine = make_engine(url)
    with unit_of_work(engine, write=False) as session:
        cells = [list(row) for row in ledger.rows(session, AUDITOR,
                                                                      LedgerFilter())]
    engine.dispose()
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("ledger")
    for row in cells:
        sheet.append(row)
    with open("/dev/null", "wb") as sink:
        workbook.save(sink)
    return time.perf_counter() - started


def peak_rss_of_export(url: str) -> int:
    """KiB, in a fresh process that exports the ledger as CSV and nothing else."""
    root = str(Path(__file__).resolve().parents[1])
    code = (f"import sys, resource; sys.path.insert(0, {root!r}); from bench.ledger import export; "
            f"export({url!r}, 'csv'); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return int(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--site-only", action="store_true")
    args = parser.parse_args()
    site_url, drop_site = sqlite_database()
    try:
        grants = populate_published(site_url)
        took, bare, files = build_site(site_url)
        print(f"static site of {grants:,} published grants (20 years x 62): {files:,} files in "
              f"{took:.2f} s (aim <= 5 s); the same bytes written unrendered {bare:.2f} s "
              f"= {took / bare:.1f}x")
    finally:
        drop_site()
    if args.site_only:
        return
    small_url, drop_small = sqlite_database()
    large_url, drop_large = sqlite_database()
    try:
        populate(small_url, args.rows // 10)
        populate(large_url, args.rows)
        # Best of three each, taken in turn, so that a slow moment of the machine counts
        # against neither side.
        runs = [(export(large_url, "csv"), bare_sqlite3(large_url)) for _ in range(3)]
        ours, size = min(ours for ours, _bare in runs)
        bare = min(bare for _ours, bare in runs)
        print(f"CSV of {args.rows:,} grants: export {ours:.2f} s ({size / 1e6:.1f} MB) vs "
              f"sqlite3 -csv {bare:.2f} s = {ours / bare:.2f}x (best of 3 each)")
        small, large = peak_rss_of_export(small_url), peak_rss_of_export(large_url)
        print(f"peak RSS of a CSV export: {args.rows // 10:,} rows {small / 1024:.0f} MiB, "
              f"{args.rows:,} rows {large / 1024:.0f} MiB = {large / small:.2f}x")
        xlsx, size = export(large_url, "xlsx")
        bare = bare_openpyxl(large_url)
        print(f"XLSX of {args.rows:,} grants: export {xlsx:.2f} s ({size / 1e6:.1f} MB) vs bare "
              f"openpyxl write-only {bare:.2f} s = {xlsx / bare:.2f}x")
    finally:
        drop_small()
        drop_large()


if __name__ == "__main__":
    main()
