"""Sign-in that cannot be hammered: failed attempts are counted per username and per client
address in the database; past the limit they are refused with 429 and Retry-After before
any password is hashed; the right password works again once the window has passed; each
lock-out is logged and kept for the admin, who can end it."""

import logging
import statistics
import time

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from grants.cli import app
from grants.core import users
from grants.core.models import SignInLockout, User
from grants.core.settings import get_settings
from tests import factories as f
from tests.conftest import PASSWORD
from tests.support import timed_fairly

WINDOW = 2  # seconds: short enough to wait for in a test


@pytest.fixture
def limits(monkeypatch):
    monkeypatch.setenv("GRANTS_SIGN_IN_LIMIT_PER_USERNAME", f"5/{WINDOW} seconds")
    monkeypatch.setenv("GRANTS_SIGN_IN_LIMIT_PER_CLIENT", f"12/{WINDOW} seconds")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def hashing(monkeypatch):
    """Counts every Argon2 verification."""
    calls = []
    for name in ("verify", "verify_and_update"):
        original = getattr(users.passwords, name)
        monkeypatch.setattr(users.passwords, name,
                            lambda *a, _original=original: calls.append(a) or _original(*a))
    return calls


@pytest.fixture
def hachioji(session, password_hash):
    for name in ("hachioji", "mizuho"):
        session.add(User(username=name, role="applicant", municipality_code=f.CITY,
                         password_hash=password_hash))
    session.flush()


def _sign_in(client, username, password):
    started = time.perf_counter()
    response = client.post("/api/auth/token", data={"username": username, "password": password})
    return response, time.perf_counter() - started


def test_twenty_wrong_passwords_lock_the_username_without_hashing(client, limits, hachioji,
                                                                   hashing):
    answers, refused_times = [], []
    with timed_fairly():
        for _ in range(20):
            before = len(hashing)
            response, took = _sign_in(client, "hachioji", "wrong password")
            answers.append(response.status_code)
            if response.status_code == 429:
                assert len(hashing) == before, "a refused attempt must not hash anything"
                assert 1 <= int(response.headers["Retry-After"]) <= WINDOW
                assert response.json()["code"] == "too_many_attempts"
                assert "ログインの失敗が続いたため" in response.json()["detail"]
                refused_times.append(took)
    assert answers == [401] * 5 + [429] * 15
    print(f"refused attempts: median {statistics.median(refused_times) * 1000:.1f} ms, "
          f"slowest {max(refused_times) * 1000:.1f} ms")
    assert max(refused_times) < 0.020, "each refused attempt answers at once"
    locked, _ = _sign_in(client, "hachioji", PASSWORD)
    assert locked.status_code == 429, "not even the right password while locked"
    time.sleep(int(locked.headers["Retry-After"]) + 0.1)
    assert _sign_in(client, "hachioji", PASSWORD)[0].status_code == 200


def test_another_username_is_not_locked_by_the_first(client, limits, hachioji):
    for _ in range(6):
        _sign_in(client, "hachioji", "wrong password")
    assert _sign_in(client, "mizuho", PASSWORD)[0].status_code == 200


def test_right_password_ends_the_run_of_failures(client, limits, hachioji):
    for _ in range(4):
        assert _sign_in(client, "hachioji", "wrong password")[0].status_code == 401
    assert _sign_in(client, "hachioji", PASSWORD)[0].status_code == 200
    for _ in range(4):
        assert _sign_in(client, "hachioji", "wrong password")[0].status_code == 401


def test_one_address_trying_many_usernames_is_locked(client, limits, hachioji, hashing):
    for n in range(12):  # unknown usernames: each costs the same dummy verification
        assert _sign_in(client, f"guess{n}", "wrong password")[0].status_code == 401
    before = len(hashing)
    assert _sign_in(client, "mizuho", PASSWORD)[0].status_code == 429
    assert len(hashing) == before


def test_huge_passwords_are_refused_before_hashing(client, hachioji, hashing):
    response, _ = _sign_in(client, "hachioji", "x" * 1_000_000)
    assert response.status_code == 422 and "password" in response.json()["problems"]
    assert hashing == []


def test_each_lockout_is_logged_and_kept_for_the_admin(client, session, limits, hachioji, caplog):
    with caplog.at_level(logging.WARNING, logger="grants.security"):
        for _ in range(7):
            _sign_in(client, "hachioji", "wrong password")
    locked = [r for r in caplog.records if "sign-in locked" in r.getMessage()]
    assert len(locked) == 1 and "'hachioji'" in locked[0].getMessage()
    kept = session.scalars(select(SignInLockout)).all()
    assert [(k.scope, k.subject, k.failures) for k in kept] == [("username", "hachioji", 5)]
    assert kept[0].locked_until > kept[0].locked_at


def test_admin_lists_lockouts_and_unlocks_a_user(fresh_engine, monkeypatch, limits):
    from grants.core.db import unit_of_work
    engine = fresh_engine()
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    runner = CliRunner()
    runner.invoke(app, ["users", "add", "hachioji", "--role", "applicant", "--municipality",
                        f.CITY], input="a long enough secret\n")
    for _ in range(5):
        with unit_of_work(engine) as session:
            form, verified = users.check_sign_in(session, {"username": "hachioji",
                                                           "password": "wrong"}, "192.0.2.7")
            users.finish_sign_in(session, form.username, "192.0.2.7", verified)
    listing = runner.invoke(app, ["users", "lockouts"])
    assert listing.exit_code == 0 and "username\thachioji\t失敗 5 回" in listing.output
    with unit_of_work(engine, write=False) as session, pytest.raises(Exception) as locked:
        users.check_sign_in(session, {"username": "hachioji", "password": "x"}, "192.0.2.8")
    assert locked.value.status == 429
    assert runner.invoke(app, ["users", "unlock", "hachioji"]).exit_code == 0
    with unit_of_work(engine, write=False) as session:
        _, verified = users.check_sign_in(session, {"username": "hachioji",
                                                    "password": "a long enough secret"}, "192.0.2.8")
    assert verified is not None
    engine.dispose()
