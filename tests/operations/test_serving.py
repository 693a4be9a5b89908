"""Running it in production (the reliability issue, part 1): liveness and readiness, security
headers on every answer, one JSON log line per request, request bodies over the limit refused
before they are read in full, and a database outage told as 503 in Japanese, not 500."""

import json
import logging

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg_pool import PoolTimeout
from sqlalchemy.exc import OperationalError

from grants.api.errors import answer_for
from grants.core.settings import get_settings


def test_liveness_needs_nothing_but_the_process(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readiness_reaches_the_database_and_finds_its_schema_current(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok", "migrations": "current"}


@pytest.fixture
def app_on(monkeypatch):
    """The app itself (not the test's session) on another database."""
    from grants.app import app

    def on(url: str) -> TestClient:
        monkeypatch.setenv("GRANTS_DATABASE_URL", url)
        get_settings.cache_clear()
        return TestClient(app)
    yield on
    get_settings.cache_clear()


def test_readiness_is_503_while_the_schema_is_not_upgraded(app_on, tmp_path):
    answer = app_on(f"sqlite:///{tmp_path}/empty.db").get("/readyz")
    assert answer.status_code == 503 and answer.json()["code"] == "not_ready"
    assert "grants init" in answer.json()["detail"]


def test_readiness_is_503_while_the_database_is_unreachable(app_on):
    answer = app_on("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=1").get("/readyz")
    assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
    assert "データベースに接続できません" in answer.json()["detail"]


@pytest.mark.parametrize("error", [
    OperationalError("SELECT 1", {}, Exception("server closed the connection")),
    psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
    PoolTimeout("couldn't get a connection after 5.00 sec"),
    psycopg.InterfaceError("the connection is closed")], ids=type)
def test_a_database_outage_is_told_as_503_in_japanese_never_500(error):
    """Through SQLAlchemy or psycopg's own async pool (the token check on PostgreSQL)."""
    answer = answer_for(error)
    assert (answer.status, answer.code) == (503, "not_ready")
    assert "しばらくしてから" in answer.detail


@pytest.mark.parametrize("path", ["/", "/login", "/public/", "/api/me", "/static/site.css",
                                  "/no-such-page", "/openapi.json"])
def test_every_answer_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    script = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "frame-ancestors 'none'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in headers  # plain HTTP: no HSTS
    claimed = client.get(path, headers={"X-Forwarded-Proto": "https"}).headers
    assert "strict-transport-security" not in claimed  # not from a proxy of ours


@pytest.fixture
def behind_our_proxy(monkeypatch):
    """The test client's requests come through a proxy listed in GRANTS_TRUSTED_PROXIES."""
    from grants.core.settings import get_settings
    monkeypatch.setenv("GRANTS_TRUSTED_PROXIES", '["testclient"]')
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_behind_a_trusted_proxy_over_https_every_answer_carries_hsts(client, behind_our_proxy):
    headers = client.get("/login", headers={"X-Forwarded-Proto": "https"}).headers
    assert headers["strict-transport-security"].startswith("max-age=")


def test_x_forwarded_for_from_anyone_else_cannot_choose_the_address_counted(client, session,
                                                                             password_hash):
    """A client rotating X-Forwarded-For is still one address to the throttle."""
    from tests import factories as f
    from tests.support import ensure_user
    ensure_user(session, f.applicant(), password_hash)
    answers = [client.post("/api/auth/token", headers={"X-Forwarded-For": f"203.0.113.{n}"},
                           data={"username": f.applicant().username, "password": "wrong"}
                           ).status_code for n in range(8)]
    assert answers == [401] * 5 + [429] * 3


def test_a_trusted_proxy_says_who_the_client_is(client, session, password_hash, behind_our_proxy):
    from tests import factories as f
    from tests.support import ensure_user
    ensure_user(session, f.applicant(), password_hash)
    answers = [client.post("/api/auth/token", headers={"X-Forwarded-For": f"203.0.113.{n}"},
                           data={"username": f.applicant().username, "password": "wrong"}
                           ).status_code for n in range(8)]
    assert answers == [401] * 8  # eight people, one try each


def test_a_json_body_over_the_limit_is_refused_before_it_is_read(client, login):
    from tests import factories as f
    big = json.dumps({"title": "x" * (get_settings().max_json_bytes + 10)})
    answer = client.post("/api/grants", headers=login(f.applicant()) | {"Content-Type": "application/json"},
                         content=big)
    assert answer.status_code == 413 and answer.json()["code"] == "body_too_large"
    assert "大きすぎます" in answer.json()["detail"]


def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(client, login):
    from tests import factories as f
    sent = 0

    def chunks():
        nonlocal sent
        for _ in range(64):
            sent += 1
            yield b"x" * 65536  # 4 MiB in all, never announced
    answer = client.post("/api/grants", headers=login(f.applicant()) | {"Content-Type": "application/json"},
                         content=chunks())
    assert answer.status_code == 413


def test_an_upload_over_the_attachment_limit_is_refused_with_413(client, login, session):
    from grants.core.attachments import MAX_BYTES
    from tests import factories as f
    f.program(session)
    grant = f.draft(session)
    answer = client.post(f"/api/grants/{grant.id}/attachments", headers=login(f.applicant()),
                         files={"file": ("big.pdf", b"%PDF" + b"0" * (MAX_BYTES + 2 * 1024 * 1024),
                                         "application/pdf")})
    assert answer.status_code == 413


def test_one_json_log_line_per_request_with_id_user_route_status_and_time(client, login, caplog):
    from tests import factories as f
    with caplog.at_level(logging.INFO, logger="grants.requests"):
        answer = client.get("/api/me", headers=login(f.AUDITOR) | {"X-Request-ID": "abc-123"})
        client.get("/no-such-page")
    lines = [json.loads(record.getMessage()) for record in caplog.records
             if record.name == "grants.requests"]
    me = next(line for line in lines if line["path"] == "/api/me")
    assert answer.headers["x-request-id"] == "abc-123"
    assert me["request_id"] == "abc-123" and me["user"] == "auditor" and me["status"] == 200
    assert me["route"] == "/api/me" and me["method"] == "GET" and me["ms"] >= 0
    missing = next(line for line in lines if line["path"] == "/no-such-page")
    assert missing["status"] == 404 and missing["user"] is None and len(missing["request_id"]) == 32


def test_grants_serve_runs_several_workers_with_the_scheduler_off_and_logs_json(fresh_engine):
    """The production command itself: two uvicorn workers, the in-process scheduler refused
    (one `grants scheduler` runs beside them), one JSON line per request on stdout."""
    import os
    import shutil
    import subprocess
    import time
    import urllib.request

    from bench.serving import free_port
    engine = fresh_engine()
    port = free_port()
    grants = shutil.which("grants") or os.path.join(os.path.dirname(os.sys.executable), "grants")
    process = subprocess.Popen(
        [grants, "serve", "--workers", "2", "--port", str(port)],
        env={**os.environ, "GRANTS_DATABASE_URL": engine.url.render_as_string(hide_password=False),
             "GRANTS_SCHEDULER": "on"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                ready = urllib.request.urlopen(f"{base}/readyz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("grants serve did not start")
        assert json.loads(ready.read()) == {"status": "ok", "database": "ok", "migrations": "current"}
        for _ in range(10):
            urllib.request.urlopen(f"{base}/healthz", timeout=5).read()
    finally:
        process.terminate()
        out, err = process.communicate(timeout=30)
        engine.dispose()
    assert "grants scheduler" in err  # told why the workers run no scheduler
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert sum(line["path"] == "/healthz" and line["status"] == 200 for line in lines) == 10
    assert "Traceback" not in err


@pytest.mark.parametrize(("path", "kind"), [("/", "text/html"), ("/api/me", "application/json")])
def test_an_unexpected_error_is_a_japanese_500_with_every_header(client, session, login,
                                                                 password_hash, monkeypatch, path, kind):
    """Should a bug ever surface, the person reads what happened and what to do, and the
    answer carries the security headers and request id like every other (never Starlette's
    plain-text 'Internal Server Error')."""
    from grants.api import account
    from grants.core import queries
    from tests import factories as f
    from tests.web_support import sign_in

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")
    headers = login(f.applicant())
    sign_in(client, session, f.applicant(), password_hash)
    monkeypatch.setattr(queries, "municipality_grants", broken)
    monkeypatch.setattr(account, "get_user", broken)
    answer = client.get(path, headers=headers)
    assert answer.status_code == 500 and answer.headers["content-type"].startswith(kind)
    assert "予期しない問題が起きた" in answer.text and "a bug" not in answer.text
    assert answer.headers["content-security-policy"] and answer.headers["x-request-id"]
    assert answer.headers["x-content-type-options"] == "nosniff"
