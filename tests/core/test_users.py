"""SPEC §2: users and roles from the command line, and the ready-to-try demo."""

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from grants.cli import app
from grants.core import passwords
from grants.core.db import unit_of_work
from grants.core.models import User
from grants.core.settings import get_settings
from tests.support import password_works


@pytest.fixture
def cli(fresh_engine, monkeypatch):
    engine = fresh_engine()
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    yield CliRunner(), engine
    get_settings.cache_clear()
    engine.dispose()


def test_users_add_reads_the_password_from_stdin_and_stores_only_a_hash(cli):
    runner, engine = cli
    result = runner.invoke(app, ["users", "add", "tanaka", "--role", "applicant", "--municipality",
                                 "132021", "--email", "tanaka@example.jp"],
                           input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    assert "tanaka（申請者（市区町村））を登録しました" in result.output
    with unit_of_work(engine) as session:
        user = session.scalars(select(User).where(User.username == "tanaka")).one()
        assert user.password_hash.startswith("$argon2")
        assert "a long enough secret" not in user.password_hash
        assert password_works(session, "tanaka", "a long enough secret")
    listing = runner.invoke(app, ["users", "list"])
    assert "tanaka\tapplicant\t132021\ttanaka@example.jp\t有効" in listing.output


@pytest.mark.parametrize(("args", "complaint"), [
    (["--role", "applicant"], "市区町村コードが必要"),
    (["--role", "secretariat"], "所属財団（org）が必要"),
    (["--role", "auditor", "--municipality", "132021"], "市区町村コードが必要"),
    (["--role", "applicant", "--municipality", "999999"], "999999"),
    (["--role", "secretariat", "--org", "nowhere"], "nowhere"),
    (["--role", "mayor"], "役割（role）"),
])
def test_users_add_refuses_bad_input_clearly(cli, args, complaint):
    runner, engine = cli
    result = runner.invoke(app, ["users", "add", "someone", *args], input="a long enough secret\n")
    assert result.exit_code == 1 and complaint in result.output
    with unit_of_work(engine) as session:
        assert session.scalars(select(User)).first() is None


def test_short_passwords_and_duplicate_names_are_refused(cli):
    runner, _ = cli
    short = runner.invoke(app, ["users", "add", "auditor1", "--role", "auditor"], input="short\n")
    assert short.exit_code == 1 and "10文字以上" in short.output
    runner.invoke(app, ["users", "add", "auditor1", "--role", "auditor"], input="a long enough secret\n")
    again = runner.invoke(app, ["users", "add", "auditor1", "--role", "auditor"], input="another secret!\n")
    assert again.exit_code == 1 and "すでに使われています" in again.output


def test_disable_and_enable(cli):
    runner, engine = cli
    runner.invoke(app, ["users", "add", "kato", "--role", "auditor"], input="a long enough secret\n")
    assert runner.invoke(app, ["users", "disable", "kato"]).exit_code == 0
    with unit_of_work(engine) as session:
        assert not password_works(session, "kato", "a long enough secret")
    assert runner.invoke(app, ["users", "enable", "kato"]).exit_code == 0
    with unit_of_work(engine) as session:
        assert password_works(session, "kato", "a long enough secret")
    assert runner.invoke(app, ["users", "disable", "nobody"]).exit_code == 1


def test_demo_prints_working_logins_for_every_role_and_both_orgs(cli):
    runner, engine = cli
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    logins = {}
    for line in result.output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].isascii() and parts[0].isalnum():
            logins[parts[0]] = parts[1]
    assert {"chiyoda", "hachioji", "mizuho", "hinohara", "tokubetsuku", "shichoson", "auditor",
            "admin"} <= set(logins)
    assert "申請受付" in result.output
    with unit_of_work(engine) as session:
        for username, password in logins.items():
            assert password_works(session, username, password), username
        roles = {u.role for u in session.scalars(select(User))}
        assert roles == {"applicant", "secretariat", "auditor", "admin"}
    assert runner.invoke(app, ["demo"]).exit_code == 0  # again: same users, new passwords


def test_password_hashes_are_argon2():
    assert passwords.hash_password("x" * 12).startswith("$argon2id$")


@pytest.mark.parametrize("today", ["2026-04-01", "2026-11-23", "2027-03-15", "2027-03-31"])
def test_demo_opens_this_fiscal_years_window_on_any_day_with_grants_in_several_states(session,
                                                                                     today):
    from datetime import date, datetime, time

    from sqlalchemy import func

    from grants.core.clock import JST
    from grants.core.models import Grant
    from grants.operations.demo import prepare
    day = date.fromisoformat(today)
    program, logins = prepare(session, now=datetime.combine(day, time(9), JST))
    assert program.fiscal_year == 2026 and len(logins) == 9
    assert program.applications_open <= day <= program.applications_close <= date(2027, 3, 31)
    states = dict(session.execute(select(Grant.state, func.count()).group_by(Grant.state)).all())
    assert states == {"draft": 1, "submitted": 1, "under_review": 1, "returned": 1, "awarded": 1,
                      "published": 1}
    prepare(session, now=datetime.combine(day, time(9), JST))  # again: new passwords, same grants
    assert session.scalar(select(func.count()).select_from(Grant)) == 6


def test_the_command_line_says_when_the_database_is_not_ready(tmp_path, monkeypatch, capsys):
    from grants.cli import main
    monkeypatch.setenv("GRANTS_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setattr("sys.argv", ["grants", "users", "list"])
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit) as stopped:
            main()
    finally:
        get_settings.cache_clear()
    assert stopped.value.code == 1
    assert "grants init を実行してください" in capsys.readouterr().err
