"""Two-factor sign-in on the pages: set up from the account page (a QR code drawn as SVG on
the server, the first code, ten recovery codes shown once and never cached), the code asked
for on a page of its own after the password, a role that requires it taken to set it up
before anything else, and the admin's reset and per-role rule."""

import re
import time

import pyotp
import pytest

from grants.core.actors import Actor, Role
from tests import factories as f
from tests.conftest import PASSWORD
from tests.web_support import csrf, ensure_user, post, sign_in, text


def _secret(page_html: str) -> str:
    return re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page_html).group(1).replace(" ", "")


def _enrol_on_the_page(client) -> tuple[str, list[str]]:
    started = post(client, "/account/two-factor")
    assert started.status_code == 200 and started.headers["cache-control"] == "no-store"
    assert "<svg" in started.text and "認証アプリで読み取るQRコード" in started.text
    secret = _secret(started.text)
    done = post(client, "/account/two-factor/confirm", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.headers["cache-control"] == "no-store"
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", done.text)
    assert "二段階認証を有効にしました" in text(done.text) and len(codes) == 10
    return secret, codes


def _next_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + totp.interval)


def _password_step(client, username: str):
    return client.post("/login", data={"username": username, "password": PASSWORD,
                                       "csrftoken": csrf(client), "next": "/"},
                       follow_redirects=False)


def test_set_up_then_every_sign_in_asks_for_the_code_on_its_own_page(client, session,
                                                                     password_hash):
    sign_in(client, session, f.applicant(), password_hash)
    secret, _ = _enrol_on_the_page(client)
    assert "二段階認証は有効です。未使用の回復コードは 10 個です。" in text(client.get("/account").text)
    client.post("/logout", data={"csrftoken": csrf(client)})
    asked = _password_step(client, f.applicant().username)
    assert asked.status_code == 200 and "確認コードの入力" in text(asked.text)
    assert "grants_session" not in client.cookies and "grants_pending" in client.cookies
    wrong = client.post("/login/code", data={"code": "000000", "csrftoken": csrf(client)})
    assert wrong.status_code == 401 and "ユーザー名またはパスワードが正しくありません" in text(wrong.text)
    right = client.post("/login/code", data={"code": _next_code(secret), "next": "/",
                                             "csrftoken": csrf(client)}, follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/"
    assert "grants_session" in client.cookies and "grants_pending" not in client.cookies
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_on_the_page_once(client, session, password_hash):
    sign_in(client, session, f.applicant(), password_hash)
    _, codes = _enrol_on_the_page(client)
    for expected in (303, 401):
        client.post("/logout", data={"csrftoken": csrf(client)})
        _password_step(client, f.applicant().username)
        answer = client.post("/login/code", data={"code": codes[0], "csrftoken": csrf(client)},
                             follow_redirects=False)
        assert answer.status_code == expected


def test_the_code_page_without_a_pending_sign_in_starts_over(client):
    answer = client.post("/login/code", data={"code": "123456", "csrftoken": csrf(client)})
    assert answer.status_code == 401 and "もう一度ユーザー名とパスワードから" in text(answer.text)
    assert 'action="/login"' in answer.text


def test_a_role_that_requires_it_is_taken_to_set_it_up_before_anything_else(client, session,
                                                                             password_hash):
    staff = f.secretariat()
    sign_in(client, session, Actor("admin1", Role.admin), password_hash)
    ensure_user(session, staff, password_hash)
    saved = post(client, "/admin/two-factor", {"required": ["secretariat"]})
    assert saved.status_code == 303
    assert "二段階認証を必須とする役割を保存しました" in text(client.get("/admin?done=two_factor").text)
    client.post("/logout", data={"csrftoken": csrf(client)})
    signed = _password_step(client, staff.username)
    assert signed.status_code == 303 and signed.headers["location"] == "/account?enrol=1"
    for elsewhere in ("/", "/notifications", "/ledger"):
        moved = client.get(elsewhere, follow_redirects=False)
        assert moved.status_code == 303 and moved.headers["location"] == "/account?enrol=1"
    assert "この役割の利用者は二段階認証が必要です" in text(client.get("/account?enrol=1").text)
    _enrol_on_the_page(client)
    assert client.get("/").status_code == 200  # set up: the session goes anywhere now
    client.post("/logout", data={"csrftoken": csrf(client)})
    assert "確認コードの入力" in text(_password_step(client, staff.username).text)


def test_the_admin_resets_a_persons_second_factor(client, session, password_hash):
    from tests.support import ensure_user as made
    sign_in(client, session, f.applicant(), password_hash)
    _enrol_on_the_page(client)
    client.post("/logout", data={"csrftoken": csrf(client)})
    sign_in(client, session, Actor("admin1", Role.admin), password_hash)
    assert "二段階認証あり" in text(client.get("/admin").text)
    reset = post(client, f"/admin/users/{f.applicant().username}/two-factor-reset")
    assert reset.status_code == 303
    session.expire_all()
    assert made(session, f.applicant(), password_hash).totp_secret is None
    client.post("/logout", data={"csrftoken": csrf(client)})
    assert _password_step(client, f.applicant().username).status_code == 303  # no code asked


@pytest.mark.parametrize("code", ["", "000000", "abcde-fghjk"])
def test_turning_it_off_needs_a_right_code(client, session, password_hash, code):
    sign_in(client, session, f.applicant(), password_hash)
    secret, _ = _enrol_on_the_page(client)
    refused = post(client, "/account/two-factor/off", {"code": code})
    assert refused.status_code == 422 and "確認コードが正しくありません" in text(refused.text)
    done = post(client, "/account/two-factor/off", {"code": _next_code(secret)})
    assert done.status_code == 303 and done.headers["location"] == "/account?done=two_factor_off"
    assert "二段階認証を解除しました" in text(client.get("/account?done=two_factor_off").text)


def test_changing_ones_own_password_ends_every_other_way_in(client, session, password_hash, login):
    sign_in(client, session, f.applicant(), password_hash)
    api = login(f.applicant())
    wrong = post(client, "/account/password", {"current_password": "not it",
                                                "new_password": "a new long password",
                                                "new_password_again": "a new long password"})
    assert wrong.status_code == 422 and "今のパスワードが正しくありません" in text(wrong.text)
    mismatch = post(client, "/account/password", {"current_password": PASSWORD,
                                                   "new_password": "a new long password",
                                                   "new_password_again": "a different one!"})
    assert mismatch.status_code == 422 and "2回とも同じに" in text(mismatch.text)
    changed = post(client, "/account/password", {"current_password": PASSWORD,
                                                  "new_password": "a new long password",
                                                  "new_password_again": "a new long password"})
    assert changed.status_code == 303 and changed.headers["location"] == "/account?done=own_password"
    assert client.get("/").status_code == 200  # this browser stays signed in
    assert client.get("/api/me", headers=api).status_code == 401  # the API token ended
    client.post("/logout", data={"csrftoken": csrf(client)})
    assert _password_step(client, f.applicant().username).status_code == 401  # the old one
    assert client.post("/login", data={"username": f.applicant().username,
                                       "password": "a new long password", "csrftoken": csrf(client)},
                       follow_redirects=False).status_code == 303
