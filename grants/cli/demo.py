"""``grants demo``: a ready-to-try database and its logins (never in production)."""

from typing import Annotated

import typer

from grants.core import dates, migrate
from grants.core.db import get_engine, unit_of_work
from grants.core.ja.commands import COMMAND_HELP, OPTION_HELP, say
from grants.core.ja.labels import ROLE_LABELS
from grants.core.settings import get_settings
from grants.core.wareki import fiscal_year_label, wareki_date
from grants.operations import demo as demo_data


def demo(
    if_new: Annotated[bool, typer.Option("--if-new", help=OPTION_HELP["if_new"])] = False,
    address: Annotated[str, typer.Option(help=OPTION_HELP["address"])] = "http://127.0.0.1:8000/",
) -> None:
    """Prepare a ready-to-try database and print the logins (passwords are new each time).
    Refused in production."""
    if get_settings().environment == "production":
        typer.echo(say("error", detail=say("demo_in_production")), err=True)
        raise typer.Exit(1)
    migrate.init(get_engine())
    with unit_of_work() as session:
        if if_new and demo_data.is_prepared(session):
            typer.echo(say("demo_ready", address=address))
            return
        program, logins = demo_data.prepare(session)
        typer.echo(say("demo_window", label=fiscal_year_label(program.fiscal_year),
                       open=wareki_date(program.applications_open),
                       close=dates.applications_close_text(program)))
    typer.echo(say("demo_open", address=address))
    for login in logins:
        typer.echo(say("demo_login", username=login.username, password=login.password,
                       role=ROLE_LABELS[login.role], where=login.municipality_code or login.org_id or ""))


def register(app: typer.Typer) -> None:
    app.command(help=COMMAND_HELP["demo"])(demo)
