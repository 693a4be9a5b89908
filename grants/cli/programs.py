"""``grants programs``: the fiscal-year programs (cap, budget, application window)."""

from datetime import datetime
from typing import Annotated

import typer

from grants.cli.common import fail
from grants.core import dates, programs
from grants.core.db import unit_of_work
from grants.core.errors import GrantsError
from grants.core.ja.commands import COMMAND_HELP, OPTION_HELP, say
from grants.core.ja.labels import yen
from grants.core.wareki import fiscal_year_label, wareki_date

group = typer.Typer(help=COMMAND_HELP["programs"], no_args_is_help=True)
DAY = ["%Y-%m-%d"]


@group.command("add", help=COMMAND_HELP["programs_add"])
def add(
    fiscal_year: Annotated[int, typer.Option(help=OPTION_HELP["fiscal_year"])],
    open_: Annotated[datetime, typer.Option("--open", formats=DAY, help=OPTION_HELP["open"])],
    close: Annotated[datetime, typer.Option(formats=DAY, help=OPTION_HELP["close"])],
    cap_yen: Annotated[int, typer.Option(help=OPTION_HELP["cap_yen"])] = 1_000_000,
    budget_yen: Annotated[int | None, typer.Option(help=OPTION_HELP["budget_yen"])] = None,
    advance: Annotated[bool, typer.Option(help=OPTION_HELP["advance"])] = False,
) -> None:
    """Open a fiscal year of the program."""
    try:
        with unit_of_work() as session:
            program = programs.add_program(
                session, fiscal_year=fiscal_year, applications_open=open_.date(),
                applications_close=close.date(), cap_yen=cap_yen, budget_yen=budget_yen,
                allows_advance=advance)
    except GrantsError as error:
        fail(error)
    typer.echo(say("program_added", label=fiscal_year_label(program.fiscal_year),
                   year=program.fiscal_year, cap=yen(program.cap_yen)))


@group.command("list", help=COMMAND_HELP["programs_list"])
def list_() -> None:
    """List the fiscal-year programs."""
    with unit_of_work(write=False) as session:
        for p in programs.list_programs(session):
            typer.echo(say("program_row", year=p.fiscal_year, label=fiscal_year_label(p.fiscal_year),
                           cap=yen(p.cap_yen),
                           budget=yen(p.budget_yen) if p.budget_yen else say("no_budget"),
                           committed=yen(p.committed_yen), open=wareki_date(p.applications_open),
                           close=dates.applications_close_text(p)))


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="programs")
