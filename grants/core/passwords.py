"""Passwords: Argon2 through pwdlib, at most a few hashes at a time per process.

Each Argon2 hash takes 64 MiB for the moment it runs. Unbounded, a burst of sign-ins (with
any usernames, known or not) would take as many of those at once as the server has threads:
50 at once took 2.7 GB. So hashing waits for one of ``GRANTS_PASSWORD_HASHES_AT_ONCE`` slots
(3: under 256 MiB per worker), and a request that has waited
``GRANTS_PASSWORD_HASH_WAIT_SECONDS`` for one is answered 503 with ``Retry-After`` instead,
without hashing anything.

An unknown username costs the same verification as a known one, so timing does not tell
which usernames exist."""

import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from pwdlib import PasswordHash

from grants.core.errors import Busy
from grants.core.ja.messages import message
from grants.core.settings import get_settings

hasher = PasswordHash.recommended()
# Verified against when the username is unknown, to spend the same time as a real check.
_DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


@lru_cache
def _slots(count: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(count)


@contextmanager
def hashing_slot() -> Iterator[None]:
    """One of the process's hashing slots for the duration of the block, or ``Busy``."""
    settings = get_settings()
    slots = _slots(settings.password_hashes_at_once)
    if not slots.acquire(timeout=settings.password_hash_wait_seconds):
        raise Busy(message("sign_in_busy"), retry_after=5)
    try:
        yield
    finally:
        slots.release()


def hash_password(password: str) -> str:
    with hashing_slot():
        return hasher.hash(password)


def verify(password: str, stored_hash: str | None) -> tuple[bool, str | None]:
    """Whether the password is right, and its hash again with today's parameters when the
    stored one uses outdated ones. ``None`` (an unknown username) is verified against a
    dummy hash, in the same time, and is never right."""
    with hashing_slot():
        if stored_hash is None:
            hasher.verify(password, _DUMMY_HASH)
            return False, None
        return hasher.verify_and_update(password, stored_hash)
