"""Sign-in that cannot be hammered and cannot be used to lock a real person out.

Failures are counted per username and address (the pair: past its limit a pause that
doubles) and per username from every address (a slower limit that still lets an address with
no recent failures through); a refused attempt hashes nothing; admitting and counting are one
step, so no burst gets more tries than the limits allow; each lock-out is logged and kept for
the admin, who can end it."""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from grants.cli import app
from grants.core import passwords
from grants.core.db import unit_of_work
from grants.core.errors import GrantsError
from grants.core.models import SignInLockout, User
from grants.core.settings import get_settings
from grants.core.sign_in import sign_in
from tests import factories as f
from tests.conftest import PASSWORD
from tests.support import FIGURES

PAUSE = 2  # seconds: the pair's first pause, short enough to wait for in a test


@pytest.fixture
def limits(monkeypatch):
    monkeypatch.setenv("GRANTS_SIGN_IN_LIMIT_PER_PAIR", "5/1 hour")
    monkeypatch.setenv("GRANTS_SIGN_IN_LIMIT_PER_USERNAME", "8/1 hour")
    monkeypatch.setenv("GRANTS_SIGN_IN_FIRST_PAUSE_SECONDS", str(PAUSE))
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def hashing(monkeypatch):
    """Counts every Argon2 verification."""
    calls = []
    for name in ("verify", "verify_and_update"):
        original = getattr(passwords.hasher, name)
        monkeypatch.setattr(passwords.hasher, name,
                            lambda *a, _original=original: calls.append(a) or _original(*a))
    return calls


@pytest.fixture
def people(fresh_engine, password_hash):
    """A database of its own (sign-in commits), with two applicants."""
    engine = fresh_engine()
    with unit_of_work(engine) as session:
        for name in ("hachioji", "mizuho"):
            session.add(User(username=name, role="applicant", municipality_code=f.CITY,
                             password_hash=password_hash))
    yield engine
    engine.dispose()


def _sign_in(engine, username: str, password: str, client: str) -> int:
    """The status a person would see: 200 with a token, or the refusal's."""
    def unit(mode):
        return unit_of_work(engine, write=mode == "write")
    try:
        sign_in(unit, {"username": username, "password": password}, client)
    except GrantsError as error:
        return error.status
    return 200


def _retry_after(engine, username: str, client: str) -> int:
    def unit(mode):
        return unit_of_work(engine, write=mode == "write")
    with pytest.raises(GrantsError) as refused:
        sign_in(unit, {"username": username, "password": "any"}, client)
    assert refused.value.status == 429
    return int(refused.value.headers()["Retry-After"])


def test_five_wrong_passwords_pause_the_pair_without_hashing(people, limits, hashing):
    answers, hashed = [], []
    for _ in range(20):
        before = len(hashing)
        answers.append(_sign_in(people, "hachioji", "wrong password", "192.0.2.1"))
        hashed.append(len(hashing) - before)
    assert answers == [401] * 5 + [429] * 15
    assert hashed == [1] * 5 + [0] * 15, "a refused attempt hashes nothing"
    assert 1 <= _retry_after(people, "hachioji", "192.0.2.1") <= PAUSE
    assert _sign_in(people, "hachioji", PASSWORD, "192.0.2.1") == 429, "not even the right one"


def test_the_pause_doubles_with_each_further_failure(people, limits):
    import time
    for _ in range(5):
        _sign_in(people, "hachioji", "wrong password", "192.0.2.1")
    time.sleep(PAUSE + 0.1)
    assert _sign_in(people, "hachioji", "wrong password", "192.0.2.1") == 401  # the 6th
    assert PAUSE < _retry_after(people, "hachioji", "192.0.2.1") <= 2 * PAUSE
    time.sleep(2 * PAUSE + 0.1)
    assert _sign_in(people, "hachioji", PASSWORD, "192.0.2.1") == 200


def test_failures_from_one_address_do_not_stop_the_right_password_from_another(people, limits):
    for _ in range(7):
        _sign_in(people, "hachioji", "wrong password", "192.0.2.66")
    assert _sign_in(people, "hachioji", "wrong password", "192.0.2.66") == 429
    assert _sign_in(people, "hachioji", PASSWORD, "192.0.2.10") == 200


def test_past_the_username_limit_only_an_address_without_failures_gets_through(people, limits):
    for client in ("192.0.2.1", "192.0.2.2"):  # 8 failures in all, 4 from each address
        for _ in range(4):
            assert _sign_in(people, "hachioji", "wrong password", client) == 401
    assert _sign_in(people, "hachioji", PASSWORD, "192.0.2.1") == 429  # it failed lately
    assert _sign_in(people, "hachioji", "wrong password", "192.0.2.3") == 401  # fresh: one try
    assert _sign_in(people, "hachioji", PASSWORD, "192.0.2.3") == 429  # no longer fresh
    assert _sign_in(people, "hachioji", PASSWORD, "192.0.2.4") == 200  # the person at their desk


def test_another_username_is_not_held_back_by_the_first(people, limits):
    for _ in range(9):
        _sign_in(people, "hachioji", "wrong password", "192.0.2.1")
    assert _sign_in(people, "mizuho", PASSWORD, "192.0.2.1") == 200


