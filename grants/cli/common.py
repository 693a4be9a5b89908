"""What the command groups share: refusing in Japanese with exit code 1, Tokyo times, and
the operator at the keyboard."""

import getpass
from datetime import datetime
from typing import NoReturn

import typer

from grants.core.actors import Actor, Role
from grants.core.clock import JST
from grants.core.errors import GrantsError
from grants.core.ja.commands import say


def fail(error: GrantsError) -> NoReturn:
    typer.echo(say("error", detail=error.detail), err=True)
    raise typer.Exit(1)


def jst(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def operator() -> Actor:
    """Whoever runs a command on the server: they may read everything, as an admin."""
    return Actor(f"cli:{getpass.getuser()}", Role.admin)
