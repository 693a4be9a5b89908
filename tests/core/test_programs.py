"""SPEC §3: fiscal-year programs, from the service and from the ``grants`` command."""

from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import func, select
from typer.testing import CliRunner

from grants.cli import app
from grants.core.clock import JST
from grants.core.errors import InvalidInput, Refused
from grants.core.models import Commitment, Program
from grants.core.settings import get_settings
from tests import factories as f


def test_program_defaults_follow_the_spec(session):
    program = f.program(session)
    assert (program.cap_yen, program.budget_yen, program.allows_advance) == (1_000_000, None, False)
    assert program.report_days_after_end == 30
    assert program.report_deadline == date(2026, 4, 10)
    assert program.reminder_offsets["application_close"] == [14, 7, 1]
    rows = session.scalar(select(func.count()).select_from(Commitment)
                          .where(Commitment.fiscal_year == 2025, Commitment.committed_yen == 0))
    assert rows == 62


def test_a_fiscal_year_is_opened_once(session):
    f.program(session)
    with pytest.raises(Refused, match="令和7年度の事業はすでに登録されています"):
        f.program(session)


def test_application_window_must_close_after_it_opens(session):
    with pytest.raises(InvalidInput, match="申請受付終了日"):
        f.program(session, applications_open=date(2025, 7, 1), applications_close=date(2025, 6, 30))


@pytest.mark.parametrize("cap", [0, -1, True])
def test_cap_must_be_positive_whole_yen(session, cap):
    with pytest.raises(InvalidInput):
        f.program(session, cap_yen=cap)
    assert session.get(Program, 2025) is None


@pytest.fixture
def cli(fresh_engine, monkeypatch):
    engine = fresh_engine()
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()
    engine.dispose()


def test_cli_init_is_idempotent(cli):
    for _ in range(2):
        result = cli.invoke(app, ["init"])
        assert result.exit_code == 0 and "62 団体" in result.output


def test_cli_programs_add_and_list(cli):
    added = cli.invoke(app, ["programs", "add", "--fiscal-year", "2025", "--cap-yen", "1000000",
                             "--open", "2025-04-01", "--close", "2025-06-30"])
    assert added.exit_code == 0, added.output
    assert "令和7年度（FY2025）を登録しました" in added.output
    cli.invoke(app, ["programs", "add", "--fiscal-year", "2011", "--cap-yen", "1500000",
                     "--budget-yen", "50000000", "--open", "2011-04-01", "--close", "2011-06-30"])
    listing = cli.invoke(app, ["programs", "list"])
    lines = listing.output.splitlines()
    assert lines[0].startswith("2011\t平成23年度\t上限額 1,500,000円\t予算 50,000,000円")
    assert lines[1].startswith("2025\t令和7年度\t上限額 1,000,000円\t予算 設定なし")


def test_cli_refuses_bad_program_input_with_a_clear_error(cli):
    again = ["programs", "add", "--fiscal-year", "2025", "--open", "2025-04-01",
             "--close", "2025-06-30"]
    assert cli.invoke(app, again).exit_code == 0
    duplicate = cli.invoke(app, again)
    assert duplicate.exit_code == 1 and "すでに登録されています" in duplicate.output
    backwards = cli.invoke(app, ["programs", "add", "--fiscal-year", "2026", "--open", "2026-07-01",
                                 "--close", "2026-06-30"])
    assert backwards.exit_code == 1 and "申請受付終了日" in backwards.output
    bad_date = cli.invoke(app, ["programs", "add", "--fiscal-year", "2027", "--open", "2027/04/01",
                                "--close", "2027-06-30"])
    assert bad_date.exit_code == 2


def test_one_deadline_the_close_on_a_closed_day_moves_to_the_next_open_day_everywhere(
        client, session, login, password_hash):
    """令和9年1月31日 is a Sunday: applications are taken until Monday 1 February, and every
    place says so (the pages with the close as typed noted, the API beside the close)."""
    from grants.core.dates import applications_close_text, takes_applications
    from tests.web_support import sign_in, text

    program = f.program(session, fiscal_year=2026, applications_open=date(2026, 4, 1),
                        applications_close=date(2027, 1, 31))
    assert applications_close_text(program) == "令和9年2月1日（締切日の令和9年1月31日が閉庁日のため）"
    assert takes_applications(program, date(2027, 2, 1))
    assert not takes_applications(program, date(2027, 2, 2))
    answer = next(p for p in client.get("/api/programs", headers=login(f.ADMIN)).json()
                  if p["fiscal_year"] == 2026)
    assert (answer["applications_close"], answer["applications_deadline"]) == ("2027-01-31", "2027-02-01")
    with time_machine.travel(datetime(2027, 2, 1, 10, tzinfo=JST), tick=False):
        sign_in(client, session, f.applicant(), password_hash)
        home = text(client.get("/").text)
    assert "申請を受け付けています（令和9年2月1日（締切日の令和9年1月31日が閉庁日のため）まで）" in home
