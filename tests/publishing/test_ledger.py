"""SPEC §8, the grant ledger (助成金台帳): one row per grant, its totals those of the audit
trail, the same values in CSV, XLSX and JSON, formulas never run, each org's secretariat
seeing its own rows only, and every export itself an audit event."""

import csv
import hashlib
import io
import json
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from grants.core.models import AuditEvent
from grants.publishing.ledger import retain_until
from grants.publishing.ledger_files import neutralise
from tests import factories as f
from workflows import audit

FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", " =1+1", "@SUM(A1)", "-2+3"]


@pytest.fixture
def grants(session):
    """Grants of both orgs in many states; some titled like spreadsheet formulas."""
    f.program(session, allows_advance=True)
    made = {
        "city_published": f.grant_in(session, "published"),
        "city_formula": f.grant_in(session, "awarded", title=FORMULAS[0]),
        "city_draft": f.draft(session, title=FORMULAS[1]),
        "town_paid": f.grant_in(session, "paid", f.TOWN, title=FORMULAS[2]),
        "town_cancelled": f.grant_in(session, "cancelled", f.TOWN, title=FORMULAS[3]),
        "ward_confirmed": f.grant_in(session, "confirmed", f.WARD, title=FORMULAS[4]),
        "ward_advanced": f.grant_in(session, "awarded", f.WARD),
    }
    f.act(session, made["ward_advanced"], "pay_advance")
    return made


def _get(client, login, actor, **params):
    return client.get("/api/ledger", params=params, headers=login(actor))


def _json_rows(client, login, actor, **params) -> list[dict]:
    answer = _get(client, login, actor, format="json", **params)
    assert answer.status_code == 200, answer.text
    return json.loads(answer.content)["rows"]


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8"), newline="")))


def _xlsx_rows(content: bytes) -> tuple[list[tuple], object]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()], sheet


def test_ledger_totals_equal_the_sums_recomputed_from_the_audit_trail(client, session, login,
                                                                    grants):
    rows = _json_rows(client, login, f.AUDITOR)
    assert len(rows) == len(grants)
    # From the trail alone: the last decided amounts, and every yen paid out by its events.
    last: dict[str, dict[int, int]] = {"awarded_yen": {}, "confirmed_yen": {},
                                       "refund_due_yen": {}}
    paid_out = {"advanced_yen": 0, "paid_yen": 0}
    for event in session.scalars(select(AuditEvent).where(AuditEvent.grant_id.is_not(None))
                                 .order_by(AuditEvent.seq)):
        for key, latest in last.items():
            if key in event.amounts:
                latest[event.grant_id] = event.amounts[key]
        if event.action == "pay_advance":
            paid_out["advanced_yen"] += event.amounts["amount_yen"]
            paid_out["paid_yen"] += event.amounts["amount_yen"]
        if event.action == "settle":
            paid_out["paid_yen"] += event.amounts["payment_yen"]
    for key, latest in last.items():
        assert sum(row[key] or 0 for row in rows) == sum(latest.values()), key
    for key, total in paid_out.items():
        assert sum(row[key] for row in rows) == total, key
    assert paid_out == {"advanced_yen": 100_000, "paid_yen": 700_000}


def test_csv_xlsx_and_json_carry_the_same_values(client, login, grants):
    rows = _json_rows(client, login, f.AUDITOR)
    keys = list(rows[0])
    as_csv = _csv_rows(_get(client, login, f.AUDITOR, format="csv").content)
    as_xlsx, _sheet = _xlsx_rows(_get(client, login, f.AUDITOR, format="xlsx").content)
    assert as_csv[0] == list(as_xlsx[0]) and as_csv[0][:3] == ["案件番号", "年度", "年度（和暦）"]
    assert len(as_csv) == len(as_xlsx) == len(rows) + 1
    for row, csv_row, xlsx_row in zip(rows, as_csv[1:], as_xlsx[1:], strict=True):
        for key, csv_value, xlsx_value in zip(keys, csv_row, xlsx_row, strict=True):
            value = row[key]
            if isinstance(value, str) and key in ("project_start", "project_end", "decision_date",
                                                  "published_on", "retain_until"):
                assert csv_value == value and xlsx_value.date() == date.fromisoformat(value)
            elif isinstance(value, str):
                assert csv_value == xlsx_value == neutralise(value), key
            elif value is None:
                assert csv_value == "" and xlsx_value is None, key
            else:
                assert csv_value == str(value) and xlsx_value == value, key


FORMULA_GRANTS = ["city_formula", "city_draft", "town_paid", "town_cancelled", "ward_confirmed"]


