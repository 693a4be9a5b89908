"""``grants backup OUTDIR`` and ``grants restore OUTDIR``: the database with every stored
file, and a manifest of SHA-256 sums; restored only into an empty database."""

from pathlib import Path
from typing import Annotated

import typer

from grants.core.db import get_engine
from grants.core.errors import GrantsError
from grants.core.ja import message
from grants.operations import backup as backups


def _fail(error: GrantsError) -> None:
    typer.echo(f"エラー: {error.detail}", err=True)
    raise typer.Exit(1)


def backup_command(outdir: Annotated[Path, typer.Argument(help="書き出すフォルダ（新規または空）")]) -> None:
    """Write a consistent snapshot of the database and the stored files, with a manifest."""
    try:
        manifest = backups.backup(get_engine(), outdir)
    except GrantsError as error:
        _fail(error)
    counts = manifest["counts"]
    typer.echo(message("backup_written", path=outdir, grants=counts["grants"],
                       documents=counts["documents"], attachments=counts["attachments"],
                       events=counts["audit_events"]))


def restore_command(outdir: Annotated[Path, typer.Argument(help="grants backup で書き出したフォルダ")]) -> None:
    """Restore a backup into the (empty) database of GRANTS_DATABASE_URL, checking every file."""
    try:
        manifest = backups.restore(get_engine(), outdir)
    except GrantsError as error:
        _fail(error)
    typer.echo(message("restore_done", path=outdir, made_at=manifest["made_at"],
                       grants=manifest["counts"]["grants"]))
