"""Signing in to the pages: a server-side session behind an HttpOnly, SameSite=Lax cookie,
a new session at every sign-in, ended by sign-out, expiry and an admin disabling the user;
one message for a wrong password and an unknown user; the sign-in throttling of the API;
and every form refused without its CSRF token."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from grants.core import passwords, users
from grants.core.clock import utcnow
from grants.core.models import ApiToken, AuditEvent
from grants.core.settings import get_settings
from tests import factories as f
from tests.conftest import PASSWORD
from tests.web_support import csrf, ensure_user, post, sign_in, text


def test_signed_out_the_home_page_sends_to_sign_in_and_back(client):
    response = client.get("/grants/7?done=award", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fgrants%2F7%3Fdone%3Daward"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=%2F"
    page = client.get("/login?next=%2Fgrants%2F7")
    assert 'name="next" value="/grants/7"' in page.text and "ログイン" in page.text


def test_sign_in_sets_a_new_httponly_lax_session_each_time(client, session, password_hash):
    sign_in(client, session, f.applicant(), password_hash)
    cookie = client.cookies["grants_session"]
    response = client.post("/login", data={"username": f.applicant().username,
                                           "password": PASSWORD, "csrftoken": csrf(client)},
                           follow_redirects=False)
    set_cookie = response.headers["set-cookie"]
    assert "HttpOnly" in set_cookie and "SameSite=lax" in set_cookie and "Path=/" in set_cookie
    assert "Secure" not in set_cookie  # served over plain HTTP here; HTTPS adds it
    assert client.cookies["grants_session"] != cookie, "a new session id at sign-in"
    tokens = session.scalars(select(ApiToken).where(ApiToken.kind == "web").order_by(ApiToken.id)).all()
    assert [t.revoked_at is not None for t in tokens] == [True, False], "the old session ends"


def test_the_session_cookie_is_secure_over_https(client, session, password_hash):
    from fastapi.testclient import TestClient

    from grants.app import app
    ensure_user(session, f.applicant(), password_hash)
    with TestClient(app, base_url="https://testserver") as secure:  # the fixture's units of work
        secure.get("/login")
        response = secure.post("/login", data={"username": f.applicant().username,
                                               "password": PASSWORD,
                                               "csrftoken": csrf(secure)},
                               follow_redirects=False)
    assert response.status_code == 303 and "Secure" in response.headers["set-cookie"]


def test_wrong_password_and_unknown_user_get_the_same_message(client, session, password_hash):
    ensure_user(session, f.applicant(), password_hash)
    wrong = client.post("/login", data={"username": f.applicant().username, "password": "nope",
                                        "csrftoken": csrf(client)})
    unknown = client.post("/login", data={"username": "nobody", "password": "nope",
                                          "csrftoken": csrf(client)})
    assert wrong.status_code == unknown.status_code == 401
    assert "ユーザー名またはパスワードが正しくありません。" in text(wrong.text)
    assert "ユーザー名またはパスワードが正しくありません。" in text(unknown.text)
    assert "grants_session" not in client.cookies


def test_sign_out_ends_the_session(client, session, password_hash):
    sign_in(client, session, f.applicant(), password_hash)
    cookie = client.cookies["grants_session"]
    assert client.get("/", follow_redirects=False).status_code == 200
    assert post(client, "/logout").headers["location"] == "/login"
    client.cookies.set("grants_session", cookie)  # the old cookie, kept by someone
    assert client.get("/", follow_redirects=False).status_code == 303


def test_an_expired_session_ends(client, session, password_hash):
    user = ensure_user(session, f.applicant(), password_hash)
    token, _ = users.issue_token(session, user, kind="web",
                                 now=utcnow() - timedelta(minutes=get_settings().token_ttl_minutes + 1))
    client.cookies.set("grants_session", token)
    assert client.get("/", follow_redirects=False).headers["location"] == "/login?next=%2F"


def test_disabling_a_user_ends_their_sessions(client, session, password_hash):
    sign_in(client, session, f.applicant(), password_hash)
    users.set_disabled(session, f.applicant().username)
    assert client.get("/", follow_redirects=False).status_code == 303


def test_an_api_token_does_not_open_the_pages_nor_a_session_the_api(client, session, password_hash,
                                                                       login):
    headers = login(f.applicant())
    client.cookies.set("grants_session", headers["Authorization"].split()[1])
    assert client.get("/", follow_redirects=False).status_code == 303
    client.cookies.delete("grants_session")
    sign_in(client, session, f.applicant(), password_hash)
    bearer = {"Authorization": f"Bearer {client.cookies['grants_session']}"}
    assert client.get("/api/me", headers=bearer).status_code == 401


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_a_form_without_a_valid_csrf_token_is_refused_and_changes_nothing(
        client, session, password_hash, token):
    f.program(session)
    grant = f.grant_in(session, "submitted")
    sign_in(client, session, f.secretariat(), password_hash)
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    data = {} if token is None else {"csrftoken": token}
    response = client.post(f"/grants/{grant.id}/actions/start_review", data=data,
                           follow_redirects=False)
    assert response.status_code == 403
    assert "送信できませんでした" in text(response.text)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert client.get(f"/api/grants/{grant.id}").status_code == 401  # the API is untouched
    assert post(client, f"/grants/{grant.id}/actions/start_review").status_code == 303


def _state_changes(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(AuditEvent))


def test_a_token_from_another_session_is_refused(client, session, password_hash):
    """One person's session cookie with another's token (and CSRF cookie): refused."""
    from grants.core.actors import Actor, Role
    f.program(session)
    grant = f.grant_in(session, "submitted")
    sign_in(client, session, Actor("other-staff", Role.secretariat, org_id=f.CITY_ORG), password_hash)
    other_token, other_cookies = csrf(client), dict(client.cookies)
    client.post("/logout", data={"csrftoken": other_token})
    sign_in(client, session, f.secretariat(), password_hash)
    before = _state_changes(session)
    client.cookies.set("grants_csrf", other_cookies.get("grants_csrf", ""))
    refused = client.post(f"/grants/{grant.id}/actions/start_review",
                          data={"csrftoken": other_token}, follow_redirects=False)
    assert refused.status_code == 403 and "送信できませんでした" in text(refused.text)
    assert _state_changes(session) == before
    assert post(client, f"/grants/{grant.id}/actions/start_review").status_code == 303


@pytest.mark.parametrize("header", [{"Origin": "https://evil.example"},
                                    {"Referer": "https://evil.example/grants/1"},
                                    {"Origin": "null"}])
def test_a_post_from_another_site_is_refused_even_with_a_valid_token(client, session,
                                                                     password_hash, header):
    f.program(session)
    grant = f.grant_in(session, "submitted")
    sign_in(client, session, f.secretariat(), password_hash)
    before = _state_changes(session)
    refused = client.post(f"/grants/{grant.id}/actions/start_review", headers=header,
                          data={"csrftoken": csrf(client)}, follow_redirects=False)
    assert refused.status_code == 403 and _state_changes(session) == before
    ours = client.post(f"/grants/{grant.id}/actions/start_review",
                       headers={"Origin": "http://testserver"},
                       data={"csrftoken": csrf(client)}, follow_redirects=False)
    assert ours.status_code == 303


def test_sign_in_and_sign_out_renew_the_token(client, session, password_hash):
    ensure_user(session, f.applicant(), password_hash)
    before = csrf(client)
    signed = client.post("/login", data={"username": f.applicant().username, "password": PASSWORD,
                                         "csrftoken": before}, follow_redirects=False)
    assert signed.status_code == 303 and "grants_csrf" in signed.headers.get("set-cookie", "")
    during = csrf(client)
    assert during != before
    refused = client.post("/notifications/read-all", data={"csrftoken": before},
                          follow_redirects=False)
    assert refused.status_code == 403  # the token from before signing in is no longer good
    out = client.post("/logout", data={"csrftoken": during}, follow_redirects=False)
    assert out.status_code == 303
    after = csrf(client)
    assert after not in (before, during)


def test_sign_in_itself_needs_the_token(client, session, password_hash):
    ensure_user(session, f.applicant(), password_hash)
    client.get("/login")
    response = client.post("/login", data={"username": f.applicant().username,
                                           "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403 and "grants_session" not in client.cookies


def test_sign_in_goes_back_only_to_pages_of_this_site(client, session, password_hash):
    ensure_user(session, f.applicant(), password_hash)
    for target, landing in (("/grants/3", "/grants/3"), ("https://evil.example/", "/"),
                            ("//evil.example/x", "/"), ("/\\evil.example", "/")):
        client.cookies.clear()
        response = client.post("/login", data={"username": f.applicant().username,
                                               "password": PASSWORD, "next": target,
                                               "csrftoken": csrf(client)}, follow_redirects=False)
        assert response.headers["location"] == landing, target


@pytest.fixture
def short_lockout(monkeypatch):
    monkeypatch.setenv("GRANTS_SIGN_IN_LIMIT_PER_PAIR", "5/1 hour")
    monkeypatch.setenv("GRANTS_SIGN_IN_FIRST_PAUSE_SECONDS", "2")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_twenty_wrong_passwords_on_the_page_lock_it_without_checking(client, session,
                                                                      password_hash, short_lockout,
                                                                      monkeypatch):
    ensure_user(session, f.applicant(), password_hash)
    hashed = []
    original = passwords.hasher.verify_and_update
    monkeypatch.setattr(passwords.hasher, "verify_and_update",
                        lambda *a: hashed.append(1) or original(*a))
    answers = []
    token = csrf(client)
    for _ in range(20):
        response = client.post("/login", data={"username": f.applicant().username,
                                               "password": "wrong", "csrftoken": token})
        answers.append(response.status_code)
        if response.status_code == 429:
            assert "ログインの失敗が続いたため" in text(response.text)
            assert "秒後にもう一度お試しください" in text(response.text)
    assert answers == [401] * 5 + [429] * 15 and len(hashed) == 5  # a refusal hashes nothing
    time.sleep(2.1)
    response = client.post("/login", data={"username": f.applicant().username,
                                           "password": PASSWORD, "csrftoken": csrf(client)},
                           follow_redirects=False)
    assert response.status_code == 303 and "grants_session" in client.cookies


def test_the_admin_sees_a_lockout_and_ends_it(client, session, password_hash, short_lockout):
    from grants.core.actors import Actor, Role
    ensure_user(session, f.applicant(), password_hash)
    token = csrf(client)
    for _ in range(6):
        client.post("/login", data={"username": f.applicant().username, "password": "wrong",
                                    "csrftoken": token})
    sign_in(client, session, Actor("admin1", Role.admin), password_hash)
    page = text(client.get("/admin").text)
    assert "ログインの失敗による制限" in page and f"{f.applicant().username} testclient 5" in page
    done = post(client, f"/admin/users/{f.applicant().username}/unlock")
    assert done.status_code == 303 and done.headers["location"] == "/admin?done=unlock"
    assert "ログインの制限を解除しました。" in text(client.get("/admin?done=unlock").text)
    client.post("/logout", data={"csrftoken": csrf(client)})
    signed = client.post("/login", data={"username": f.applicant().username, "password": PASSWORD,
                                         "csrftoken": csrf(client)}, follow_redirects=False)
    assert signed.status_code == 303
