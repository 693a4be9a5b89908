"""Two-factor sign-in over the API (TOTP, RFC 6238): set up with a secret and its first code,
then a code with every sign-in; a code is accepted once; a recovery code works once; wrong
and missing codes are told apart only where the password was right; a role may require it."""

import time

import pyotp
import pytest
from sqlalchemy import select

from grants.core import two_factor
from grants.core.actors import Role
from grants.core.clock import utcnow
from tests import factories as f
from tests.conftest import PASSWORD
from tests.support import ensure_user


def _token(client, username: str, password: str = PASSWORD, otp: str | None = None):
    data = {"username": username, "password": password} | ({"otp": otp} if otp is not None else {})
    return client.post("/api/auth/token", data=data)


def _enrol(client, login, actor) -> tuple[str, list[str]]:
    """Two-factor sign-in on for ``actor``: its secret and recovery codes."""
    headers = login(actor)
    started = client.post("/api/me/totp", headers=headers)
    assert started.status_code == 200, started.text
    secret = started.json()["secret"]
    assert started.json()["otpauth_uri"].startswith("otpauth://totp/")
    confirmed = client.post("/api/me/totp/confirm", headers=headers,
                            json={"code": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]


def _next_code(secret: str) -> str:
    """The code of the next time step (a code is accepted once, so a new one is needed)."""
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + totp.interval)


@pytest.fixture
def person(session, password_hash):
    return ensure_user(session, f.applicant(), password_hash)


def test_enrolment_turns_it_on_and_shows_ten_recovery_codes_once(client, session, login, person):
    secret, codes = _enrol(client, login, f.applicant())
    assert len(codes) == 10 and len(set(codes)) == 10
    session.refresh(person)
    assert person.totp_enabled_at is not None and person.totp_pending is None
    assert person.totp_secret and secret not in person.totp_secret  # kept sealed, not plain
    from grants.core.models import RecoveryCode
    kept = session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(kept) == 10 and not set(codes) & set(kept)  # kept as HMACs
    me = client.get("/api/me", headers=login(f.applicant())).json()
    assert me["two_factor"] is True


def test_a_wrong_first_code_turns_nothing_on(client, session, login, person):
    headers = login(f.applicant())
    client.post("/api/me/totp", headers=headers)
    refused = client.post("/api/me/totp/confirm", headers=headers, json={"code": "000000"})
    assert refused.status_code == 409 and "確認コードが正しくありません" in refused.json()["detail"]
    session.refresh(person)
    assert person.totp_enabled_at is None


def test_sign_in_asks_for_the_code_only_once_the_password_is_right(client, login, person):
    secret, _ = _enrol(client, login, f.applicant())
    missing = _token(client, person.username)
    assert missing.status_code == 401 and missing.json()["code"] == "otp_required"
    assert "確認コード（6桁）が必要です" in missing.json()["detail"]
    wrong_password = _token(client, person.username, "not the password")
    wrong_code = _token(client, person.username, otp="123456")
    assert wrong_password.json() == wrong_code.json() == {
        "detail": "ユーザー名またはパスワードが正しくありません。", "code": "login_failed"}
    signed = _token(client, person.username, otp=_next_code(secret))
    assert signed.status_code == 200 and signed.json()["access_token"]


def test_a_code_is_accepted_once(client, login, person):
    secret, _ = _enrol(client, login, f.applicant())
    code = _next_code(secret)
    assert _token(client, person.username, otp=code).status_code == 200
    replay = _token(client, person.username, otp=code)
    assert replay.status_code == 401 and replay.json()["code"] == "login_failed"


def test_a_recovery_code_works_once(client, login, person):
    _, codes = _enrol(client, login, f.applicant())
    assert _token(client, person.username, otp=codes[3]).status_code == 200
    assert _token(client, person.username, otp=codes[3]).status_code == 401
    assert _token(client, person.username, otp=codes[4].upper().replace("-", " ")).status_code == 200


def test_wrong_codes_count_toward_the_sign_in_throttle(client, login, person, monkeypatch):
    from grants.core.settings import get_settings
    secret, _ = _enrol(client, login, f.applicant())
    monkeypatch.setenv("GRANTS_SIGN_IN_LIMIT_PER_PAIR", "3/1 hour")
    get_settings.cache_clear()
    try:
        answers = [_token(client, person.username, otp=f"{n:06d}").status_code for n in range(5)]
        assert answers == [401, 401, 401, 429, 429]
        assert _token(client, person.username, otp=_next_code(secret)).status_code == 429
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_a_role_that_requires_it_cannot_use_the_api_until_it_is_set_up(client, session, login,
                                                                      person):
    before = login(f.applicant())
    two_factor.set_required(session, Role.applicant, True, now=utcnow())
    assert client.get("/api/me", headers=before).status_code == 401  # its tokens ended
    refused = _token(client, person.username)
    assert refused.status_code == 401 and refused.json()["code"] == "totp_enrolment_required"
    assert "「アカウント」で二段階認証を設定" in refused.json()["detail"]


def test_a_role_that_requires_it_cannot_turn_it_off_and_the_admin_resets_it(client, session,
                                                                            login, person):
    from grants.core import users
    secret, codes = _enrol(client, login, f.applicant())
    two_factor.set_required(session, Role.applicant, True, now=utcnow())
    with pytest.raises(Exception, match="解除できません"):
        two_factor.turn_off(session, person)
    users.reset_two_factor(session, person.username)
    session.refresh(person)
    assert person.totp_secret is None and two_factor.recovery_codes_left(session, person.id) == 0
    refused = _token(client, person.username, otp=codes[0])
    assert refused.json()["code"] == "totp_enrolment_required"  # to set up again, on the pages
