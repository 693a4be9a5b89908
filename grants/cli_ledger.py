"""``grants ledger export``: the grant ledger to a file, with a progress bar, recorded in the
audit trail like an export over the API (as the operator at the command line)."""

import getpass
from pathlib import Path
from typing import Annotated

import typer

from grants.core.actors import Actor, Role
from grants.core.db import get_engine, unit_of_work
from grants.core.fields import FIRST_YEAR, LAST_YEAR
from grants.core.ja import STATE_LABELS, message
from grants.publishing import ledger_files
from grants.publishing.ledger import LedgerFilter
from grants.publishing.ledger_files import Format

ledger_app = typer.Typer(help="助成金台帳", no_args_is_help=True)


def _operator() -> Actor:
    """Whoever runs the command on the server: they may read everything, as an admin."""
    return Actor(f"cli:{getpass.getuser()}", Role.admin)


@ledger_app.command("export")
def export(
    output: Annotated[Path, typer.Option(help="書き出すファイル")],
    fiscal_year: Annotated[int | None, typer.Option(min=FIRST_YEAR, max=LAST_YEAR,
                                                    help="年度（2025 = 令和7年度）")] = None,
    org: Annotated[str | None, typer.Option(help="所管財団の ID")] = None,
    municipality_code: Annotated[str | None, typer.Option(help="団体コード（6桁）")] = None,
    state: Annotated[str | None, typer.Option(help="状態（awarded など）")] = None,
    format: Annotated[Format, typer.Option(help="csv / xlsx / json")] = "csv",  # noqa: A002
) -> None:
    """Write the grant ledger (SPEC §8) to a file; the export is an audit event."""
    if state is not None and state not in STATE_LABELS:
        raise typer.BadParameter(message("ledger_state_unknown", state=state), param_hint="--state")
    where = LedgerFilter(fiscal_year, org, municipality_code, state)
    actor, engine = _operator(), get_engine()
    with unit_of_work(engine, write=False) as session:
        count = ledger_files.check(session, actor, where)

    def sessions(mode: str):
        return unit_of_work(engine, write=mode == "write")

    with typer.progressbar(length=count, label="台帳を書き出しています") as bar, \
            output.open("wb") as file:
        for chunk in ledger_files.export(sessions, actor, where, format, count=count,
                                         progress=bar.update):
            file.write(chunk)
    typer.echo(message("ledger_written", rows=count, path=output))
