"""Helpers shared by tests that are not fixtures."""

import os

import pytest


def need(condition: bool, reason: str) -> None:
    """Skip a test whose service or file this machine lacks; CI never lacks them, so
    there the same condition fails the test instead of hiding it."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


def ensure_user(session, actor, password_hash: str):
    """The user an actor stands for, made with the suite's password if not there yet."""
    from sqlalchemy import select

    from grants.core.models import User
    user = session.scalars(select(User).where(User.username == actor.username)).first()
    if user is None:
        user = User(username=actor.username, role=actor.role, password_hash=password_hash,
                    municipality_code=actor.municipality_code, org_id=actor.org_id)
        session.add(user)
        session.flush()
    return user


# Lines a test wants shown at the end of the run (the fault harness's figures).
FIGURES: list[str] = []


def password_works(session, username: str, password: str) -> bool:
    """Whether a user of that name, not disabled, has that password (checked as sign-in
    checks it, without the throttle)."""
    from sqlalchemy import select

    from grants.core import passwords
    from grants.core.models import User
    user = session.scalars(select(User).where(User.username == username)).first()
    valid, _ = passwords.verify(password, user.password_hash if user else None)
    return valid and user is not None and not user.disabled
