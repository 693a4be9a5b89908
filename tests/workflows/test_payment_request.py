"""交付請求 in the real order (issue: documents a municipal officer would sign): after the
額の確定 the municipality files its 交付請求書 (様式第8号) with the account to be paid into;
the account is entered once per municipality and reused; it is shown whole to that
municipality and its org's secretariat and masked to anyone else; the payment follows."""

import pytest
from sqlalchemy import select

from grants.core.errors import InvalidInput, Refused
from grants.core.models import BankAccount, Document
from tests import factories as f
from tests.documents_support import text_of, to_pdf
from tests.web_support import post, sign_in, text

ACCOUNT = f.BODIES["request_payment"]


def _form8(session, grant) -> Document:
    return session.scalars(select(Document).where(Document.grant_id == grant.id,
                                                  Document.form == 8)).one()


def test_the_municipality_files_its_payment_request_after_the_confirmation(session):
    f.program(session)
    grant = f.grant_in(session, "confirmed")
    assert _form8_count(session, grant) == 0  # the confirmation no longer issues it
    f.act(session, grant, "request_payment")
    assert grant.state == "payment_requested"
    form = _form8(session, grant)
    assert form.issued_by == "applicant-132012" and form.number is None
    shown = text_of(form.content)
    for words in ("多摩中央信用金庫（金融機関コード 1360）", "八王子支店（支店コード 012）",
                  "普通預金　口座番号 1234567", "口座名義 ハチオウジシ　カイケイカンリシャ",
                  "金300,000円"):
        assert words in shown, words
    f.act(session, grant, "settle")
    assert (grant.state, grant.paid_yen) == ("paid", 300_000)


def _form8_count(session, grant) -> int:
    return len(session.scalars(select(Document.id).where(Document.grant_id == grant.id,
                                                         Document.form == 8)).all())


def test_the_account_is_entered_once_and_reused(session):
    f.program(session)
    first = f.grant_in(session, "confirmed")
    f.act(session, first, "request_payment")
    second = f.grant_in(session, "confirmed", title="学校での温暖化防止授業")
    f.act(session, second, "request_payment", {})  # nothing typed: the account given before
    assert second.payment_account == first.payment_account
    assert "口座番号 1234567" in text_of(_form8(session, second).content)
    # A new account given replaces the saved one for what comes after, not what went before.
    third = f.grant_in(session, "confirmed", title="緑のカーテン講習会")
    f.act(session, third, "request_payment", ACCOUNT | {"account_number": "7654321"})
    assert session.get(BankAccount, f.CITY).account_number == "7654321"
    assert first.payment_account["account_number"] == "1234567"


def test_a_payment_request_without_any_account_is_refused_and_changes_nothing(session):
    f.program(session)
    grant = f.grant_in(session, "confirmed")
    with pytest.raises(Refused, match="振込先が登録されていません"):
        f.act(session, grant, "request_payment", {})
    assert grant.state == "confirmed" and _form8_count(session, grant) == 0


@pytest.mark.parametrize(("typed", "field", "said"), [
    ({"bank_name": "多摩中央信用金庫"}, "body", "すべての項目を入力してください"),
    (ACCOUNT | {"bank_code": "136"}, "bank_code", "半角数字4桁"),
    (ACCOUNT | {"bank_code": "①②③④"}, "bank_code", "半角数字4桁"),  # digits to Unicode only
    (ACCOUNT | {"branch_code": "¹²³"}, "branch_code", "半角数字3桁"),
    (ACCOUNT | {"branch_code": "12a"}, "branch_code", "半角数字3桁"),
    (ACCOUNT | {"account_number": "123456789"}, "account_number", "半角数字7桁"),
    (ACCOUNT | {"holder_kana": "八王子市"}, "holder_kana", "カタカナ"),
    (ACCOUNT | {"account_type": "savings"}, "account_type", ""),
    (ACCOUNT | {"bank_name": "信" * 41}, "bank_name", "41"),
])
def test_a_wrong_account_is_refused_field_by_field_in_japanese(session, typed, field, said):
    f.program(session)
    grant = f.grant_in(session, "confirmed")
    with pytest.raises(InvalidInput) as refused:
        f.act(session, grant, "request_payment", typed)
    assert field in refused.value.problems or field == "body", refused.value.problems
    assert said in refused.value.detail or said == "41", refused.value.detail
    assert grant.state == "confirmed" and session.get(BankAccount, f.CITY) is None


