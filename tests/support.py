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
