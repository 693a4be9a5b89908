"""``grants site build``: the public site and its open data as plain files for the
program's web host, with a progress bar."""

from pathlib import Path
from typing import Annotated

import typer

from grants.core.db import get_engine, unit_of_work
from grants.core.errors import GrantsError
from grants.core.ja import message
from grants.core.settings import get_settings
from grants.publishing import site
from grants.publishing.results import published

site_app = typer.Typer(help="公開サイト（助成実績）", no_args_is_help=True)


@site_app.command("build")
def build(
    outdir: Annotated[Path, typer.Argument(help="書き出すフォルダ（以前の書き出しは置き換えます）")],
    base_url: Annotated[str | None, typer.Option(
        help="サイトを公開するアドレス（フィードとオープンデータのリンクに使います）")] = None,
) -> None:
    """Write the whole public site (SPEC §8) to OUTDIR; the same data gives the same files."""
    settings = get_settings()
    if base_url is not None:
        if not base_url.startswith(("https://", "http://")) or any(c.isspace() for c in base_url):
            raise typer.BadParameter(message("site_base_url", url=base_url), param_hint="--base-url")
        settings = settings.model_copy(update={"public_url": base_url})
    with unit_of_work(get_engine(), write=False) as session:
        grants = published(session)
    public = site.Site(grants, settings, static=True)
    try:
        with typer.progressbar(length=public.count(), label="公開サイトを書き出しています") as bar:
            files = site.write(public, outdir, progress=bar.update)
    except GrantsError as error:
        typer.echo(error.detail, err=True)
        raise typer.Exit(1) from None
    typer.echo(message("site_written", files=files, grants=len(grants), path=outdir))
