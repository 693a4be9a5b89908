"""``grants reminders run``, ``grants notifications`` and ``grants scheduler``: one scan and
delivery now, the notices and their e-mail, and the clock that does both every minute."""

from datetime import datetime
from typing import Annotated

import typer

from grants.cli.common import jst
from grants.core.clock import utcnow
from grants.core.db import get_engine, unit_of_work
from grants.core.ja.commands import COMMAND_HELP, OPTION_HELP, say
from grants.core.ja.notices import EMAIL_STATES, NOTICE_KINDS
from grants.core.models import Notification
from notifications import delivery, messages, scheduler

reminders = typer.Typer(help=COMMAND_HELP["reminders"], no_args_is_help=True)
notices = typer.Typer(help=COMMAND_HELP["notifications"], no_args_is_help=True)


@reminders.command("run", help=COMMAND_HELP["reminders_run"])
def run(
    today: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help=OPTION_HELP["today"])] = None,
) -> None:
    """One scan for due reminders and one delivery of queued e-mail, now."""
    done = scheduler.tick(get_engine(), today=today.date() if today else None)
    typer.echo(say("reminders_run", day=done.scan.today.isoformat(), total=done.scan.total))
    for kind, count in done.scan.queued.items():
        if count:
            typer.echo(say("reminders_kind", kind=NOTICE_KINDS[kind], count=count))
    sent = done.delivery
    typer.echo(say("mail_run", sent=sent.sent, retried=sent.retried, failed=sent.failed))
    for error in sent.errors[:5]:
        typer.echo(f"  {error}", err=True)


@notices.command("list", help=COMMAND_HELP["notifications_list"])
def list_(
    failed: Annotated[bool, typer.Option("--failed", help=OPTION_HELP["failed"])] = False,
    limit: Annotated[int, typer.Option(min=1, help=OPTION_HELP["limit"])] = 50,
) -> None:
    """The newest notices and the state of their e-mail."""
    where = Notification.email_state == "failed" if failed else Notification.id.is_not(None)
    with unit_of_work(write=False) as session:
        rows = messages.notices(session, where, order=[Notification.id.desc()], limit=limit)
    if not rows:
        typer.echo(say("no_notices"))
    for notice in rows:
        typer.echo(say("notice_row", id=notice.id, at=jst(notice.created_at), username=notice.username,
                       email_state=EMAIL_STATES[notice.email_state], attempts=notice.attempts,
                       subject=notice.subject))
        if notice.last_error:
            typer.echo(f"        {notice.last_error}")


@notices.command("requeue", help=COMMAND_HELP["notifications_requeue"])
def requeue(
    ids: Annotated[list[int] | None, typer.Argument(help=OPTION_HELP["notice_ids"])] = None,
) -> None:
    """Put failed e-mails back into the queue; they go out at the next delivery."""
    with unit_of_work() as session:
        count = delivery.requeue(session, ids or None, now=utcnow())
    typer.echo(say("requeued", count=count))


def clock() -> None:
    """Run the clock of reminders and e-mail until stopped (for deployments whose web
    processes run with GRANTS_SCHEDULER=off)."""
    typer.echo(say("scheduler_running"))
    scheduler.run_forever()


def register(app: typer.Typer) -> None:
    app.add_typer(reminders, name="reminders")
    app.add_typer(notices, name="notifications")
    app.command("scheduler", help=COMMAND_HELP["scheduler"])(clock)
