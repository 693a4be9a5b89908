"""``grants heads``: who signs the forms, kept by the admin at the command line."""

from datetime import datetime
from typing import Annotated

import typer
from sqlalchemy import select

from grants.core import heads
from grants.core.db import unit_of_work
from grants.core.errors import GrantsError
from grants.core.models import Municipality
from grants.core.validation import parse
from grants.core.wareki import wareki_date

heads_app = typer.Typer(help="様式に記載する代表者（財団の理事長、市区町村長）", no_args_is_help=True)


def _fail(error: GrantsError) -> None:
    typer.echo(f"エラー: {error.detail}", err=True)
    raise typer.Exit(1)


@heads_app.command("org")
def org(
    org_id: Annotated[str, typer.Argument(help="財団の ID（shichoson-chosakai など）")],
    name: Annotated[str, typer.Option(help="氏名（山田　太郎）")],
    effective_from: Annotated[datetime, typer.Option("--from", formats=["%Y-%m-%d"],
                                                     help="就任日（この日以降の文書に記載）")],
    title: Annotated[str, typer.Option(help="職名")] = "理事長",
) -> None:
    """The org's head from a day on; earlier documents keep the head of their day."""
    try:
        with unit_of_work() as session:
            body = parse(heads.OrgHeadBody, {"title": title, "name": name,
                                             "effective_from": effective_from.date()})
            head = heads.set_org_head(session, org_id, body)
            typer.echo(f"{head.org_id}: {wareki_date(head.effective_from)}から {head.title}　{head.name}")
    except GrantsError as error:
        _fail(error)


@heads_app.command("municipality")
def municipality(
    code: Annotated[str, typer.Argument(help="団体コード（6桁）")],
    name: Annotated[str, typer.Option(help="首長の氏名")],
) -> None:
    """The municipality's head (区長・市長・町長・村長) named on its forms."""
    try:
        with unit_of_work() as session:
            found = heads.set_municipality_head(session, code, parse(heads.MunicipalityHeadBody,
                                                                     {"name": name}))
            typer.echo(f"{found.code} {found.head_title}　{found.head_name}")
    except GrantsError as error:
        _fail(error)


@heads_app.command("list")
def list_heads() -> None:
    """Every org's heads by day, and the municipalities' heads."""
    with unit_of_work(write=False) as session:
        for head in heads.org_heads(session):
            typer.echo(f"{head.org_id}\t{wareki_date(head.effective_from)}から\t{head.title}　{head.name}")
        for found in session.scalars(select(Municipality).order_by(Municipality.code)):
            typer.echo(f"{found.code}\t{found.head_title}\t{found.head_name or '（未登録）'}")
