"""Signing in under attack, against the real server (uvicorn on loopback, a database of its
own): bursts of sign-ins cannot exhaust its memory, because Argon2 runs in a few slots at a
time and the rest are answered 503 in Japanese without hashing; and failures from one
address (127.0.0.2) do not stop the right password from another (127.0.0.3)."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bench.serving import served_process
from grants.core import passwords
from grants.core.db import unit_of_work
from grants.core.errors import GrantsError
from grants.core.models import RateCounter, User
from grants.core.settings import get_settings
from grants.core.sign_in import sign_in
from tests import factories as f
from tests.conftest import PASSWORD
from tests.support import FIGURES


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


class PeakRss:
    """The highest resident set size of a process while the block runs (sampled every 10 ms)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._done = pid, _rss_mb(pid), threading.Event()

    def __enter__(self) -> "PeakRss":
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._done.wait(0.01):
            self.peak = max(self.peak, _rss_mb(self.pid))


@pytest.fixture
def server(fresh_engine, password_hash):
    engine = fresh_engine()
    with unit_of_work(engine) as session:
        session.add(User(username="hachioji", role="applicant", municipality_code=f.CITY,
                         password_hash=password_hash))
    with served_process(engine.url.render_as_string(hide_password=False)) as (base, process):
        yield base, process
    engine.dispose()


def _sign_in(base: str, username: str, password: str, source: str = "127.0.0.1") -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, timeout=60) as client:
        return client.post(f"{base}/api/auth/token", data={"username": username, "password": password})


def test_fifty_concurrent_sign_ins_do_not_exhaust_the_servers_memory(server):
    base, process = server
    _sign_in(base, "warm-up", "a wrong password")  # the first hash's one-off allocations
    before = _rss_mb(process.pid)
    start = threading.Barrier(50)

    def one(n: int) -> int:
        start.wait()
        return _sign_in(base, f"nobody{n}", "a wrong password").status_code
    with PeakRss(process.pid) as rss, ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(one, range(50)))
    grown = rss.peak - before
    FIGURES.append(f"sign-in memory: 50 concurrent sign-ins with unknown usernames; the server's "
                   f"RSS {before:.0f} MB → peak {rss.peak:.0f} MB (+{grown:.0f} MB); answers "
                   f"{answers.count(401)} × 401, {answers.count(503)} × 503")
    assert set(answers) <= {401, 503} and answers.count(401) > 0
    assert grown < 300


def test_failures_from_one_address_do_not_stop_the_right_password_from_another(server):
    base, _ = server
    wrong = [_sign_in(base, "hachioji", "a wrong password", "127.0.0.2").status_code
             for _ in range(8)]
    assert wrong == [401] * 5 + [429] * 3
    right = _sign_in(base, "hachioji", PASSWORD, "127.0.0.3")
    assert right.status_code == 200 and right.json()["access_token"]
    assert _sign_in(base, "hachioji", PASSWORD, "127.0.0.2").status_code == 429


@pytest.fixture
def one_slot(monkeypatch):
    """One hashing slot, a short wait for it, and a hash that takes a second."""
    monkeypatch.setenv("GRANTS_PASSWORD_HASHES_AT_ONCE", "1")
    monkeypatch.setenv("GRANTS_PASSWORD_HASH_WAIT_SECONDS", "0.2")
    get_settings.cache_clear()
    hashed = []
    original = passwords.hasher.verify

    def slow(*args):
        hashed.append(1)
        time.sleep(1)
        return original(*args)
    monkeypatch.setattr(passwords.hasher, "verify", slow)
    yield hashed
    monkeypatch.undo()
    get_settings.cache_clear()


def test_sign_ins_beyond_the_hashing_slots_are_told_to_wait_and_hash_nothing(fresh_engine, one_slot):
    engine = fresh_engine()

    def unit(mode):
        return unit_of_work(engine, write=mode == "write")
    start = threading.Barrier(4)

    def one(n: int) -> GrantsError:
        start.wait()
        with pytest.raises(GrantsError) as refused:
            sign_in(unit, {"username": "nobody", "password": "a wrong password"},
                          f"192.0.2.{n}")
        return refused.value
    with ThreadPoolExecutor(4) as pool:
        refusals = list(pool.map(one, range(4)))
    busy = [r for r in refusals if r.status == 503]
    assert len(busy) == 3 and len(one_slot) == 1  # one hashed; three never ran Argon2
    assert all(r.detail == "ただいまログインが混み合っています。数秒後にもう一度お試しください。"
               and r.headers()["Retry-After"] == "5" for r in busy)
    with unit_of_work(engine, write=False) as session:  # the refused ones counted for nothing
        counts = {c.key: c.count for c in session.scalars(select(RateCounter))}
    assert counts["username/nobody"] == 1
    assert sorted(v for k, v in counts.items() if k.startswith("pair/")) == [0, 0, 0, 1]
