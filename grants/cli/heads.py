"""``grants heads``: who signs the forms (the org's head by day of office, the
municipality's head), kept by the admin at the command line."""

from datetime import datetime
from typing import Annotated

import typer
from sqlalchemy import select

from grants.cli.common import fail
from grants.core import heads
from grants.core.db import unit_of_work
from grants.core.errors import GrantsError
from grants.core.ja.commands import COMMAND_HELP, OPTION_HELP, say
from grants.core.ja.documents import ORG_HEAD_TITLE
from grants.core.models import Municipality
from grants.core.validation import parse
from grants.core.wareki import wareki_date

group = typer.Typer(help=COMMAND_HELP["heads"], no_args_is_help=True)


@group.command("org", help=COMMAND_HELP["heads_org"])
def org(
    org_id: Annotated[str, typer.Argument(help=OPTION_HELP["org_id"])],
    name: Annotated[str, typer.Option(help=OPTION_HELP["head_name"])],
    effective_from: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"],
                                                     help=OPTION_HELP["head_from"])],
    title: Annotated[str, typer.Option(help=OPTION_HELP["head_title"])] = ORG_HEAD_TITLE,
) -> None:
    """The org's head from a day on; earlier documents keep the head of their day."""
    try:
        with unit_of_work() as session:
            body = parse(heads.OrgHeadBody, {"title": title, "name": name,
                                             "effective_from": effective_from.date()})
            head = heads.set_org_head(session, org_id, body)
            typer.echo(say("org_head", org=head.org_id, day=wareki_date(head.effective_from),
                           title=head.title, name=head.name))
    except GrantsError as error:
        fail(error)


@group.command("municipality", help=COMMAND_HELP["heads_municipality"])
def municipality(
    code: Annotated[str, typer.Argument(help=OPTION_HELP["municipality_code"])],
    name: Annotated[str, typer.Option(help=OPTION_HELP["mayor_name"])],
) -> None:
    """The municipality's head (区長・市長・町長・村長) named on its forms."""
    try:
        with unit_of_work() as session:
            found = heads.set_municipality_head(session, code, parse(heads.MunicipalityHeadBody,
                                                                     {"name": name}))
            typer.echo(say("municipality_head", code=found.code, title=found.head_title,
                           name=found.head_name))
    except GrantsError as error:
        fail(error)


@group.command("list", help=COMMAND_HELP["heads_list"])
def list_() -> None:
    """Every org's heads by day, and the municipalities' heads."""
    with unit_of_work(write=False) as session:
        for head in heads.org_heads(session):
            typer.echo(say("org_head_row", org=head.org_id, day=wareki_date(head.effective_from),
                           title=head.title, name=head.name))
        for found in session.scalars(select(Municipality).order_by(Municipality.code)):
            typer.echo(say("municipality_head_row", code=found.code, title=found.head_title,
                           name=found.head_name or say("head_unknown")))


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="heads")