def test_a_city_hall_behind_one_address_is_never_locked_as_a_whole(people, limits):
    for n in range(40):  # staff mistyping, and strangers guessing names, all behind one NAT
        _sign_in(people, f"guess{n}", "wrong password", "192.0.2.99")
    assert _sign_in(people, "mizuho", PASSWORD, "192.0.2.99") == 200


def test_right_password_ends_the_pairs_run_of_failures(people, limits):
    for _ in range(4):
        assert _sign_in(people, "hachioji", "wrong password", "192.0.2.1") == 401
    assert _sign_in(people, "hachioji", PASSWORD, "192.0.2.1") == 200
    for _ in range(4):
        assert _sign_in(people, "hachioji", "wrong password", "192.0.2.1") == 401


def test_huge_passwords_are_refused_before_hashing(people, hashing):
    assert _sign_in(people, "hachioji", "x" * 1_000_000, "192.0.2.1") == 422
    assert hashing == []


def _burst(engine, clients: list[str], password: str = "wrong password") -> list[int]:
    """All at once: every thread waits at a barrier, then signs in."""
    start = threading.Barrier(len(clients))

    def one(client: str) -> int:
        start.wait()
        return _sign_in(engine, "hachioji", password, client)
    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(one, clients))


def test_fifty_concurrent_wrong_passwords_from_one_address_get_five_tries(people, limits):
    answers = _burst(people, ["192.0.2.1"] * 50)
    right = _sign_in(people, "hachioji", PASSWORD, "192.0.2.1")
    FIGURES.append(f"sign-in burst, one address: 50 concurrent wrong passwords → "
                   f"{answers.count(401)} × 401, {answers.count(429)} × 429; then the right "
                   f"one → {right}")
    assert sorted(answers) == [401] * 5 + [429] * 45
    assert right == 429


def test_fifty_concurrent_wrong_passwords_from_ten_addresses_stay_within_the_limits(people, limits):
    clients = [f"192.0.2.{n}" for n in range(10) for _ in range(5)]
    answers = _burst(people, clients)
    tried = answers.count(401)
    failed_address = _sign_in(people, "hachioji", PASSWORD, "192.0.2.0")
    fresh_address = _sign_in(people, "hachioji", PASSWORD, "192.0.2.200")
    FIGURES.append(f"sign-in burst, ten addresses: 50 concurrent wrong passwords → {tried} × 401, "
                   f"{answers.count(429)} × 429 (limit 8 per username + one try per fresh "
                   f"address); then the right one from an address that failed → {failed_address}, "
                   f"from a fresh one → {fresh_address}")
    assert tried <= 8 + 10 and set(answers) <= {401, 429}
    assert failed_address == 429 and fresh_address == 200


def test_each_lockout_is_logged_and_kept_for_the_admin(people, limits, caplog):
    with caplog.at_level(logging.WARNING, logger="grants.security"):
        for _ in range(7):
            _sign_in(people, "hachioji", "wrong password", "192.0.2.1")
    locked = [r for r in caplog.records if "sign-in locked" in r.getMessage()]
    assert len(locked) == 1 and "'hachioji 192.0.2.1'" in locked[0].getMessage()
    with unit_of_work(people, write=False) as session:
        kept = session.scalars(select(SignInLockout)).all()
    assert [(k.scope, k.subject, k.username, k.failures) for k in kept] == [
        ("pair", "hachioji 192.0.2.1", "hachioji", 5)]
    assert kept[0].locked_until > kept[0].locked_at


def test_admin_lists_lockouts_and_unlocks_a_user(people, monkeypatch, limits):
    monkeypatch.setenv("GRANTS_DATABASE_URL", people.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    runner = CliRunner()
    for _ in range(5):
        _sign_in(people, "hachioji", "wrong password", "192.0.2.7")
    listing = runner.invoke(app, ["users", "lockouts"])
    assert listing.exit_code == 0 and "pair\thachioji 192.0.2.7\t失敗 5 回" in listing.output
    assert _sign_in(people, "hachioji", PASSWORD, "192.0.2.7") == 429
    assert runner.invoke(app, ["users", "unlock", "hachioji"]).exit_code == 0
    assert _sign_in(people, "hachioji", PASSWORD, "192.0.2.7") == 200


def test_a_lockout_is_told_to_the_person_once(people, limits):
    from grants.core.models import Notification
    from notifications import scheduler
    from notifications.messages import notices
    from tests.notifications.test_reminders import EMAIL_OFF
    for _ in range(6):
        _sign_in(people, "hachioji", "wrong password", "192.0.2.1")
    first = scheduler.tick(people, settings=EMAIL_OFF).scan.queued["sign_in_failures"]
    again = scheduler.tick(people, settings=EMAIL_OFF).scan.queued["sign_in_failures"]
    with unit_of_work(people, write=False) as session:
        (notice,) = notices(session, Notification.kind == "sign_in_failures")
    assert (first, again) == (1, 0) and notice.username == "hachioji"
    assert notice.subject == "ログインの失敗が続きました"
    assert "失敗が5回続いたため、接続元 192.0.2.1 からのログインをしばらく受け付けない" in notice.lead
    assert "心当たりがない場合は、パスワードを変更し" in notice.lead