@pytest.mark.parametrize("name", FORMULA_GRANTS)
def test_a_title_like_a_formula_is_inert_in_csv_and_xlsx(client, login, grants, name):
    title = grants[name].title  # as stored: leading spaces are trimmed on input
    as_csv = _csv_rows(_get(client, login, f.AUDITOR, format="csv").content)
    titles = [row[as_csv[0].index("事業名")] for row in as_csv[1:]]
    assert "'" + title in titles and title not in titles
    as_xlsx, sheet = _xlsx_rows(_get(client, login, f.AUDITOR, format="xlsx").content)
    column = as_xlsx[0].index("事業名") + 1
    cells = [sheet.cell(row=n, column=column) for n in range(2, len(as_xlsx) + 1)]
    cell = next(c for c in cells if c.value == "'" + title)
    assert cell.data_type == "s"  # a string, not a formula
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    amounts = as_xlsx[0].index("交付決定額（円）")
    assert all(isinstance(row[amounts], int) or row[amounts] is None for row in as_xlsx[1:])


@pytest.mark.parametrize(("text", "cell"), [
    ("=1+1", "'=1+1"), (" =1+1", "' =1+1"), ("\u3000@SUM(A1)", "'\u3000@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-1", "'-1"), ("+81 3", "'+81 3"),
    ("里山=保全", "里山=保全"), ("", ""), ("1-2", "1-2")])
def test_text_a_spreadsheet_would_run_is_neutralised(text, cell):
    assert neutralise(text) == cell


def test_the_json_keeps_titles_as_stored(client, login, grants):
    titles = {row["title"] for row in _json_rows(client, login, f.AUDITOR)}
    assert {grants[name].title for name in FORMULA_GRANTS} <= titles


def test_the_secretariat_exports_its_own_orgs_rows_only(client, login, grants):
    city_org = _json_rows(client, login, f.secretariat(f.CITY_ORG))
    assert {row["municipality_code"] for row in city_org} == {f.CITY, f.TOWN}
    assert _json_rows(client, login, f.secretariat(f.CITY_ORG), org=f.WARD_ORG) == []
    assert _json_rows(client, login, f.secretariat(f.CITY_ORG), municipality_code=f.WARD) == []
    ward = _csv_rows(_get(client, login, f.secretariat(f.WARD_ORG), format="csv").content)
    assert {row[3] for row in ward[1:]} == {f.WARD}


def test_an_applicant_may_not_export_the_ledger(client, login, grants):
    answer = _get(client, login, f.applicant(f.CITY))
    assert answer.status_code == 403 and "助成金台帳を出力できません" in answer.json()["detail"]
    assert client.get("/api/ledger").status_code == 401


def test_the_ledger_filters_by_year_org_municipality_and_state(client, login, session, grants):
    f.program(session, 2026)
    f.draft(session, fiscal_year=2026)
    assert len(_json_rows(client, login, f.ADMIN)) == len(grants) + 1
    assert len(_json_rows(client, login, f.ADMIN, fiscal_year=2025)) == len(grants)
    assert {r["municipality_code"] for r in _json_rows(client, login, f.ADMIN, org=f.WARD_ORG)} == {
        f.WARD}
    town = _json_rows(client, login, f.ADMIN, municipality_code=f.TOWN)
    assert sorted(r["grant_id"] for r in town) == sorted([grants["town_paid"].id,
                                                          grants["town_cancelled"].id])
    awarded = _json_rows(client, login, f.ADMIN, state="awarded")
    assert {r["grant_id"] for r in awarded} == {grants["city_formula"].id,
                                                grants["ward_advanced"].id}


@pytest.mark.parametrize("params", [{"format": "pdf"}, {"fiscal_year": "abc"},
                                    {"fiscal_year": "1999"}, {"state": "nonsense"},
                                    {"org": "<script>"}, {"municipality_code": "13201"}])
def test_a_bad_filter_is_refused_with_a_clear_message(client, login, grants, params):
    answer = _get(client, login, f.AUDITOR, **params)
    assert answer.status_code == 422 and answer.json()["detail"].startswith("入力内容に誤りがあります")


def test_every_export_is_an_audit_event_with_its_filter_rows_and_digest(client, login, session,
                                                                        grants):
    answer = _get(client, login, f.secretariat(f.CITY_ORG), format="xlsx", fiscal_year=2025)
    event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
    assert event.grant_id is None and event.action == "export_ledger"
    assert event.actor == "secretariat-shichoson-chosakai" and event.actor_role == "secretariat"
    assert event.documents == [{"export": "ledger", "format": "xlsx",
                                "filter": {"fiscal_year": 2025}, "rows": 5,
                                "sha256": hashlib.sha256(answer.content).hexdigest()}]
    assert audit.verify(session).ok


def test_the_csv_opens_in_excel_in_japanese(client, login, grants):
    answer = _get(client, login, f.AUDITOR, format="csv", fiscal_year=2025)
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''%E5%8A%A9%E6%88%90%E9%87%91%E5%8F%B0%E5%B8%B3_2025.csv" in (
        answer.headers["content-disposition"])
    body = answer.content[3:]
    assert body.count(b"\r\n") == len(grants) + 1 and b"\n" not in body.replace(b"\r\n", b"")


