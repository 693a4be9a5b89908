"""The ``grants`` command line (Typer)."""

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import exc, select

from forms import issue
from grants import cli_backup, cli_heads, cli_ledger, cli_notifications, cli_site
from grants.core import migrate, programs, users
from grants.core.clock import JST, japan_date, utcnow
from grants.core.db import get_engine, unit_of_work
from grants.core.errors import GrantsError
from grants.core.errors import NotFound as NotFoundError
from grants.core.ja import ROLE_LABELS, message, yen
from grants.core.models import Document, Grant, Municipality
from grants.core.settings import get_settings
from grants.core.wareki import fiscal_year_label, wareki_date
from grants.operations import demo as demo_data
from grants.operations import plugins
from workflows import audit

app = typer.Typer(help="みどり東京・温暖化防止プロジェクト 助成金ワークフロー", no_args_is_help=True)
programs_app = typer.Typer(help="年度プログラム（上限額・予算・申請受付期間）", no_args_is_help=True)
audit_app = typer.Typer(help="監査証跡", no_args_is_help=True)
users_app = typer.Typer(help="利用者（申請者・事務局・監査・管理者）", no_args_is_help=True)
documents_app = typer.Typer(help="様式（Word文書）", no_args_is_help=True)
app.add_typer(programs_app, name="programs")
app.add_typer(audit_app, name="audit")
app.add_typer(users_app, name="users")
app.add_typer(documents_app, name="documents")
app.add_typer(cli_notifications.reminders_app, name="reminders")
app.add_typer(cli_notifications.notifications_app, name="notifications")
app.command("scheduler")(cli_notifications.scheduler_command)
app.add_typer(cli_ledger.ledger_app, name="ledger")
app.add_typer(cli_site.site_app, name="site")
app.add_typer(cli_heads.heads_app, name="heads")
app.command("backup")(cli_backup.backup_command)
app.command("restore")(cli_backup.restore_command)
plugins.install()  # actions run from the command line issue their forms too


def _fail(error: GrantsError) -> None:
    typer.echo(f"エラー: {error.detail}", err=True)
    raise typer.Exit(1)


@app.command()
def init() -> None:
    """Create or upgrade the database schema and seed the 62 municipalities (idempotent)."""
    count = migrate.init(get_engine())
    typer.echo(f"データベースを最新の状態にしました（市区町村 {count} 団体）。")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          workers: Annotated[int, typer.Option(min=1, max=64, help="ワーカープロセス数")] = 1,
          forwarded_allow_ips: Annotated[str, typer.Option(
              help="X-Forwarded-* を信頼するプロキシのアドレス")] = "127.0.0.1") -> None:
    """Serve the web application and API with uvicorn: one JSON log line per request on
    stdout. With several workers the scheduler runs in none of them: run `grants scheduler`
    once beside them."""
    import os

    import uvicorn

    from grants.operations.serving import log_to_stdout
    if workers > 1 and get_settings().scheduler == "on":
        typer.echo(message("serve_scheduler_off"), err=True)
        os.environ["GRANTS_SCHEDULER"] = "off"  # the workers read their settings afresh
    log_to_stdout()
    uvicorn.run("grants.app:app", host=host, port=port, workers=workers, access_log=False,
                proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips)


@programs_app.command("add")
def programs_add(
    fiscal_year: Annotated[int, typer.Option(help="年度（2025 = 令和7年度）")],
    open_: Annotated[datetime, typer.Option("--open", formats=["%Y-%m-%d"], help="申請受付開始日")],
    close: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="申請受付終了日")],
    cap_yen: Annotated[int, typer.Option(help="1団体あたりの年度上限額（円）")] = 1_000_000,
    budget_yen: Annotated[int | None, typer.Option(help="年度の予算総額（円）")] = None,
    advance: Annotated[bool, typer.Option(help="概算払を認める")] = False,
) -> None:
    """Open a fiscal year of the program."""
    try:
        with unit_of_work() as session:
            program = programs.add_program(
                session, fiscal_year=fiscal_year, applications_open=open_.date(),
                applications_close=close.date(), cap_yen=cap_yen, budget_yen=budget_yen, allows_advance=advance)
    except GrantsError as error:
        _fail(error)
    typer.echo(f"{fiscal_year_label(program.fiscal_year)}（FY{program.fiscal_year}）を登録しました: "
               f"上限額 {yen(program.cap_yen)}")


