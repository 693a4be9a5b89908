"""The 様式 at the quality of a notice a municipal officer signs (the issue on official
documents), each defect checked in what a reader sees: the PDF that LibreOffice makes of the
stored .docx, its text read back with poppler's pdftotext."""

import shutil
import subprocess
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from forms import pdf
from grants.core import heads, programs
from grants.core.models import Document
from tests import factories as f
from tests.documents_support import issue_all_nine
from tests.support import need

LATER_YEAR = datetime(2026, 4, 20, 1, 0, tzinfo=timezone.utc)  # FY2026 (令和8年度)


@pytest.fixture(scope="module")
def office():
    need(pdf.available(), "LibreOffice with python3-uno is not installed "
                          "(apt-get install libreoffice-writer-nogui python3-uno)")
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (apt-get install poppler-utils)")
    return pdf.office


def read(office, document: Document, tmp_path) -> tuple[str, list[str]]:
    """The PDF's text without spaces (for phrases that wrap), and its lines as laid out."""
    path = tmp_path / f"{document.id}.pdf"
    path.write_bytes(office.convert(document.content))
    laid_out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
    lines = [line.strip() for line in laid_out.splitlines() if line.strip()]
    return "".join(laid_out.split()), lines


def documents(session, grant) -> dict[int, Document]:
    found = {}
    for document in session.scalars(select(Document).where(Document.grant_id == grant.id)
                                    .order_by(Document.id)):
        found[document.form] = document
    return found


@pytest.fixture
def nine(session):
    heads.set_org_head(session, f.CITY_ORG, heads.OrgHeadBody(
        title="理事長", name="多摩　一郎", effective_from=date(2025, 4, 1)))
    heads.set_org_head(session, f.WARD_ORG, heads.OrgHeadBody(
        title="理事長", name="区部　花子", effective_from=date(2024, 4, 1)))
    heads.set_municipality_head(session, f.CITY, heads.MunicipalityHeadBody(name="石森　孝志"))
    return issue_all_nine(session)


def test_notices_name_the_head_of_the_org_and_the_seal_position(office, nine, tmp_path):
    for form in (2, 5, 7, 9):
        text, _ = read(office, nine[form], tmp_path)
        assert "八王子市長石森孝志様" in text, form
        assert "公益財団法人東京市町村自治調査会理事長多摩一郎印" in text, form
    text, _ = read(office, nine[3], tmp_path)
    assert "公益財団法人特別区協議会理事長区部花子印" in text and "千代田区長様" in text


def test_what_the_municipality_files_carries_its_heads_name_and_seal(office, nine, tmp_path):
    for form in (1, 4, 6, 8):
        text, _ = read(office, nine[form], tmp_path)
        assert "公益財団法人東京市町村自治調査会理事長多摩一郎様" in text, form
        assert "八王子市長石森孝志印" in text, form


def test_a_new_head_is_named_from_the_day_of_office_and_older_notices_keep_theirs(
        office, session, tmp_path):
    f.program(session)
    heads.set_org_head(session, f.CITY_ORG, heads.OrgHeadBody(
        title="理事長", name="多摩　一郎", effective_from=date(2025, 4, 1)))
    heads.set_org_head(session, f.CITY_ORG, heads.OrgHeadBody(
        title="理事長", name="調査　次郎", effective_from=date(2025, 5, 21)))
    grant = f.grant_in(session, "report_submitted")  # awarded on 2025-05-20
    f.act(session, grant, "confirm", now=datetime(2025, 6, 2, 1, 0, tzinfo=timezone.utc))
    issued = documents(session, grant)
    assert "理事長多摩一郎印" in read(office, issued[2], tmp_path)[0]
    assert "理事長調査次郎印" in read(office, issued[7], tmp_path)[0]


def test_each_notice_cites_the_document_it_answers_and_states_the_amount(office, nine, tmp_path):
    expected = {
        2: "令和7年5月1日付けで申請のあった令和7年度みどり東京・温暖化防止プロジェクト助成金については、"
           "みどり東京・温暖化防止プロジェクト助成金交付要綱第6条の規定により、金300,000円を下記の条件を付して"
           "交付することに決定したので通知します。",
        5: "令和7年5月20日付けで変更承認申請のあった",
        7: "令和7年5月20日付けで実績報告のあった",
        8: "令和7年5月20日付け7市調環第3号で額の確定の通知のあった",
        9: "令和7年5月20日付け7市調環第1号で交付決定した",
    }
    for form, words in expected.items():
        assert words in read(office, nine[form], tmp_path)[0], form
    assert "交付額を金350,000円に確定した" in read(office, nine[7], tmp_path)[0]