def test_the_xlsx_has_numbers_dates_a_frozen_header_and_an_autofilter(client, login, grants):
    rows, sheet = _xlsx_rows(_get(client, login, f.AUDITOR, format="xlsx").content)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:W{len(grants) + 1}"
    header = rows[0]
    published = next(r for r in rows[1:] if r[0] == grants["city_published"].id)
    assert published[header.index("確定額（円）")] == 300_000
    assert published[header.index("交付決定日")].date() == f.DECISION
    assert sheet.column_dimensions["G"].width >= 30  # the title


@pytest.mark.parametrize(("project_end", "fiscal_year", "kept_until"), [
    (date(2026, 3, 31), 2025, date(2031, 3, 31)),  # ended in FY2025: kept to the end of FY2030
    (date(2026, 4, 1), 2025, date(2032, 3, 31)),  # ended in FY2026
    (None, 2025, date(2031, 3, 31)),  # never started: counted from its own fiscal year
])
def test_ledger_retention_is_five_years_after_the_fiscal_year_the_project_ended(
        project_end, fiscal_year, kept_until):
    assert retain_until(project_end, fiscal_year) == kept_until


def test_the_command_line_exports_the_ledger_as_an_audit_event(fresh_engine, monkeypatch,
                                                               tmp_path):
    from typer.testing import CliRunner

    from grants.cli import app as cli_app
    from grants.core.db import unit_of_work
    from grants.core.settings import get_settings
    engine = fresh_engine()
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    with unit_of_work(engine) as session:
        f.program(session)
        f.grant_in(session, "published", title=FORMULAS[0])
        f.grant_in(session, "awarded", f.WARD)
    runner = CliRunner()
    output = tmp_path / "台帳.xlsx"
    done = runner.invoke(cli_app, ["ledger", "export", "--fiscal-year", "2025", "--format", "xlsx",
                                   "--output", str(output)])
    assert done.exit_code == 0, done.output
    assert "助成金台帳 2 件" in done.output
    rows, _sheet = _xlsx_rows(output.read_bytes())
    assert len(rows) == 3 and "'" + FORMULAS[0] in [row[6] for row in rows]
    with unit_of_work(engine, write=False) as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert event.actor.startswith("cli:") and event.action == "export_ledger"
        assert event.documents[0]["sha256"] == hashlib.sha256(output.read_bytes()).hexdigest()
        assert audit.verify(session).ok
    for bad in (["--state", "bogus"], ["--fiscal-year", "1999"], ["--format", "pdf"]):
        refused = runner.invoke(cli_app, ["ledger", "export", "--output", str(output), *bad])
        assert refused.exit_code == 2 and "Traceback" not in refused.output, bad
    get_settings.cache_clear()


def test_the_ledger_page_exports_with_the_same_rules(client, session, password_hash, grants):
    from tests.web_support import sign_in, text
    sign_in(client, session, f.secretariat(f.WARD_ORG), password_hash)
    assert "助成金台帳を出力する" in text(client.get("/").text)
    page = text(client.get("/ledger").text)
    assert "助成金台帳の出力" in page and "千代田区" in page and "八王子市" not in page
    answer = client.get("/ledger/export", params={"fiscal_year": "2025", "org": "",
                                                  "municipality_code": "", "state": "",
                                                  "format": "csv"})
    assert answer.status_code == 200, answer.text
    rows = _csv_rows(answer.content)
    assert {row[3] for row in rows[1:]} == {f.WARD} and len(rows) == 3
    refused = client.get("/ledger/export", params={"format": "exe"})
    assert refused.status_code == 422 and "<html" in refused.text
    client.cookies.clear()
    sign_in(client, session, f.applicant(f.CITY), password_hash)
    assert client.get("/ledger").status_code == 403
    assert client.get("/ledger/export").status_code == 403


def test_libreoffice_calc_opens_the_xlsx_with_the_same_values(client, login, grants, tmp_path):
    """The spreadsheet an auditor's office suite opens: read back through LibreOffice Calc."""
    import subprocess

    from forms.pdf import soffice
    SOFFICE = soffice()
    from tests.support import need
    calc = subprocess.run([SOFFICE, "--version"], capture_output=True, text=True) if SOFFICE else None
    need(calc is not None and calc.returncode == 0, "LibreOffice is not installed")
    source = tmp_path / "ledger.xlsx"
    source.write_bytes(_get(client, login, f.AUDITOR, format="xlsx").content)
    done = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                           "--outdir", str(tmp_path / "out"), str(source)],
                          capture_output=True, timeout=300)
    read_back = tmp_path / "out" / "ledger.csv"
    need(read_back.exists(), "LibreOffice Calc is not installed (apt-get install "
                            f"libreoffice-calc-nogui): {done.stderr[-200:]!r}")
    rows = list(csv.reader(io.StringIO(read_back.read_text("utf-8"), newline="")))
    as_json = _json_rows(client, login, f.AUDITOR)
    assert rows[0][:3] == ["案件番号", "年度", "年度（和暦）"] and len(rows) == len(as_json) + 1
    titles = {row[6] for row in rows[1:]}
    assert titles == {neutralise(row["title"]) for row in as_json}
    amounts = [row[13] for row in rows[1:]]  # 交付決定額, shown with the thousands separator
    assert "300,000" in amounts