@programs_app.command("list")
def programs_list() -> None:
    """List the fiscal-year programs."""
    with unit_of_work(write=False) as session:
        for p in programs.list_programs(session):
            budget = yen(p.budget_yen) if p.budget_yen else "設定なし"
            typer.echo(f"{p.fiscal_year}\t{fiscal_year_label(p.fiscal_year)}\t上限額 {yen(p.cap_yen)}\t"
                       f"予算 {budget}\t交付決定済 {yen(p.committed_yen)}\t"
                       f"受付 {wareki_date(p.applications_open)}〜{wareki_date(p.applications_close)}")


@audit_app.command("verify")
def audit_verify() -> None:
    """Verify the hash chain of the audit trail; exit 1 at the first broken event."""
    with unit_of_work(write=False) as session:
        result = audit.verify(session)
    if result.ok:
        typer.echo(f"OK: 監査証跡 {result.events} 件の連鎖を確認しました。")
        return
    typer.echo(f"NG: 監査証跡はイベント {result.first_broken} で途切れています（{result.problem}）。",
               err=True)
    raise typer.Exit(1)


def _read_password() -> str:
    if sys.stdin.isatty():
        return typer.prompt("パスワード", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("add")
def users_add(
    username: str,
    role: Annotated[str, typer.Option(help="applicant / secretariat / auditor / admin")],
    municipality: Annotated[str | None, typer.Option(help="申請者の市区町村コード（6桁）")] = None,
    org: Annotated[str | None, typer.Option(
        help="事務局の所属財団 (tokubetsuku-kyogikai / shichoson-chosakai)")] = None,
    email: Annotated[str | None, typer.Option(help="通知先メールアドレス")] = None,
) -> None:
    """Add a user; the password is read from standard input."""
    password = _read_password()
    try:
        with unit_of_work() as session:
            user = users.add_user(session, {"username": username, "role": role,
                                            "password": password, "municipality_code": municipality,
                                            "org_id": org, "email": email})
    except GrantsError as error:
        _fail(error)
    typer.echo(f"利用者 {user.username}（{ROLE_LABELS[user.role]}）を登録しました。")


@users_app.command("list")
def users_list() -> None:
    """List users with their role and municipality or org."""
    with unit_of_work(write=False) as session:
        for u in users.list_users(session):
            state = "停止中" if u.disabled else "有効"
            typer.echo(f"{u.username}\t{u.role}\t{u.municipality_code or u.org_id or '-'}\t"
                       f"{u.email or '-'}\t{state}")


@users_app.command("disable")
def users_disable(username: str) -> None:
    """Disable a user and revoke their tokens."""
    _set_disabled(username, True)


@users_app.command("enable")
def users_enable(username: str) -> None:
    """Enable a disabled user again."""
    _set_disabled(username, False)


@users_app.command("lockouts")
def users_lockouts(limit: Annotated[int, typer.Option(min=1, help="表示する件数")] = 50) -> None:
    """List the latest sign-in lock-outs (usernames and addresses with too many failures)."""
    with unit_of_work(write=False) as session:
        for lockout in users.lockouts(session, limit=limit):
            typer.echo(f"{_jst(lockout.locked_at)}\t{lockout.scope}\t{lockout.subject}\t"
                       f"失敗 {lockout.failures} 回\t{_jst(lockout.locked_until)} まで")


@users_app.command("unlock")
def users_unlock(username: str) -> None:
    """End a username's lock-out after too many failed sign-ins."""
    with unit_of_work() as session:
        users.unlock(session, username)
    typer.echo(f"利用者 {username} のログイン制限を解除しました。")


def _jst(moment: datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M")


def _set_disabled(username: str, disabled: bool) -> None:
    try:
        with unit_of_work() as session:
            users.set_disabled(session, username, disabled)
    except GrantsError as error:
        _fail(error)
    typer.echo(f"利用者 {username} を{'停止' if disabled else '有効に'}しました。")


@app.command()
def demo(
    if_new: Annotated[bool, typer.Option("--if-new", help="利用者のいないデータベースのときだけ準備する")] = False,
    address: Annotated[str, typer.Option(help="案内するアドレス")] = "http://127.0.0.1:8000/",
) -> None:
    """Prepare a ready-to-try database and print the logins (passwords are new each time).
    Refused in production."""
    if get_settings().environment == "production":
        typer.echo(f"エラー: {message('demo_in_production')}", err=True)
        raise typer.Exit(1)
    migrate.init(get_engine())
    with unit_of_work() as session:
        if if_new and demo_data.is_prepared(session):
            typer.echo(message("demo_ready", address=address))
            return
        program, logins = demo_data.prepare(session)
        label = fiscal_year_label(program.fiscal_year)
        window = f"{wareki_date(program.applications_open)}〜{wareki_date(program.applications_close)}"
    typer.echo(f"{label}の申請受付: {window}")
    typer.echo(f"{address} を開き、次のいずれかでログインしてください（ユーザー名 / パスワード / 役割）:")
    for login in logins:
        where = login.municipality_code or login.org_id or ""
        typer.echo(f"  {login.username:12} {login.password}  {ROLE_LABELS[login.role]} {where}")


@documents_app.command("verify")
def documents_verify() -> None:
    """Re-hash every stored document against the audit trail; exit 1 on any mismatch."""
    with unit_of_work(write=False) as session:
        count, mismatches = issue.verify(session)
    if not mismatches:
        typer.echo(f"OK: 文書 {count} 件のハッシュが監査証跡と一致しました。")
        return
    for mismatch in mismatches:
        typer.echo(f"NG: 文書 {mismatch.document_id}: {mismatch.problem}", err=True)
    raise typer.Exit(1)


@documents_app.command("render")
def documents_render(
    grant: Annotated[int, typer.Option(help="助成案件ID")],
    form: Annotated[int, typer.Option(min=1, max=9, help="様式番号（1〜9）")],
    output: Annotated[Path, typer.Option(help="書き出す .docx")],
) -> None:
    """Preview a form for a grant as of today, without issuing it."""
    try:
        with unit_of_work(write=False) as session:
            record = session.get(Grant, grant)
            if record is None:
                raise NotFoundError(message("grant_not_found"), code="grant_not_found")
            content = issue.preview(session, record, form, today=japan_date(utcnow()))
    except GrantsError as error:
        _fail(error)
    output.write_bytes(content)
    typer.echo(f"{output} に様式第{form}号の見本を書き出しました（発行はしていません）。")


@documents_app.command("export")
def documents_export(
    fiscal_year: Annotated[int, typer.Option(help="年度（2025 = 令和7年度）")],
    output: Annotated[Path, typer.Option(help="書き出すフォルダ")],
) -> None:
    """Write every document issued for a fiscal year's grants to a folder, as issued."""
    output.mkdir(parents=True, exist_ok=True)
    with unit_of_work(write=False) as session:
        rows = session.execute(
            select(Document.id, Municipality)
            .join(Grant, Grant.id == Document.grant_id)
            .join(Municipality, Municipality.code == Grant.municipality_code)
            .where(Grant.fiscal_year == fiscal_year).order_by(Document.id)).all()
        with typer.progressbar(rows, label="文書を書き出しています") as progress:
            for document_id, municipality in progress:
                document = session.get(Document, document_id)
                (output / issue.filename(document, municipality)).write_bytes(document.content)
                session.expunge(document)
    typer.echo(f"{fiscal_year_label(fiscal_year)}の文書 {len(rows)} 件を {output} に書き出しました。")


def main() -> None:
    """The ``grants`` command: database trouble is told in words, not as a traceback."""
    try:
        app()
    except (exc.OperationalError, exc.ProgrammingError) as error:
        missing = ("no such table", "does not exist", "UndefinedTable")
        key = "database_not_ready" if any(m in str(error) for m in missing) else "database_unreachable"
        typer.echo(f"エラー: {message(key)}", err=True)
        raise SystemExit(1) from None
