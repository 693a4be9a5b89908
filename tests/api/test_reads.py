"""Reading one grant as the server really does it, with no test session in between: one
statement for the token, the person and the grant; on SQLite on the event loop's own
connection, on PostgreSQL with async I/O. The same answers as everywhere else: 200 for one's
own, the same 404 for another tenant's as for nothing, 401 without a current token."""

import threading
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from grants.core.db import WRITE, unit_of_work
from grants.core.settings import get_settings
from grants.core.users import add_user, issue_token, set_disabled
from tests import factories as f


@pytest.fixture
def served(fresh_engine, monkeypatch):
    """The app on a database of its own, committed, with a grant of 八王子市."""
    from grants.app import app
    engine = fresh_engine()
    monkeypatch.setenv("PGTZ", "Asia/Tokyo")  # a server in Japan: times must still come out UTC
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    tokens = {}
    with unit_of_work(engine) as session:
        f.program(session, allows_advance=True)
        grant = f.grant_in(session, "awarded", summary="行1\n行2", project_cost_yen=9_000_000_000)
        f.act(session, grant, "pay_advance", {"amount_yen": 100_000})
        for name, role, code, org in (("hachioji", "applicant", f.CITY, None),
                                      ("mizuho", "applicant", f.TOWN, None),
                                      ("shichoson", "secretariat", None, f.CITY_ORG),
                                      ("tokubetsuku", "secretariat", None, f.WARD_ORG),
                                      ("auditor", "auditor", None, None)):
            user = add_user(session, {"username": name, "role": role, "password": "x" * 12,
                                      "municipality_code": code, "org_id": org})
            tokens[name] = {"Authorization": f"Bearer {issue_token(session, user)[0]}"}
        grant_id = grant.id
    with TestClient(app) as client:
        yield client, engine, grant_id, tokens
    get_settings.cache_clear()
    engine.dispose()


def test_own_grant_is_read_in_one_statement_with_labels_and_next_steps(served):
    client, _, grant_id, tokens = served
    mine = client.get(f"/api/grants/{grant_id}", headers=tokens["hachioji"])
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert (body["state"], body["state_label"], body["municipality_name"]) == (
        "awarded", "交付決定", "八王子市")
    assert body["allowed_actions"] == ["request_change", "submit_report"]
    assert body["actions"] == ["awareness", "places_for_action"]
    listed = client.get("/api/grants", headers=tokens["hachioji"]).json()["items"]
    assert listed == [body], "the one-statement read answers exactly as the list does"
    staff = client.get(f"/api/grants/{grant_id}", headers=tokens["shichoson"]).json()
    assert staff["allowed_actions"] == ["pay_advance", "cancel"]
    assert client.get(f"/api/grants/{grant_id}", headers=tokens["auditor"]).json()["allowed_actions"] == []


@pytest.mark.parametrize("other", ["mizuho", "tokubetsuku"])
def test_other_tenants_grant_reads_like_nothing(served, other):
    client, _, grant_id, tokens = served
    theirs = client.get(f"/api/grants/{grant_id}", headers=tokens[other])
    nothing = client.get("/api/grants/2147483647", headers=tokens[other])
    assert theirs.status_code == nothing.status_code == 404
    assert theirs.json() == nothing.json() == {"detail": "助成案件が見つかりません。",
                                               "code": "grant_not_found"}


def test_no_current_token_is_401(served):
    client, engine, grant_id, tokens = served
    assert client.get(f"/api/grants/{grant_id}").status_code == 401
    forged = client.get(f"/api/grants/{grant_id}", headers={"Authorization": "Bearer nope"})
    assert forged.status_code == 401
    with unit_of_work(engine) as session:
        set_disabled(session, "hachioji")
    assert client.get(f"/api/grants/{grant_id}", headers=tokens["hachioji"]).status_code == 401


def test_a_read_does_not_wait_for_a_writer(served):
    """A transaction holding the write lock (SQLite) or the grant's row (PostgreSQL) does
    not hold up a reader of the same grant."""
    client, engine, grant_id, tokens = served
    held, release = threading.Event(), threading.Event()

    def writer():
        with engine.connect().execution_options(**WRITE) as connection:  # BEGIN IMMEDIATE on SQLite
            connection.execute(text("UPDATE grants SET title = 'x' WHERE id = :id"), {"id": grant_id})
            held.set()
            release.wait(10)
            connection.rollback()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert held.wait(10)
        started = time.perf_counter()
        response = client.get(f"/api/grants/{grant_id}", headers=tokens["hachioji"])
        took = time.perf_counter() - started
    finally:
        release.set()
        thread.join()
    assert response.status_code == 200 and response.json()["title"] != "x"
    assert took < 0.5, f"the read waited {took:.2f} s for the writer"
