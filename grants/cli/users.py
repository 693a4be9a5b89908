"""``grants users``: people and their roles, disabling and enabling them, and the lock-outs
after failed sign-ins."""

import sys
from typing import Annotated

import typer

from grants.cli.common import fail, jst
from grants.core import users
from grants.core.db import unit_of_work
from grants.core.errors import GrantsError
from grants.core.ja.commands import COMMAND_HELP, OPTION_HELP, say
from grants.core.ja.labels import ROLE_LABELS

group = typer.Typer(help=COMMAND_HELP["users"], no_args_is_help=True)


def _read_password() -> str:
    if sys.stdin.isatty():
        return typer.prompt(say("password"), hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@group.command("add", help=COMMAND_HELP["users_add"])
def add(
    username: str,
    role: Annotated[str, typer.Option(help=OPTION_HELP["role"])],
    municipality: Annotated[str | None, typer.Option(help=OPTION_HELP["municipality"])] = None,
    org: Annotated[str | None, typer.Option(help=OPTION_HELP["org"])] = None,
    email: Annotated[str | None, typer.Option(help=OPTION_HELP["email"])] = None,
) -> None:
    """Add a user; the password is read from standard input."""
    password = _read_password()
    try:
        with unit_of_work() as session:
            user = users.add_user(session, {"username": username, "role": role,
                                            "password": password, "municipality_code": municipality,
                                            "org_id": org, "email": email})
    except GrantsError as error:
        fail(error)
    typer.echo(say("user_added", username=user.username, role=ROLE_LABELS[user.role]))


@group.command("list", help=COMMAND_HELP["users_list"])
def list_() -> None:
    """List users with their role and municipality or org."""
    with unit_of_work(write=False) as session:
        for u in users.list_users(session):
            typer.echo(say("user_row", username=u.username, role=u.role,
                           belongs=u.municipality_code or u.org_id or "-", email=u.email or "-",
                           state=say("user_disabled" if u.disabled else "user_active")))


@group.command("disable", help=COMMAND_HELP["users_disable"])
def disable(username: str) -> None:
    """Disable a user and revoke their tokens."""
    _set_disabled(username, True)


@group.command("enable", help=COMMAND_HELP["users_enable"])
def enable(username: str) -> None:
    """Enable a disabled user again."""
    _set_disabled(username, False)


def _set_disabled(username: str, disabled: bool) -> None:
    try:
        with unit_of_work() as session:
            users.set_disabled(session, username, disabled)
    except GrantsError as error:
        fail(error)
    typer.echo(say("user_now_disabled" if disabled else "user_now_enabled", username=username))


@group.command("lockouts", help=COMMAND_HELP["users_lockouts"])
def lockouts(limit: Annotated[int, typer.Option(min=1, help=OPTION_HELP["limit"])] = 50) -> None:
    """List the latest sign-in lock-outs (usernames and addresses with too many failures)."""
    with unit_of_work(write=False) as session:
        for lockout in users.lockouts(session, limit=limit):
            typer.echo(say("lockout_row", at=jst(lockout.locked_at), scope=lockout.scope,
                           subject=lockout.subject, failures=lockout.failures,
                           until=jst(lockout.locked_until)))


@group.command("unlock", help=COMMAND_HELP["users_unlock"])
def unlock(username: str) -> None:
    """End a username's lock-out after too many failed sign-ins."""
    with unit_of_work() as session:
        users.unlock(session, username)
    typer.echo(say("unlocked", username=username))


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="users")
