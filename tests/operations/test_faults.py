"""A fault harness (the reliability issue, part 3), on PostgreSQL: the real server as a
subprocess with several workers, driven over HTTP by concurrent clients taking grants through
the whole procedure, is killed with SIGKILL in the middle of the load and started again. After
it: every grant's state is its last audit event's, the trail verifies, every issued document
matches its hash, the cap holds for every municipality, and the ledger's totals are the
trail's. Its figures are printed at the end of the run."""

import asyncio
import getpass
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections import Counter

import httpx
import pytest
from sqlalchemy import func, make_url, select, text

from bench import load
from bench.serving import free_port
from forms import issue
from grants.core.db import unit_of_work
from grants.core.ja.messages import message
from grants.core.models import AuditEvent, Commitment, Grant, Notification, Program
from tests.conftest import POSTGRES_URL
from tests.support import FIGURES
from workflows import audit
from workflows.table import commitment

pytestmark = [pytest.mark.faults,
              pytest.mark.skipif(not POSTGRES_URL, reason="the fault harness runs on PostgreSQL "
                                                          "(GRANTS_TEST_POSTGRES_URL)")]


def _serve(url: str, port: int, workers: int = 2, log=subprocess.DEVNULL,
           **env: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [load.GRANTS, "serve", "--workers", str(workers), "--port", str(port)],
        env={**os.environ, "GRANTS_DATABASE_URL": url, "GRANTS_SCHEDULER": "off",
             "GRANTS_DATABASE_POOL_SIZE": "5", **env},
        stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("grants serve did not start")


async def _keep_going(base, people, staff, seconds: float, clients: int, counts: dict,
                      answers: list | None = None, stop: asyncio.Event | None = None) -> None:
    """Lifecycles until the time is up (or ``stop`` is set); a request cut off by the kill is
    counted, not fatal. ``answers`` collects (time, status, body) of every response."""
    deadline = time.perf_counter() + seconds
    stop = stop or asyncio.Event()

    async def record(response: httpx.Response) -> None:
        await response.aread()
        answers.append((time.perf_counter(), response.status_code, response.text))

    async def client(n: int) -> None:
        code, org, token = people[n % len(people)]
        hooks = {"response": [record]} if answers is not None else {}
        async with httpx.AsyncClient(base_url=base, timeout=30, event_hooks=hooks) as http:
            while time.perf_counter() < deadline and not stop.is_set():
                try:
                    await load.lifecycle(http, code, token, staff[org], counts["took"])
                    counts["lifecycles"] += 1
                except (httpx.HTTPError, SystemExit):
                    counts["cut"] += 1
                    await asyncio.sleep(0.2)
    await asyncio.gather(*(client(n) for n in range(clients)))


def _assert_consistent(engine) -> tuple[int, int]:
    """What must hold after any fault: every grant's state is its last audit event's, the
    trail verifies, every issued document matches its hash, the cap holds for every
    municipality, and the payments are the trail's. Returns (grants, stored files) checked."""
    with unit_of_work(engine, write=False) as session:
        grants = session.scalars(select(Grant)).all()
        last = dict(session.execute(
            select(AuditEvent.grant_id, AuditEvent.to_state)
            .where(AuditEvent.seq.in_(select(func.max(AuditEvent.seq)).where(
                AuditEvent.grant_id.is_not(None), AuditEvent.to_state.is_not(None))
                .group_by(AuditEvent.grant_id)))).all())
        for grant in grants:
            assert last.get(grant.id, "draft") == grant.state, grant.id
        assert audit.verify(session).ok
        checked, mismatches = issue.verify(session)
        assert mismatches == []
        cap = session.get(Program, load.YEAR).cap_yen
        held: dict[str, int] = {}
        for grant in grants:
            held[grant.municipality_code] = held.get(grant.municipality_code, 0) + commitment(grant)
        for row in session.scalars(select(Commitment).where(Commitment.fiscal_year == load.YEAR)):
            assert row.committed_yen == held.get(row.municipality_code, 0) <= cap
        paid_in_trail = sum(event.amounts.get("payment_yen", 0) for event in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "settle")))
        assert sum(grant.paid_yen for grant in grants) == paid_in_trail
    return len(grants), checked