def test_the_holder_is_kept_in_full_width_katakana_as_banks_print_it(session):
    f.program(session)
    grant = f.grant_in(session, "confirmed")
    f.act(session, grant, "request_payment", ACCOUNT | {
        "holder_kana": "はちおうじし ｶｲｹｲｶﾝﾘｼｬ", "account_number": "０１２３４５６"})
    saved = session.get(BankAccount, f.CITY)
    assert (saved.holder_kana, saved.account_number) == ("ハチオウジシ　カイケイカンリシャ", "0123456")


def test_the_account_is_whole_for_the_municipality_and_its_secretariat_masked_for_others(
        client, session, login):
    f.program(session)
    f.act(session, f.grant_in(session, "confirmed"), "request_payment")
    url = f"/api/municipalities/{f.CITY}/bank-account"
    for whole in (f.applicant(), f.secretariat(f.CITY_ORG)):
        assert client.get(url, headers=login(whole)).json()["account_number"] == "1234567"
    masked = client.get(url, headers=login(f.AUDITOR)).json()
    assert (masked["account_number"], masked["holder_kana"]) == ("****567", "＊＊＊＊")
    assert masked["bank_name"] == "多摩中央信用金庫"
    for stranger in (f.applicant(f.TOWN), f.secretariat(f.WARD_ORG), f.ADMIN):
        assert client.get(url, headers=login(stranger)).status_code == 404
    assert client.get(url).status_code == 401
    assert client.get(f"/api/municipalities/{f.TOWN}/bank-account",
                      headers=login(f.applicant(f.TOWN))).status_code == 404  # none saved yet
    assert client.get("/api/municipalities/99999x/bank-account",
                      headers=login(f.AUDITOR)).status_code == 422


def test_the_page_offers_the_saved_account_and_shows_it_masked_to_auditors(client, session,
                                                                         password_hash):
    f.program(session)
    f.act(session, f.grant_in(session, "confirmed"), "request_payment")
    grant = f.grant_in(session, "confirmed", title="学校での温暖化防止授業")
    sign_in(client, session, f.applicant(), password_hash)
    form = client.get(f"/grants/{grant.id}/actions/request_payment").text
    assert 'value="1234567"' in form and 'value="ordinary"\nchecked>' in form
    done = post(client, f"/grants/{grant.id}/actions/request_payment", {
        name: value for name, value in ACCOUNT.items()})
    assert done.status_code == 303, text(done.text)
    mine = text(client.get(f"/grants/{grant.id}").text)
    assert "振込先 多摩中央信用金庫（1360） 八王子支店（012） 普通 1234567 ハチオウジシ カイケイカンリシャ" in mine
    sign_in(client, session, f.AUDITOR, password_hash)
    page = text(client.get(f"/grants/{grant.id}").text)
    assert "****567" in page and "1234567" not in page and "カイケイカンリシャ" not in page


def test_the_payment_request_reads_right_in_the_pdf(session, tmp_path):
    f.program(session)
    grant = f.grant_in(session, "payment_requested")
    pdf = to_pdf({"form8": _form8(session, grant).content}, tmp_path)
    from pypdf import PdfReader
    shown = "".join(page.extract_text() for page in PdfReader(pdf / "form8.pdf").pages)
    shown = "".join(shown.split())
    for words in ("交付請求書", "多摩中央信用金庫", "1234567", "ハチオウジシカイケイカンリシャ",
                  "金300,000円"):
        assert words in shown, words
