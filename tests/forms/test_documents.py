"""SPEC §6: the nine forms (様式) as Word documents, issued with their action."""

import hashlib
import io
import re
import threading
from datetime import date

import docx
import pytest
from docx.oxml.ns import qn
from sqlalchemy import exc, func, select, text
from typer.testing import CliRunner

from forms.documents import Sheet, build
from forms.issue import next_number
from grants.cli import app
from grants.core.db import unit_of_work
from grants.core.ja.documents import kin
from grants.core.models import Document, Grant, Municipality, Org
from grants.core.settings import get_settings
from tests import factories as f
from tests.documents_support import issue_all_nine, text_of

CITY_ORG_NAME, WARD_ORG_NAME = "公益財団法人東京市町村自治調査会", "公益財団法人特別区協議会"
PROGRAM = "令和7年度みどり東京・温暖化防止プロジェクト助成金"

# form: (title, what its particulars must show)
EXPECTED = {
    1: ("交付申請書", ["市民協働による里山保全事業", "自然環境保護", "普及啓発、行動の場づくり",
                     "令和7年6月1日から令和8年2月28日まで", "金600,000円", "金400,000円"]),
    2: ("交付決定通知書", ["金300,000円", "令和7年5月20日", "令和7年5月1日付けで申請のあった",
                       "金300,000円を下記の条件を付して交付することに決定した",
                       "助成対象経費\n金600,000円", "申請額\n金400,000円",
                       "交付要綱第6条の規定により", "1　事業の内容又は経費の配分を変更しようとするときは",
                       "帳簿及び証拠書類", "5年間保存", "令和8年2月28日までに完了すること",
                       "加算金", "延滞金"]),
    3: ("不交付決定通知書", ["不交付の理由", "理由を記載します。", "金400,000円"]),
    4: ("変更承認申請書", ["交付決定額\n変更前: 金300,000円\n変更後: 金350,000円",
                        "参加者の増加に対応するため", "令和7年5月20日付け7市調環第1号で交付決定のあった"]),
    5: ("変更承認通知書", ["変更前の交付決定額", "金300,000円", "変更後の交付決定額", "金350,000円",
                        "令和7年5月20日付けで変更承認申請のあった", "交付決定額を金350,000円とすることを承認"]),
    6: ("実績報告書", ["金550,000円", "観察会を4回開催し120名が参加した。", "金350,000円",
                    "令和7年5月20日付け7市調環第1号で交付決定（令和7年5月20日付け7市調環第2号で変更承認）のあった"]),
    7: ("額の確定通知書", ["交付確定額", "金350,000円", "金550,000円",
                        "令和7年5月20日付けで実績報告のあった", "交付額を金350,000円に確定した"]),
    8: ("交付請求書", ["請求額", "金350,000円", "振込先", "多摩中央信用金庫",
                    "令和7年5月20日付け7市調環第3号で額の確定の通知のあった",
                    "金350,000円を交付されるよう請求します"]),
    9: ("交付決定取消通知書", ["対象外経費の計上が判明したため", "返還額", "金350,000円",
                           "納期限（令和7年6月9日）までに返還してください", "加算金", "延滞金",
                           "令和7年5月20日付け7市調環第1号で交付決定した"]),
}


@pytest.fixture
def nine(session):
    return issue_all_nine(session)


@pytest.mark.parametrize("form", range(1, 10))
def test_each_form_contains_its_fields(nine, form):
    document = nine[form]
    body = text_of(document.content)
    name, particulars = EXPECTED[form]
    assert document.title == PROGRAM + name
    assert f"様式第{form}号" in body and f"{PROGRAM}\n{name}" in body  # broken before the name
    assert "記" in body and "以上" in body
    for fragment in particulars:
        assert fragment in body, fragment
    head, org = ("千代田区長", WARD_ORG_NAME) if form == 3 else ("八王子市長", CITY_ORG_NAME)
    assert f"{org}\n理事長" in body and head in body
    if form in (2, 3, 5, 7, 9):  # notices: from the org's head to the municipality's head
        assert f"{head}　様" in body and f"{org}\n理事長　印" in body
        assert re.fullmatch(r"7(市調環|特協環)第\d+号", document.number)
        assert document.number in body
    else:  # what the municipality submits: to the org's head, numbered by the municipality
        assert f"{org}\n理事長　様" in body and document.number is None
        assert f"{head}　印" in body
        assert "第　　号" in body
    assert re.search(r"令和7年\d{1,2}月\d{1,2}日", body)


def test_award_notice_is_dated_on_the_decision_date(nine):
    assert nine[2].issued_on == date(2025, 5, 20)
    assert "令和7年5月20日" in text_of(nine[2].content).split("\n")[2]


def test_east_asian_font_is_set_on_every_run_and_on_the_styles(nine):
    for document in nine.values():
        word = docx.Document(io.BytesIO(document.content))
        runs = [r for p in word.paragraphs for r in p.runs]
        runs += [r for t in word.tables for row in t.rows for c in row.cells
                 for p in c.paragraphs for r in p.runs]
        assert runs
        for run in runs:
            assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "MS 明朝"
        normal = word.styles["Normal"].element.rPr.rFonts
        assert normal.get(qn("w:eastAsia")) == "MS 明朝"
        defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
        assert defaults.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) == "MS 明朝"


def test_a4_portrait_horizontal_writing(nine):
    word = docx.Document(io.BytesIO(nine[1].content))
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.page_width < section.page_height
    assert section._sectPr.find(qn("w:textDirection")).get(qn("w:val")) == "lrTb"


def test_amounts_are_written_as_kin_yen():
    assert kin(1_000_000) == "金1,000,000円" and kin(0) == "金0円"


