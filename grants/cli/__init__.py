"""The ``grants`` command (Typer): one app, and a module per command group, each adding its
commands with ``register``. The plug-ins are installed when a command starts (the app's
callback), not when this package is imported."""

import typer
from sqlalchemy import exc

from grants.cli import audit, backup, demo, documents, heads, ledger, notifications, programs, service, site, users
from grants.core.ja.commands import COMMAND_HELP, say
from grants.operations import plugins

app = typer.Typer(help=COMMAND_HELP["app"], no_args_is_help=True)


@app.callback()
def start() -> None:
    """Every command runs with the plug-ins installed: actions taken from the command line
    issue their forms and notify the other side, as they do in the web app."""
    plugins.install()


for group in (service, programs, users, heads, audit, documents, ledger, site, notifications, backup, demo):
    group.register(app)


def main() -> None:
    """The ``grants`` command: database trouble is told in words, not as a traceback."""
    try:
        app()
    except (exc.OperationalError, exc.ProgrammingError) as error:
        missing = ("no such table", "does not exist", "UndefinedTable")
        key = "database_not_ready" if any(m in str(error) for m in missing) else "database_unreachable"
        typer.echo(say("error", detail=say(key)), err=True)
        raise SystemExit(1) from None
