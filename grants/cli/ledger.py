"""``grants ledger export``: the grant ledger to a file, with a progress bar, recorded in the
audit trail like an export over the API (as the operator at the command line)."""

from pathlib import Path
from typing import Annotated

import typer

from grants.cli.common import operator
from grants.core.db import get_engine, unit_of_work
from grants.core.fields import FIRST_YEAR, LAST_YEAR
from grants.core.ja.commands import COMMAND_HELP, OPTION_HELP, say
from grants.core.ja.labels import STATE_LABELS
from grants.publishing import ledger_files
from grants.publishing.ledger import LedgerFilter
from grants.publishing.ledger_files import Format

group = typer.Typer(help=COMMAND_HELP["ledger"], no_args_is_help=True)


@group.command("export", help=COMMAND_HELP["ledger_export"])
def export(
    output: Annotated[Path, typer.Option(help=OPTION_HELP["file_output"])],
    fiscal_year: Annotated[int | None, typer.Option(min=FIRST_YEAR, max=LAST_YEAR,
                                                    help=OPTION_HELP["fiscal_year"])] = None,
    org: Annotated[str | None, typer.Option(help=OPTION_HELP["ledger_org"])] = None,
    municipality_code: Annotated[str | None, typer.Option(help=OPTION_HELP["municipality_code"])] = None,
    state: Annotated[str | None, typer.Option(help=OPTION_HELP["state"])] = None,
    format: Annotated[Format, typer.Option(help=OPTION_HELP["format"])] = "csv",  # noqa: A002
) -> None:
    """Write the grant ledger (SPEC §8) to a file; the export is an audit event."""
    if state is not None and state not in STATE_LABELS:
        raise typer.BadParameter(say("ledger_state_unknown", state=state), param_hint="--state")
    where = LedgerFilter(fiscal_year, org, municipality_code, state)
    actor, engine = operator(), get_engine()
    with unit_of_work(engine, write=False) as session:
        count = ledger_files.check(session, actor, where)

    def sessions(mode: str):
        return unit_of_work(engine, write=mode == "write")

    with typer.progressbar(length=count, label=say("exporting_ledger")) as bar, \
            output.open("wb") as file:
        for chunk in ledger_files.export(sessions, actor, where, format, count=count,
                                         progress=bar.update):
            file.write(chunk)
    typer.echo(say("ledger_written", rows=count, path=output))


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="ledger")
