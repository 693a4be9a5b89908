"""``grants audit verify``: the audit trail's hash chain checked from the first event."""

import typer

from grants.core.db import unit_of_work
from grants.core.ja.commands import COMMAND_HELP, say
from workflows import audit

group = typer.Typer(help=COMMAND_HELP["audit"], no_args_is_help=True)


@group.command("verify", help=COMMAND_HELP["audit_verify"])
def verify() -> None:
    """Verify the hash chain of the audit trail; exit 1 at the first broken event."""
    with unit_of_work(write=False) as session:
        result = audit.verify(session)
    if result.ok:
        typer.echo(say("trail_ok", events=result.events))
        return
    typer.echo(say("trail_broken", seq=result.first_broken, problem=result.problem), err=True)
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="audit")
