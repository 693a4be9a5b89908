"""``grants site build``: the public site and its open data as plain files for the
program's web host, with a progress bar."""

from pathlib import Path
from typing import Annotated

import typer

from grants.core.db import get_engine, unit_of_work
from grants.core.errors import GrantsError
from grants.core.ja.commands import COMMAND_HELP, OPTION_HELP, say
from grants.core.settings import get_settings
from grants.publishing import site
from grants.publishing.results import published

group = typer.Typer(help=COMMAND_HELP["site"], no_args_is_help=True)


@group.command("build", help=COMMAND_HELP["site_build"])
def build(
    outdir: Annotated[Path, typer.Argument(help=OPTION_HELP["site_outdir"])],
    base_url: Annotated[str | None, typer.Option(help=OPTION_HELP["base_url"])] = None,
) -> None:
    """Write the whole public site (SPEC §8) to OUTDIR; the same data gives the same files."""
    settings = get_settings()
    if base_url is not None:
        if not base_url.startswith(("https://", "http://")) or any(c.isspace() for c in base_url):
            raise typer.BadParameter(say("site_base_url", url=base_url), param_hint="--base-url")
        settings = settings.model_copy(update={"public_url": base_url})
    with unit_of_work(get_engine(), write=False) as session:
        grants = published(session)
    public = site.Site(grants, settings, static=True)
    try:
        with typer.progressbar(length=public.count(), label=say("building_site")) as bar:
            files = site.write(public, outdir, progress=bar.update)
    except GrantsError as error:
        typer.echo(error.detail, err=True)
        raise typer.Exit(1) from None
    typer.echo(say("site_written", files=files, grants=len(grants), path=outdir))


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="site")