def test_a_server_killed_in_the_middle_of_the_load_loses_and_doubles_nothing(fresh_engine):
    engine = fresh_engine()
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    people, staff = load.prepare(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    counts = {"took": [], "lifecycles": 0, "cut": 0, "kills": 0}
    server = _serve(url, port)

    async def run() -> None:
        load_task = asyncio.create_task(_keep_going(base, people, staff, 12, 8, counts))
        await asyncio.sleep(4)
        os.killpg(server.pid, signal.SIGKILL)  # the master and its workers, mid-request
        server.wait()
        counts["kills"] += 1
        await asyncio.sleep(0.5)
        counts["restarted"] = _serve(url, port)
        await load_task
    try:
        asyncio.run(run())
    finally:
        for process in (server, counts.get("restarted")):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(30)

    grants, checked = _assert_consistent(engine)
    FIGURES.append(f"fault harness: {len(counts['took'])} requests, {counts['lifecycles']} lifecycles, "
          f"{counts['kills']} SIGKILL of the server, {counts['cut']} lifecycles cut off, "
          f"{grants} grants and {checked} stored files checked, 0 violations")
    assert counts["kills"] == 1 and counts["lifecycles"] > 0 and counts["cut"] > 0


def _scheduler(url: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen([load.GRANTS, "scheduler"],
                            env={**os.environ, "GRANTS_DATABASE_URL": url, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def test_mail_down_schedulers_doubled_and_one_killed_every_notice_is_delivered_once(fresh_engine):
    """Four web workers and two schedulers at once; the mail server away for the first part
    of the load; one scheduler killed with SIGKILL: once the mail server is back, every notice
    reaches the server exactly once, and no notice exists twice."""
    from tests.mail_support import SmtpServer
    engine = fresh_engine()
    url = engine.url.render_as_string(hide_password=False)
    people, staff = load.prepare(url)
    smtp = SmtpServer()  # not started: the mail server is away
    mail = {"GRANTS_SMTP_HOST": "127.0.0.1", "GRANTS_SMTP_PORT": str(smtp.port),
            "GRANTS_SCHEDULER_INTERVAL_SECONDS": "1", "GRANTS_MAIL_RETRY_SECONDS": "1",
            "GRANTS_MAIL_LEASE_SECONDS": "5", "GRANTS_MAIL_MAX_ATTEMPTS": "100",
            "GRANTS_SMTP_TIMEOUT_SECONDS": "5"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    counts = {"took": [], "lifecycles": 0, "cut": 0}
    processes = [_serve(url, port, workers=4, **mail), _scheduler(url, **mail), _scheduler(url, **mail)]

    async def run() -> None:
        task = asyncio.create_task(_keep_going(base, people, staff, 10, 8, counts))
        await asyncio.sleep(3)
        os.killpg(processes[1].pid, signal.SIGKILL)  # one scheduler dies; the other goes on
        await asyncio.sleep(3)
        smtp.start()  # the mail server is back
        await task
    try:
        asyncio.run(run())
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with unit_of_work(engine, write=False) as session:
                left = session.scalar(select(func.count()).select_from(Notification).where(
                    Notification.email_state.in_(("pending", "sending"))))
            if not left:
                break
            time.sleep(1)
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(30)
        smtp.stop()
    with unit_of_work(engine, write=False) as session:
        states = dict(session.execute(select(Notification.email_state, func.count())
                                      .group_by(Notification.email_state)).all())
        emailed = session.scalar(select(func.count()).select_from(Notification)
                                 .where(Notification.email_state == "sent"))
        keys = session.scalars(select(Notification.dedup_key)).all()
    ids = smtp.inbox.ids()
    _assert_consistent(engine)  # the scheduler's kill broke nothing either
    FIGURES.append(f"fault harness (mail): {len(counts['took'])} requests, {counts['lifecycles']} "
          f"lifecycles, 4 workers and 2 schedulers, 1 scheduler SIGKILLed, mail server away 6 s; "
          f"{len(keys)} notices, {len(ids)} e-mails received, {len(ids) - len(set(ids))} doubled")
    assert set(states) == {"sent"}, states  # nothing left behind, nothing given up
    assert len(ids) == len(set(ids)) == emailed > 0  # each exactly once
    assert len(keys) == len(set(keys))


def test_a_scheduler_killed_in_the_middle_of_a_scan_leaves_every_reminder_once(fresh_engine):
    """`grants reminders run` killed with SIGKILL while it scans 30,000 grants, then run twice
    at the same moment (two schedulers) and once more: exactly the reminders of an
    uninterrupted run, none twice."""
    from bench.reminders import TODAY, populate

    def reminders_run(url: str) -> subprocess.Popen:
        return subprocess.Popen([load.GRANTS, "reminders", "run", "--today", TODAY.isoformat()],
                                env={**os.environ, "GRANTS_DATABASE_URL": url},
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)

    def notices(engine) -> list[str]:
        with unit_of_work(engine, write=False) as session:
            return sorted(session.scalars(select(Notification.dedup_key)))

    killed, calm = fresh_engine(), fresh_engine()
    for engine in (killed, calm):
        populate(engine, 30_000)
    url = killed.url.render_as_string(hide_password=False)
    interrupted = reminders_run(url)
    # Killed inside the scan's transaction, once it has queued reminders and before it commits.
    watch = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction') "
                 "AND query ILIKE '%INSERT INTO notifications%'")
    # Autocommit: the activity view is read afresh each time, not from one transaction's snapshot.
    with killed.connect().execution_options(isolation_level="AUTOCOMMIT") as probe:
        for _ in range(2000):
            if probe.execute(watch).scalar() or interrupted.poll() is not None:
                break
            time.sleep(0.002)
    assert interrupted.poll() is None, "the scan ended before it could be killed"
    os.killpg(interrupted.pid, signal.SIGKILL)
    interrupted.wait()
    assert notices(killed) == []  # nothing of the cut-off scan was kept
    # Then two schedulers' scans at the same moment, and one more after them.
    together = [reminders_run(url), reminders_run(url)]
    assert [run.wait(120) for run in together] == [0, 0]
    assert reminders_run(url).wait(120) == 0
    assert reminders_run(calm.url.render_as_string(hide_password=False)).wait(120) == 0
    after_kill, uninterrupted = notices(killed), notices(calm)
    FIGURES.append(f"fault harness (scheduler): 1 SIGKILL mid-scan of 30,000 grants, then 2 "
                   f"scans at once; "
                   f"{len(after_kill)} reminders after, {len(uninterrupted)} without the kill, "
                   f"{len(after_kill) - len(set(after_kill))} doubled")
    assert after_kill == uninterrupted and len(set(after_kill)) == len(after_kill) > 0


def _cluster_of(url: str) -> tuple[str, str] | None:
    """The local cluster (version, name) serving ``url``'s port, if this machine may restart it."""
    port = str(make_url(url).port or 5432)
    if make_url(url).host not in ("127.0.0.1", "localhost") or not shutil.which("pg_lsclusters"):
        return None
    if os.geteuid() != 0 and getpass.getuser() != "postgres":
        return None
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True)
    for line in listing.stdout.splitlines():
        version, name, cluster_port, *_ = line.split()
        if cluster_port == port:
            return version, name
    return None


def _cluster(cluster: tuple[str, str], verb: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, verb, "-m", "fast"]
                   if verb == "stop" else
                   ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, verb],
                   check=True, capture_output=True, timeout=120)


def test_the_database_restarted_under_load_answers_503_in_japanese_and_recovers(fresh_engine,
                                                                              tmp_path):
    """PostgreSQL stopped for a few seconds in the middle of the load and started again
    (`pg_ctlcluster … stop`, `… start`), the server left running: every answer during the
    outage is a 503 with a Japanese message, never a 500, and lifecycles complete again
    afterwards without anyone restarting the server; afterwards everything still holds."""
    engine = fresh_engine()
    url = engine.url.render_as_string(hide_password=False)
    engine.dispose()
    cluster = _cluster_of(url)
    if cluster is None:
        pytest.skip("restarting PostgreSQL needs its local cluster (pg_ctlcluster) and root")
    people, staff = load.prepare(url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    counts = {"took": [], "lifecycles": 0, "cut": 0}
    answers: list[tuple[float, int, str]] = []
    log = (tmp_path / "server.log").open("w")  # the traceback of any 500, to say what failed
    server = _serve(url, port, log=log)
    outage: dict[str, float] = {}

    async def run() -> None:
        # The load goes on for a fixed time after the database is back, however long
        # stopping and starting it took.
        stop = asyncio.Event()
        load_task = asyncio.create_task(
            _keep_going(base, people, staff, 120, 8, counts, answers, stop))
        await asyncio.sleep(3)
        outage["from"] = time.perf_counter()
        await asyncio.to_thread(_cluster, cluster, "stop")
        await asyncio.sleep(3)
        await asyncio.to_thread(_cluster, cluster, "start")
        outage["to"] = time.perf_counter()
        counts["before_restart"] = counts["lifecycles"]
        await asyncio.sleep(10)
        stop.set()
        await load_task
    try:
        asyncio.run(run())
    finally:
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p",
                           str(make_url(url).port or 5432)]).returncode != 0:
            _cluster(cluster, "start")  # never leave the rest of the run without its server
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        log.close()

    statuses = Counter(status for _, status, _ in answers)
    other_5xx = sum(n for status, n in statuses.items() if status >= 500 and status != 503)
    refused = [body for _, status, body in answers if status >= 500]
    during = [status for at, status, _ in answers if outage["from"] < at < outage["to"]]
    after = [status for at, status, _ in answers if at > outage["to"] + 5]
    grants, checked = _assert_consistent(engine)
    FIGURES.append(f"fault harness (database restart): {len(answers)} requests, PostgreSQL "
                   f"stopped for {outage['to'] - outage['from']:.1f} s under load; "
                   f"{statuses[503]} answered 503, {other_5xx} other 5xx; "
                   f"{counts['lifecycles'] - counts['before_restart']} lifecycles completed after it; "
                   f"{grants} grants and {checked} stored files checked")
    assert statuses[503] > 0 and 503 in during  # the outage was met, and told
    assert set(status for status in statuses if status >= 500) == {503}, (
        statuses, (tmp_path / "server.log").read_text()[-4000:])  # never a 500
    for body in refused:
        assert json.loads(body)["detail"] == message("not_ready_database")
    assert after and all(status < 500 for status in after)  # recovered by itself
    assert counts["lifecycles"] > counts["before_restart"]
