"""The ``grants reminders``, ``grants notifications`` and ``grants scheduler`` commands."""

from datetime import datetime
from typing import Annotated

import typer

from grants.core.clock import JST, utcnow
from grants.core.db import get_engine, unit_of_work
from grants.core.ja import EMAIL_STATES, NOTICE_KINDS
from grants.core.models import Notification
from notifications import delivery, messages, scheduler

reminders_app = typer.Typer(help="リマインダー（期限の催促）", no_args_is_help=True)
notifications_app = typer.Typer(help="お知らせとメール送信", no_args_is_help=True)


@reminders_app.command("run")
def reminders_run(
    today: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="この日として確認する（止まっていた日をやり直すとき）")] = None,
) -> None:
    """One scan for due reminders and one delivery of queued e-mail, now."""
    done = scheduler.tick(get_engine(), today=today.date() if today else None)
    typer.echo(f"{done.scan.today.isoformat()} のリマインダー: 新たに {done.scan.total} 件")
    for kind, count in done.scan.queued.items():
        if count:
            typer.echo(f"  {NOTICE_KINDS[kind]}: {count} 件")
    sent = done.delivery
    typer.echo(f"メール: 送信 {sent.sent} 件、再試行待ち {sent.retried} 件、失敗 {sent.failed} 件")
    for error in sent.errors[:5]:
        typer.echo(f"  {error}", err=True)


@notifications_app.command("list")
def notifications_list(
    failed: Annotated[bool, typer.Option("--failed", help="送信に失敗したものだけ")] = False,
    limit: Annotated[int, typer.Option(min=1, help="表示する件数")] = 50,
) -> None:
    """The newest notices and the state of their e-mail."""
    where = Notification.email_state == "failed" if failed else Notification.id.is_not(None)
    with unit_of_work(write=False) as session:
        rows = messages.notices(session, where, order=[Notification.id.desc()], limit=limit)
    if not rows:
        typer.echo("該当するお知らせはありません。")
    for notice in rows:
        typer.echo(f"{notice.id:>6}  {notice.created_at.astimezone(JST):%Y-%m-%d %H:%M}  "
                   f"{notice.username}  {EMAIL_STATES[notice.email_state]}（{notice.attempts}回）  "
                   f"{notice.subject}")
        if notice.last_error:
            typer.echo(f"        {notice.last_error}")


@notifications_app.command("requeue")
def notifications_requeue(
    ids: Annotated[list[int] | None, typer.Argument(help="お知らせの番号（省略: 失敗したものすべて）")] = None,
) -> None:
    """Put failed e-mails back into the queue; they go out at the next delivery."""
    with unit_of_work() as session:
        count = delivery.requeue(session, ids or None, now=utcnow())
    typer.echo(f"{count} 件を送信待ちに戻しました。")


def scheduler_command() -> None:
    """Run the clock of reminders and e-mail until stopped (for deployments whose web
    processes run with GRANTS_SCHEDULER=off)."""
    typer.echo("リマインダーとメール送信の時計を動かしています（Ctrl+C で停止）。")
    scheduler.run_forever()