def test_forms_5_and_6_follow_the_change_request_and_the_change_approval(office, nine, tmp_path):
    assert "令和7年5月20日付けで変更承認申請のあった" in read(office, nine[5], tmp_path)[0]
    assert ("令和7年5月20日付け7市調環第1号で交付決定（令和7年5月20日付け7市調環第2号で変更承認）のあった"
            in read(office, nine[6], tmp_path)[0])


def test_the_award_notice_lists_the_standard_conditions_and_the_amounts(office, nine, tmp_path):
    text, _ = read(office, nine[2], tmp_path)
    for words in ("助成対象経費金600,000円", "申請額金400,000円", "交付決定額金300,000円",
                  "変更承認申請書（様式第4号）", "実績報告書（様式第6号）", "令和8年2月28日までに完了",
                  "加算金", "延滞金", "帳簿及び証拠書類", "5年間保存"):
        assert words in text, words


def test_the_basis_and_the_conditions_are_the_programs_own(office, session, tmp_path):
    f.program(session)
    programs.change_program(session, f.FY, {
        "guideline_name": "みどり東京助成金交付要綱（令和7年改正）", "guideline_articles": {"2": "第9条"},
        "award_conditions": "事業の成果を広報紙で周知すること。\n事業は{project_end}までに完了すること。"})
    grant = f.grant_in(session, "awarded")
    text, _ = read(office, documents(session, grant)[2], tmp_path)
    assert "みどり東京助成金交付要綱（令和7年改正）第9条の規定により" in text
    assert "1事業の成果を広報紙で周知すること。2事業は令和8年2月28日までに完了すること。" in text
    assert "帳簿及び証拠書類" not in text


def test_the_change_request_sets_the_new_amount_beside_the_awarded_one(office, nine, tmp_path):
    text, _ = read(office, nine[4], tmp_path)
    assert "交付決定額変更前:金300,000円変更後:金350,000円" in text


def test_the_cancellation_gives_a_dated_deadline_and_the_interest_on_refunds(office, nine, tmp_path):
    text, _ = read(office, nine[9], tmp_path)
    assert "納期限（令和7年6月9日）までに返還してください" in text
    assert "納期限令和7年6月9日" in text
    assert "年10.95パーセントの割合で計算した加算金" in text
    assert "年10.95パーセントの割合で計算した延滞金" in text
    assert "30日以内" not in text


@pytest.mark.parametrize("form", range(1, 10))
def test_titles_break_before_the_documents_name_never_inside_a_word(office, nine, tmp_path, form):
    from grants.core.ja.documents import FORM_NAMES
    _, lines = read(office, nine[form], tmp_path)
    title = lines.index(FORM_NAMES[form])  # the name alone on its line
    assert lines[title - 1].replace(" ", "") == "令和7年度みどり東京・温暖化防止プロジェクト助成金"


def test_a_notice_issued_in_the_next_fiscal_year_is_numbered_in_that_year(office, session, tmp_path):
    f.program(session)
    grant = f.grant_in(session, "report_submitted")  # a 令和7年度 grant
    f.act(session, grant, "confirm", now=LATER_YEAR)  # confirmed in 令和8年度
    notice = documents(session, grant)[7]
    assert notice.number == "8市調環第1号"
    assert "8市調環第1号" in read(office, notice, tmp_path)[0]


def test_the_admin_keeps_the_heads_on_the_command_line(fresh_engine, monkeypatch):
    from typer.testing import CliRunner

    from grants.cli import app
    from grants.core.db import unit_of_work
    from grants.core.models import Municipality, OrgHead
    from grants.core.settings import get_settings
    engine = fresh_engine()
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        done = runner.invoke(app, ["heads", "org", "shichoson-chosakai", "--name", "多摩　一郎",
                                   "--from", "2026-04-01"])
        assert done.exit_code == 0 and "令和8年4月1日から 理事長　多摩　一郎" in done.output, done.output
        done = runner.invoke(app, ["heads", "municipality", "132012", "--name", "石森　孝志"])
        assert done.exit_code == 0 and "八王子市長　石森　孝志" in done.output, done.output
        listed = runner.invoke(app, ["heads", "list"]).output
        assert "shichoson-chosakai" in listed and "132012\t八王子市長\t石森　孝志" in listed
        for bad in (["heads", "org", "no-such-org", "--name", "誰", "--from", "2026-04-01"],
                    ["heads", "municipality", "999999", "--name", "誰"],
                    ["heads", "municipality", "132012", "--name", "名\x1b前"],
                    ["heads", "municipality", "132012", "--name", "長" * 41]):
            refused = runner.invoke(app, bad)
            assert refused.exit_code == 1 and "エラー" in refused.output, (bad, refused.output)
            assert "Traceback" not in refused.output
        with unit_of_work(engine, write=False) as session:
            assert session.get(Municipality, "132012").head_name == "石森　孝志"
            assert len(session.scalars(select(OrgHead)).all()) == 1
    finally:
        get_settings.cache_clear()
