"""``grants init`` and ``grants serve``: the database made current, and the web application
served."""

import os
from typing import Annotated

import typer

from grants.core import migrate
from grants.core.db import get_engine
from grants.core.ja.commands import COMMAND_HELP, OPTION_HELP, say
from grants.core.settings import get_settings


def init() -> None:
    """Create or upgrade the database schema and seed the 62 municipalities (idempotent)."""
    count = migrate.init(get_engine())
    typer.echo(say("initialised", count=count))


def serve(host: str = "127.0.0.1", port: int = 8000,
          workers: Annotated[int, typer.Option(min=1, max=64, help=OPTION_HELP["workers"])] = 1
          ) -> None:
    """Serve the web application and API with uvicorn: one JSON log line per request on
    stdout. With several workers the scheduler runs in none of them: run `grants scheduler`
    once beside them."""
    import uvicorn

    from grants.operations.serving import log_to_stdout
    if workers > 1 and get_settings().scheduler == "on":
        typer.echo(say("serve_scheduler_off"), err=True)
        os.environ["GRANTS_SCHEDULER"] = "off"  # the workers read their settings afresh
    log_to_stdout()
    # The app believes X-Forwarded-* from GRANTS_TRUSTED_PROXIES only; uvicorn believes none.
    uvicorn.run("grants.app:app", host=host, port=port, workers=workers, access_log=False,
                proxy_headers=False)


def register(app: typer.Typer) -> None:
    app.command(help=COMMAND_HELP["init"])(init)
    app.command(help=COMMAND_HELP["serve"])(serve)