def test_same_input_gives_byte_identical_documents(session, nine):
    grant = session.get(Grant, nine[2].grant_id)
    municipality = session.get(Municipality, grant.municipality_code)
    sheet = Sheet(form=2, grant=grant, municipality=municipality,
                  org=session.get(Org, municipality.org_id), issued_on=date(2025, 5, 20),
                  number="7市調環第1号")
    results = [build(sheet)]
    threads = [threading.Thread(target=lambda: results.append(build(sheet))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1 and len(results) == 4
    word = docx.Document(io.BytesIO(results[0]))
    assert word.core_properties.created.date() == date(2025, 5, 20)


def test_stored_hash_and_audit_event_match_the_bytes(session, nine):
    from grants.core.models import AuditEvent
    recorded = {entry["id"]: entry["sha256"]
                for docs in session.scalars(select(AuditEvent.documents)) for entry in docs
                if "id" in entry}
    for document in nine.values():
        digest = hashlib.sha256(document.content).hexdigest()
        assert digest == document.sha256 == recorded[document.id]


def test_document_numbers_count_per_org_and_fiscal_year(session):
    f.program(session)
    f.program(session, 2026)
    assert [next_number(session, "shichoson-chosakai", 2025) for _ in range(3)] == [
        "7市調環第1号", "7市調環第2号", "7市調環第3号"]
    assert next_number(session, "tokubetsuku-kyogikai", 2025) == "7特協環第1号"
    assert next_number(session, "shichoson-chosakai", 2026) == "8市調環第1号"


def test_document_prefix_is_configurable(session, monkeypatch):
    monkeypatch.setenv("GRANTS_DOCUMENT_PREFIXES", '{"shichoson-chosakai": "東市調発"}')
    get_settings.cache_clear()
    try:
        f.program(session)
        assert next_number(session, "shichoson-chosakai", 2025) == "7東市調発第1号"
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("statement", ["UPDATE documents SET title = 'forged'",
                                       "DELETE FROM documents"])
def test_issued_documents_are_never_changed_in_place(session, nine, statement):
    with pytest.raises(exc.DatabaseError, match="kept as issued"):
        with session.begin_nested():
            session.execute(text(statement))


def test_documents_over_the_api(client, session, login, nine):
    grant_id = nine[2].grant_id
    listed = client.get(f"/api/grants/{grant_id}/documents", headers=login(f.applicant()))
    assert listed.status_code == 200
    forms = [d["form"] for d in listed.json()["items"]]
    assert forms == [1, 2, 4, 5, 6, 7, 8, 9]
    entry = listed.json()["items"][1]
    assert set(entry) >= {"id", "form", "title", "number", "sha256", "issued_at"}
    download = client.get(f"/api/documents/{entry['id']}", headers=login(f.AUDITOR))
    assert download.status_code == 200 and download.content == nine[2].content
    assert download.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert "filename*=UTF-8''" in download.headers["content-disposition"]
    assert "%E5%85%AB%E7%8E%8B%E5%AD%90%E5%B8%82" in download.headers["content-disposition"]  # 八王子市
    other = login(f.applicant(f.TOWN))
    assert client.get(f"/api/documents/{entry['id']}", headers=other).status_code == 404
    assert client.get(f"/api/grants/{grant_id}/documents", headers=other).status_code == 404
    assert client.get("/api/documents/999999", headers=login(f.AUDITOR)).status_code == 404


@pytest.fixture
def cli_db(fresh_engine, monkeypatch):
    engine = fresh_engine()
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    with unit_of_work(engine) as session:
        nine = {form: d.id for form, d in issue_all_nine(session).items()}
    yield engine, nine
    get_settings.cache_clear()
    engine.dispose()


def test_documents_verify_catches_tampering(cli_db):
    engine, nine = cli_db
    runner = CliRunner()
    ok = runner.invoke(app, ["documents", "verify"])
    assert ok.exit_code == 0 and "文書 10 件" in ok.output  # 8 for 八王子市, 2 for 千代田区
    with unit_of_work(engine) as session:
        if session.bind.dialect.name == "postgresql":
            session.execute(text("ALTER TABLE documents DISABLE TRIGGER documents_as_issued"))
        else:
            session.execute(text("DROP TRIGGER documents_no_update"))
        forged = nine[7]
        session.execute(text("UPDATE documents SET content = :c WHERE id = :id"),
                        {"c": b"PK forged", "id": forged})
    broken = runner.invoke(app, ["documents", "verify"])
    assert broken.exit_code == 1 and f"文書 {forged}" in broken.output


def test_render_previews_without_issuing(cli_db, tmp_path):
    engine, nine = cli_db
    with unit_of_work(engine) as session:
        grant_id = session.get(Document, nine[2]).grant_id
        before = session.scalar(select(func.count()).select_from(Document))
    output = tmp_path / "preview.docx"
    result = CliRunner().invoke(app, ["documents", "render", "--grant", str(grant_id), "--form", "7",
                                      "--output", str(output)])
    assert result.exit_code == 0, result.output
    body = text_of(output.read_bytes())
    assert "額の確定通知書" in body and "（未発行）" in body
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == before
    missing = CliRunner().invoke(app, ["documents", "render", "--grant", "99999", "--form", "1",
                                       "--output", str(output)])
    assert missing.exit_code == 1 and "見つかりません" in missing.output


def test_export_writes_every_document_of_the_year(cli_db, tmp_path):
    engine, nine = cli_db
    result = CliRunner().invoke(app, ["documents", "export", "--fiscal-year", "2025",
                                      "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 10 and "千代田区_様式第3号_不交付決定通知書_" in " ".join(files)
    with unit_of_work(engine) as session:
        for path in tmp_path.iterdir():
            document_id = int(path.stem.rsplit("_", 1)[1])
            assert path.read_bytes() == session.get(Document, document_id).content
