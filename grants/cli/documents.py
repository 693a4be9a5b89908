"""``grants documents``: the issued forms verified against the trail, previewed without
issuing, and exported as issued."""

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import select

from forms import issue
from grants.cli.common import fail
from grants.core.access import not_found
from grants.core.clock import japan_date, utcnow
from grants.core.db import unit_of_work
from grants.core.errors import GrantsError
from grants.core.ja.commands import COMMAND_HELP, OPTION_HELP, say
from grants.core.models import Document, Grant, Municipality
from grants.core.wareki import fiscal_year_label

group = typer.Typer(help=COMMAND_HELP["documents"], no_args_is_help=True)


@group.command("verify", help=COMMAND_HELP["documents_verify"])
def verify() -> None:
    """Re-hash every stored document against the audit trail; exit 1 on any mismatch."""
    with unit_of_work(write=False) as session:
        count, mismatches = issue.verify(session)
    if not mismatches:
        typer.echo(say("documents_ok", count=count))
        return
    for mismatch in mismatches:
        typer.echo(say("document_broken", id=mismatch.document_id, problem=mismatch.problem), err=True)
    raise typer.Exit(1)


@group.command("render", help=COMMAND_HELP["documents_render"])
def render(
    grant: Annotated[int, typer.Option(help=OPTION_HELP["grant"])],
    form: Annotated[int, typer.Option(min=1, max=9, help=OPTION_HELP["form"])],
    output: Annotated[Path, typer.Option(help=OPTION_HELP["docx_output"])],
) -> None:
    """Preview a form for a grant as of today, without issuing it."""
    try:
        with unit_of_work(write=False) as session:
            record = session.get(Grant, grant)
            if record is None:
                raise not_found()
            content = issue.preview(session, record, form, today=japan_date(utcnow()))
    except GrantsError as error:
        fail(error)
    output.write_bytes(content)
    typer.echo(say("preview_written", path=output, form=form))


@group.command("export", help=COMMAND_HELP["documents_export"])
def export(
    fiscal_year: Annotated[int, typer.Option(help=OPTION_HELP["fiscal_year"])],
    output: Annotated[Path, typer.Option(help=OPTION_HELP["folder_output"])],
) -> None:
    """Write every document issued for a fiscal year's grants to a folder, as issued."""
    output.mkdir(parents=True, exist_ok=True)
    with unit_of_work(write=False) as session:
        rows = session.execute(
            select(Document.id, Municipality)
            .join(Grant, Grant.id == Document.grant_id)
            .join(Municipality, Municipality.code == Grant.municipality_code)
            .where(Grant.fiscal_year == fiscal_year).order_by(Document.id)).all()
        with typer.progressbar(rows, label=say("exporting_documents")) as progress:
            for document_id, municipality in progress:
                document = session.get(Document, document_id)
                (output / issue.filename(document, municipality)).write_bytes(document.content)
                session.expunge(document)
    typer.echo(say("documents_exported", year=fiscal_year_label(fiscal_year), count=len(rows),
                   path=output))


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="documents")
