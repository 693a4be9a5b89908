"""SPEC §2: sign-in with hashed passwords, opaque expiring tokens, logout."""

from datetime import timedelta

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select

from grants.core import passwords, users
from grants.core.clock import utcnow
from grants.core.models import ApiToken, User
from tests import factories as f
from tests.conftest import PASSWORD


def _user(session, password_hash, username="hachioji", **fields) -> User:
    user = User(username=username, role="applicant", municipality_code=f.CITY,
                password_hash=password_hash, **fields)
    session.add(user)
    session.flush()
    return user


def _login(client, username, password):
    return client.post("/api/auth/token", data={"username": username, "password": password})


def test_login_returns_an_opaque_bearer_token_stored_hashed(client, session, password_hash):
    _user(session, password_hash)
    response = _login(client, "hachioji", PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and len(body["access_token"]) >= 40
    stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash != body["access_token"] and len(stored.token_hash) == 64
    me = client.get("/api/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {"username": "hachioji", "role": "applicant", "role_label": "申請者（市区町村）",
                         "municipality_code": f.CITY, "org_id": None, "email": None,
                         "two_factor": False}


def test_wrong_password_and_unknown_user_get_the_same_answer(client, session, password_hash):
    _user(session, password_hash)
    wrong = _login(client, "hachioji", "not the password")
    unknown = _login(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "ユーザー名またはパスワードが正しくありません。",
                                              "code": "login_failed"}


def test_unknown_user_costs_a_password_verification_too(client, monkeypatch):
    calls = []
    original = passwords.hasher.verify
    monkeypatch.setattr(passwords.hasher, "verify", lambda *a: calls.append(a) or original(*a))
    assert _login(client, "nobody", "guess").status_code == 401
    assert len(calls) == 1  # the same Argon2 work as for a real user


def test_disabled_user_cannot_sign_in_and_loses_tokens(client, session, password_hash, login):
    _user(session, password_hash)
    headers = login(_actor())
    users.set_disabled(session, "hachioji")
    assert _login(client, "hachioji", PASSWORD).status_code == 401
    assert client.get("/api/me", headers=headers).status_code == 401


def _actor():
    from grants.core.actors import Actor, Role
    return Actor("hachioji", Role.applicant, municipality_code=f.CITY)


def test_password_is_rehashed_on_login_when_parameters_change(client, session):
    weak = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8192),)).hash(PASSWORD)
    user = _user(session, weak)
    assert _login(client, "hachioji", PASSWORD).status_code == 200
    session.refresh(user)
    assert user.password_hash != weak and passwords.hasher.verify(PASSWORD, user.password_hash)


def test_expired_token_is_refused(client, session, password_hash):
    user = _user(session, password_hash)
    token, _ = users.issue_token(session, user, now=utcnow() - timedelta(hours=9))
    response = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


def test_logout_revokes_the_token(client, session, password_hash):
    _user(session, password_hash)
    token = _login(client, "hachioji", PASSWORD).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/me", headers=headers).status_code == 401


def test_requests_without_a_valid_token_get_401(client):
    assert client.get("/api/grants").status_code == 401
    forged = client.get("/api/grants", headers={"Authorization": "Bearer forged-token"})
    assert forged.status_code == 401 and forged.json()["code"] == "not_authenticated"


def test_login_form_fields_are_required(client):
    response = client.post("/api/auth/token", data={"username": "x"})
    assert response.status_code == 422 and "password" in response.json()["problems"]
