"""``grants backup OUTDIR`` and ``grants restore OUTDIR``: the database with every stored
file, and a manifest of SHA-256 sums; restored only into an empty database."""

from pathlib import Path
from typing import Annotated

import typer

from grants.cli.common import fail
from grants.core.db import get_engine
from grants.core.errors import GrantsError
from grants.core.ja.commands import COMMAND_HELP, OPTION_HELP, say
from grants.operations import backup as backups


def backup(outdir: Annotated[Path, typer.Argument(help=OPTION_HELP["backup_outdir"])]) -> None:
    """Write a consistent snapshot of the database and the stored files, with a manifest."""
    try:
        manifest = backups.backup(get_engine(), outdir)
    except GrantsError as error:
        fail(error)
    counts = manifest["counts"]
    typer.echo(say("backup_written", path=outdir, grants=counts["grants"],
                   documents=counts["documents"], attachments=counts["attachments"],
                   events=counts["audit_events"]))


def restore(outdir: Annotated[Path, typer.Argument(help=OPTION_HELP["restore_outdir"])]) -> None:
    """Restore a backup into the (empty) database of GRANTS_DATABASE_URL, checking every file."""
    try:
        manifest = backups.restore(get_engine(), outdir)
    except GrantsError as error:
        fail(error)
    typer.echo(say("restore_done", path=outdir, made_at=manifest["made_at"],
                   grants=manifest["counts"]["grants"]))


def register(app: typer.Typer) -> None:
    app.command("backup", help=COMMAND_HELP["backup"])(backup)
    app.command("restore", help=COMMAND_HELP["restore"])(restore)
