"""The clock: ``grants reminders run`` by hand (a given day replayed), APScheduler inside the
web process when GRANTS_SCHEDULER=on, ``grants scheduler`` as its own process; and the
command line's view of failed e-mail."""

import os
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from grants.cli import app as cli_app
from grants.core.clock import japan_date, utcnow
from grants.core.dates import fiscal_year_bounds, fiscal_year_of
from grants.core.db import unit_of_work
from grants.core.models import Notification, User
from grants.core.settings import get_settings
from tests import factories as f
from tests.notifications.test_reminders import FY, _setup


@pytest.fixture
def database(fresh_engine, monkeypatch):
    engine = fresh_engine()
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("GRANTS_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()


def _window_reminders(engine) -> int:
    with unit_of_work(engine, write=False) as session:
        return session.scalar(select(func.count()).select_from(Notification)
                              .where(Notification.kind == "window_closing"))


def test_reminders_run_replays_a_given_day_and_prints_what_it_queued(database):
    _setup(database)
    runner = CliRunner()
    first = runner.invoke(cli_app, ["reminders", "run", "--today", f"{FY}-04-23"])
    assert first.exit_code == 0, first.output
    # nobody has submitted yet: the three active applicants are told the window closes soon
    assert "2026-04-23 のリマインダー: 新たに 3 件" in first.output
    assert "申請受付の締切: 3 件" in first.output
    again = runner.invoke(cli_app, ["reminders", "run", "--today", f"{FY}-04-23"])
    assert "新たに 0 件" in again.output
    bad = runner.invoke(cli_app, ["reminders", "run", "--today", "2026-02-30"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output


def test_notifications_list_and_requeue_on_the_command_line(database):
    _setup(database)
    with unit_of_work(database) as session:
        user = session.scalars(select(User).where(User.username == "applicant-a")).one()
        session.add(Notification(dedup_key="test:failed", kind="window_closing",
                                 occurrence="before-1", user_id=user.id, fiscal_year=FY,
                                 due_on=date(FY, 5, 7), email_state="failed", attempts=12,
                                 last_error="SMTPRecipientsRefused: 550"))
    runner = CliRunner()
    listed = runner.invoke(cli_app, ["notifications", "list", "--failed"])
    assert listed.exit_code == 0 and "applicant-a" in listed.output
    assert "送信失敗（12回）" in listed.output and "SMTPRecipientsRefused: 550" in listed.output
    requeued = runner.invoke(cli_app, ["notifications", "requeue"])
    assert "1 件を送信待ちに戻しました" in requeued.output
    assert "該当するお知らせはありません" in runner.invoke(
        cli_app, ["notifications", "list", "--failed"]).output


def _closing_soon(engine) -> None:
    """A program of this fiscal year whose window closes in a few days, on the real clock,
    and an applicant to remind."""
    today = japan_date(utcnow())
    year = fiscal_year_of(today)
    first, last = fiscal_year_bounds(year)
    with unit_of_work(engine) as session:
        f.program(session, year, applications_open=first,
                  applications_close=min(today + timedelta(days=3), last))
        session.add(User(username="applicant-a", role="applicant", municipality_code=f.CITY,
                         password_hash="x"))


def _wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_clock_runs_in_the_web_process_when_switched_on(database, monkeypatch):
    from grants.app import app
    _closing_soon(database)
    monkeypatch.setenv("GRANTS_SCHEDULER", "on")
    get_settings.cache_clear()
    with TestClient(app):
        assert _wait_for(lambda: _window_reminders(database) == 1)
    monkeypatch.setenv("GRANTS_SCHEDULER", "off")
    get_settings.cache_clear()
    with TestClient(app):
        time.sleep(0.5)
    assert _window_reminders(database) == 1


def test_grants_scheduler_runs_the_clock_as_its_own_process(database):
    _closing_soon(database)
    env = os.environ | {"GRANTS_DATABASE_URL":
                        database.url.render_as_string(hide_password=False)}
    process = subprocess.Popen([sys.executable, "-c", "from grants.cli import main; main()",
                                "scheduler"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        assert _wait_for(lambda: _window_reminders(database) == 1)
    finally:
        process.terminate()
        process.wait(10)
    assert _window_reminders(database) == 1
