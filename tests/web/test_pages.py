"""The pages each person works in, through the same rules as the API: an applicant's home,
application and forms; the secretariat's queue and action forms; the auditor's check; the
admin's programs and users. Other tenants' grants are 404 on every page, as absent ones."""

import io
import re

import docx
import pytest
from sqlalchemy import select

from grants.core.clock import japan_date, utcnow
from grants.core.dates import fiscal_year_bounds, fiscal_year_of
from grants.core.models import Grant, User
from grants.core.wareki import fiscal_year_label
from grants.web.inputs import parse_yen
from tests import factories as f
from tests.api.test_authorization import PNG
from tests.web_support import alert, csrf, post, sign_in, text

TODAY = japan_date(utcnow())
YEAR = fiscal_year_of(TODAY)
FIRST, LAST = fiscal_year_bounds(YEAR)
YEAR_LABEL = fiscal_year_label(YEAR)


@pytest.fixture
def year(session):
    """This fiscal year, its window open today (the pages run on the real clock)."""
    return f.program(session, YEAR, applications_open=FIRST, applications_close=LAST,
                     allows_advance=True)


def _grant(session, state: str, code: str = f.CITY, *, award: int = 300_000, **fields) -> Grant:
    """A grant of this fiscal year taken to ``state`` on the real clock, as the pages see it."""
    grant = f.draft(session, code, fiscal_year=YEAR, project_start=FIRST.isoformat(),
                    project_end=LAST.isoformat(), **fields)
    for action in f.PATHS[state]:
        body = ({"awarded_yen": award, "decision_date": TODAY.isoformat()} if action == "award"
                else None)
        f.act(session, grant, action, body, now=utcnow())
    return grant


def _application(**changes) -> dict:
    return {"fiscal_year": str(YEAR), "title": "里山の保全と観察会", "category": "nature_conservation",
            "actions": ["awareness", "cooperation"], "summary": "下草刈りと観察会を行う。",
            "project_start": FIRST.isoformat(), "project_end": LAST.isoformat(),
            "project_cost_yen": "1,000,000", "requested_yen": "50万", "then": "submit"} | changes


# --- amounts as people type them ---------------------------------------------------------

@pytest.mark.parametrize(("typed", "yen"), [
    ("1000000", 1_000_000), ("1,000,000", 1_000_000), ("１，０００，０００", 1_000_000),
    ("100万", 1_000_000), ("１００万", 1_000_000), (" 250,000 ", 250_000), ("0", 0),
])
def test_amounts_are_read_as_people_write_them(typed, yen):
    assert parse_yen(typed) == yen


@pytest.mark.parametrize("typed", ["1,00,000", "1000000円", "100万円", "1.5万", "一百万", "-100",
                                   "1e6", "10 000", "1,000,", "¥1,000,000", "１００万円", "万",
                                   "²", "¹⁰⁰万", "①", "١٠٠", "𝟏𝟎𝟎", "100万\u200b"])
def test_any_other_way_of_writing_an_amount_is_refused_with_a_message(typed):
    with pytest.raises(ValueError, match="1000000、1,000,000、１，０００，０００、100万"):
        parse_yen(typed)


def test_the_refused_amount_is_shown_next_to_its_field_and_nothing_is_saved(
        client, session, password_hash, year):
    sign_in(client, session, f.applicant(), password_hash)
    response = post(client, "/grants/new", _application(requested_yen="50万円",
                                                        project_cost_yen="１，０００，０００"))
    assert response.status_code == 422
    assert re.search(r'<span class="error" id="error-requested_yen">金額は 1000000、1,000,000、'
                     r'１，０００，０００、100万 のいずれかの形で入力してください</span>', response.text)
    assert 'value="50万円"' in response.text and 'value="１，０００，０００"' in response.text
    assert session.scalars(select(Grant)).first() is None
    saved = post(client, "/grants/new", _application(project_cost_yen="１，０００，０００"))
    assert saved.status_code == 303
    grant = session.scalars(select(Grant)).one()
    assert (grant.state, grant.project_cost_yen, grant.requested_yen) == ("submitted", 1_000_000,
                                                                          500_000)


@pytest.mark.parametrize("year", ["²", "³", "①", "２⁰２５", "20２5x", "9" * 40])
def test_a_year_that_only_looks_like_a_number_is_refused_in_words(client, session, password_hash,
                                                                  year):
    sign_in(client, session, f.applicant(), password_hash)
    response = post(client, "/grants/new", _application(fiscal_year=year))
    assert response.status_code == 422 and "整数で入力してください" in text(response.text)
    assert session.scalars(select(Grant)).first() is None


def test_a_year_in_full_width_digits_is_read(client, session, password_hash, year):
    sign_in(client, session, f.applicant(), password_hash)
    wide = str(YEAR).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert post(client, "/grants/new", _application(fiscal_year=wide)).status_code == 303
    assert session.scalars(select(Grant)).one().fiscal_year == YEAR


@pytest.mark.parametrize("year", ["²", "③", "9" * 40])
def test_the_admins_program_year_that_only_looks_like_a_number_is_refused(client, session,
                                                                          password_hash, year):
    sign_in(client, session, f.ADMIN, password_hash)
    response = post(client, "/admin/programs", {"fiscal_year": year, "cap_yen": "1,000,000",
                                                "applications_open": "2030-04-01",
                                                "applications_close": "2030-06-30"})
    assert response.status_code == 422 and "整数で入力してください" in text(response.text)


@pytest.mark.parametrize("after", ["1-2147483648", "1-9999999999", "99999999999999999999-1"])
def test_a_queue_cursor_beyond_any_row_shows_the_first_page(client, session, password_hash,
                                                            year, after):
    sign_in(client, session, f.secretariat(), password_hash)
    assert client.get(f"/?show=all&after={after}").status_code == 200


# --- the applicant ------------------------------------------------------------------------

def test_applicant_home_shows_the_years_grants_next_steps_and_cap(client, session,
                                                                 password_hash, year):
    f.program(session, 2025)
    old = f.grant_in(session, "awarded", requested_yen=400_000)
    sign_in(client, session, f.applicant(), password_hash)
    post(client, "/grants/new", _application(title="緑のカーテン", then="save"))
    page = text(client.get("/").text)
    assert "八王子市の助成申請" in page
    assert f"{year.fiscal_year}" and "申請を受け付けています" in page
    assert "緑のカーテン 作成中 申請書を完成させて提出してください" in page
    assert "令和7年度 上限額 1,000,000円 交付決定・確定済み 300,000円 上限額の残り 700,000円" in page
    assert f"{old.title} 交付決定 事業を実施し、期限までに実績報告をしてください 令和8年3月30日" in page


def test_resubmission_after_a_return_shows_the_reason(client, session, password_hash, year):
    sign_in(client, session, f.applicant(), password_hash)
    post(client, "/grants/new", _application())
    grant = session.scalars(select(Grant)).one()
    sign_in(client, session, f.secretariat(), password_hash)
    post(client, f"/grants/{grant.id}/actions/return", {"reason": "経費の内訳を添付してください。"})
    sign_in(client, session, f.applicant(), password_hash)
    assert "修正依頼の理由 経費の内訳を添付してください。" in text(client.get(f"/grants/{grant.id}").text)
    edit = client.get(f"/grants/{grant.id}/edit")
    assert "修正依頼の理由 経費の内訳を添付してください。" in text(edit.text)
    assert post(client, f"/grants/{grant.id}/edit",
                _application(summary="内訳を添付しました。")).status_code == 303
    session.refresh(grant)
    assert (grant.state, grant.summary) == ("submitted", "内訳を添付しました。")


def test_applicant_files_a_change_and_a_report_attaches_and_downloads(client, session,
                                                                     password_hash, year):
    sign_in(client, session, f.applicant(), password_hash)
    post(client, "/grants/new", _application())
    grant = session.scalars(select(Grant)).one()
    sign_in(client, session, f.secretariat(), password_hash)
    post(client, f"/grants/{grant.id}/actions/start_review")
    post(client, f"/grants/{grant.id}/actions/award", {"awarded_yen": "40万",
                                                        "decision_date": TODAY.isoformat()})
    sign_in(client, session, f.applicant(), password_hash)
    change = post(client, f"/grants/{grant.id}/actions/request_change",
                  {"reason": "会場の追加", "requested_yen": "45万"})
    assert change.headers["location"] == f"/grants/{grant.id}?done=request_change"
    sign_in(client, session, f.secretariat(), password_hash)
    post(client, f"/grants/{grant.id}/actions/approve_change")
    sign_in(client, session, f.applicant(), password_hash)
    assert post(client, f"/grants/{grant.id}/actions/submit_report",
                {"actual_cost_yen": "900,000", "outcomes": "観察会を3回開いた。"}).status_code == 303
    upload = client.post(f"/grants/{grant.id}/attachments",
                         data={"csrftoken": csrf(client)},
                         files={"file": ("現場写真.png", PNG, "image/png")}, follow_redirects=False)
    assert upload.status_code == 303
    page = client.get(f"/grants/{grant.id}").text
    assert "現場写真.png" in page and "様式第6号 実績報告書" in page
    links = re.findall(r'href="/documents/(\d+)"', page)
    award_notice = client.get(f"/documents/{links[1]}")
    assert award_notice.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert "交付決定通知書" in "".join(p.text for p in docx.Document(io.BytesIO(award_notice.content)).paragraphs)
    attachment = re.search(r'href="/attachments/(\d+)"', page).group(1)
    assert client.get(f"/attachments/{attachment}").content == PNG
    assert "経過" in page and "変更承認申請" in page and "会場の追加" in text(page)


# --- tenants -------------------------------------------------------------------------------

PAGES = ["/grants/{id}", "/grants/{id}/edit", "/grants/{id}/actions/start_review",
         "/grants/{id}/actions/withdraw"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("other", [f.applicant(f.TOWN), f.secretariat(f.WARD_ORG)],
                         ids=["other municipality", "other org"])
def test_another_tenants_grant_pages_read_like_nothing(client, session, password_hash, year,
                                                      path, other):
    grant = _grant(session, "submitted")
    sign_in(client, session, other, password_hash)
    theirs = client.get(path.format(id=grant.id))
    nothing = client.get(path.format(id=2_147_483_647))
    assert theirs.status_code == nothing.status_code == 404
    assert text(theirs.text) == text(nothing.text)
    assert grant.title not in theirs.text and "八王子市" not in theirs.text


def test_another_tenants_documents_and_forms_are_404_and_change_nothing(client, session,
                                                                       password_hash, year):
    grant = _grant(session, "under_review")
    sign_in(client, session, f.secretariat(f.WARD_ORG), password_hash)
    assert post(client, f"/grants/{grant.id}/actions/return", {"reason": "x"}).status_code == 404
    assert client.get("/documents/1").status_code == 404
    session.refresh(grant)
    assert grant.state == "under_review"


# --- the secretariat -----------------------------------------------------------------------

def test_queue_counts_filters_and_shows_the_longest_waiting_first(client, session,
                                                                password_hash, year):
    older = _grant(session, "submitted", title="里山A")
    _grant(session, "under_review", f.TOWN, title="緑地B")
    _grant(session, "submitted", f.WARD, title="区の事業")  # the other org's
    sign_in(client, session, f.secretariat(), password_hash)
    page = client.get("/")
    words = text(page.text)
    assert "審査の一覧（公益財団法人東京市町村自治調査会）" in words
    assert "申請受付 1" in words and "審査中 1" in words and "区の事業" not in words
    assert words.index("里山A") < words.index("緑地B")  # waiting longest first
    assert "上限額の使用状況" in words and "<svg" in page.text
    only = text(client.get(f"/?state=under_review&q=緑地&fiscal_year={YEAR}").text)
    assert "緑地B" in only and "里山A" not in only
    assert older.title in text(client.get(f"/?municipality_code={f.CITY}").text)


def test_action_forms_show_the_cap_and_budget_left_and_keep_what_was_typed_when_refused(
        client, session, password_hash, year):
    second = _grant(session, "under_review", requested_yen=700_000, project_cost_yen=900_000)
    first = _grant(session, "awarded", requested_yen=400_000, award=400_000)  # meanwhile
    assert first.awarded_yen == 400_000
    sign_in(client, session, f.secretariat(), password_hash)
    form = text(client.get(f"/grants/{second.id}/actions/award").text)
    assert "八王子市の上限額の残り 600,000円" in form and "予算額の残り 上限なし" in form
    refused = post(client, f"/grants/{second.id}/actions/award",
                   {"awarded_yen": "700,000", "decision_date": TODAY.isoformat(),
                    "conditions": "報告書を提出すること"})
    assert refused.status_code == 409
    assert alert(refused.text) == (f"八王子市の{YEAR_LABEL}（FY{YEAR}）の上限額 1,000,000円 のうち残りは "
                                   "600,000円 です。交付決定の金額 700,000円 はこれを超えます。")
    assert 'value="700,000"' in refused.text and "報告書を提出すること" in refused.text
    session.refresh(second)
    assert second.state == "under_review"


def test_only_the_actions_the_table_allows_are_offered(client, session, password_hash, year):
    grant = _grant(session, "under_review")
    sign_in(client, session, f.secretariat(), password_hash)
    page = client.get(f"/grants/{grant.id}").text
    offered = re.findall(r'/grants/\d+/actions/([a-z_]+)"', page)
    assert sorted(set(offered)) == ["award", "reject", "return"]
    assert client.get(f"/grants/{grant.id}/actions/confirm").status_code == 409
    assert client.get(f"/grants/{grant.id}/actions/nonsense").status_code == 404
    reject = post(client, f"/grants/{grant.id}/actions/reject", {})
    assert reject.status_code == 422 and "理由" in alert(reject.text)


# --- the auditor and the admin --------------------------------------------------------------

def test_auditor_reads_everything_and_runs_the_checks(client, session, password_hash, year):
    grant = _grant(session, "awarded")
    _grant(session, "submitted", f.WARD)
    sign_in(client, session, f.AUDITOR, password_hash)
    home = text(client.get("/").text)
    assert "すべての助成案件" in home and home.count(grant.title) == 2
    page = client.get(f"/grants/{grant.id}").text
    assert "次にできること" not in page and "ファイルを添付" not in page
    checks = text(client.get("/audit?check=true").text)
    assert "改ざんは見つかりません" in checks and "文書 3 件のハッシュが監査証跡と一致しました" in checks
    assert post(client, f"/grants/{grant.id}/actions/cancel", {"reason": "x"}).status_code == 403


def test_admin_manages_programs_and_users_with_the_rules_of_the_command_line(
        client, session, password_hash):
    sign_in(client, session, f.ADMIN, password_hash)
    assert client.get("/", follow_redirects=False).headers["location"] == "/admin"
    added = post(client, "/admin/programs", {"fiscal_year": "2030", "cap_yen": "150万",
                                             "budget_yen": "", "applications_open": "2030-04-01",
                                             "applications_close": "2030-06-30"})
    assert added.status_code == 303
    bad = post(client, "/admin/programs", {"fiscal_year": "2031", "cap_yen": "100万",
                                           "applications_open": "2031-04-01",
                                           "applications_close": "2032-04-01"})
    assert bad.status_code == 409 and "申請受付期間" in alert(bad.text)
    user = post(client, "/admin/users", {"username": "kikuchi", "role": "secretariat",
                                         "org_id": "shichoson-chosakai"})
    assert user.status_code == 200 and "kikuchi のパスワードを発行しました" in text(user.text)
    password = re.search(r"<code>([^<]+)</code>", user.text).group(1)
    assert len(password) >= 12
    wrong = post(client, "/admin/users", {"username": "x", "role": "applicant"})
    assert wrong.status_code == 422
    assert post(client, "/admin/users/kikuchi/disable").status_code == 303
    assert session.scalars(select(User).where(User.username == "kikuchi")).one().disabled
    assert client.get("/admin").status_code == 200


def test_only_admins_reach_the_admin_pages(client, session, password_hash):
    sign_in(client, session, f.secretariat(), password_hash)
    assert client.get("/admin").status_code == 403
    assert post(client, "/admin/users/someone/disable").status_code == 403


def test_the_queue_page_issues_as_many_statements_for_many_rows_as_for_few(
        client, session, password_hash, engine, year):
    from sqlalchemy import event

    counted = []

    def count(*_args) -> None:
        counted.append(1)

    def statements_of_a_render() -> int:
        client.get("/")
        counted.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(counted)

    _grant(session, "submitted")
    sign_in(client, session, f.secretariat(), password_hash)
    few = statements_of_a_render()
    for code in (f.CITY, f.TOWN) * 6:
        _grant(session, "under_review", code)
    many = statements_of_a_render()
    assert text(client.get("/").text).count("審査中") >= 12
    assert few == many, "a statement per row has crept in"


def test_the_queue_shows_what_waits_for_the_secretariat_and_all_on_request(client, session,
                                                                          password_hash, year):
    _grant(session, "submitted", title="審査を待つ事業")
    _grant(session, "returned", title="申請者の修正を待つ事業")
    _grant(session, "withdrawn", title="取り下げた事業")
    sign_in(client, session, f.secretariat(), password_hash)
    waiting = text(client.get("/").text)
    assert "審査を待つ事業" in waiting
    assert "申請者の修正を待つ事業" not in waiting and "取り下げた事業" not in waiting
    assert "取下げ 1" in waiting  # the counts cover every state
    everything = text(client.get("/?show=all").text)
    assert all(t in everything for t in ("審査を待つ事業", "申請者の修正を待つ事業", "取り下げた事業"))


def test_a_refused_upload_is_told_on_the_grants_page(client, session, password_hash, year):
    grant = _grant(session, "submitted")
    sign_in(client, session, f.secretariat(), password_hash)
    refused = client.post(f"/grants/{grant.id}/attachments", data={"csrftoken": csrf(client)},
                          files={"file": ("invoice.exe", b"MZ\x90\x00", "application/octet-stream")})
    assert refused.status_code == 422 and "種類は受け付けていません" in alert(refused.text)
    assert grant.title in refused.text
    empty = client.post(f"/grants/{grant.id}/attachments", data={"csrftoken": csrf(client),
                                                                 "file": "not a file"})
    assert empty.status_code == 422 and "ファイルが空です" in alert(empty.text)


def test_every_page_is_titled_in_plain_words(client, session, password_hash, year):
    """Each page's <title> (the tab and the bookmark) names the page and nothing else: no markup
    leaks into it from a template's blocks."""
    grant = _grant(session, "awarded")
    pages = {f.applicant(f.CITY): ["/", "/grants/new", f"/grants/{grant.id}",
                                   f"/grants/{grant.id}/actions/submit_report", "/notifications"],
             f.secretariat(f.CITY_ORG): ["/", f"/grants/{grant.id}", "/notifications"],
             f.AUDITOR: ["/", "/audit", "/notifications"],
             f.ADMIN: ["/admin", "/admin/notifications", "/notifications"]}
    for actor, paths in pages.items():
        client.cookies.clear()
        sign_in(client, session, actor, password_hash)
        for path in paths:
            page = client.get(path)
            assert page.status_code == 200, (actor.username, path)
            title = re.search(r"<title>(.*?)</title>", page.text, flags=re.S).group(1)
            assert "<" not in title and "&lt;" not in title and "\n" not in title, (path, title)
            name, _, site = title.partition("｜")
            assert name.strip() and site == "みどり東京・温暖化防止プロジェクト 助成金", (path, title)


def test_choosing_every_year_or_every_state_in_a_filter_means_no_filter(client, session,
                                                                       password_hash, year):
    grant = _grant(session, "submitted")
    sign_in(client, session, f.secretariat(), password_hash)
    page = client.get("/", params={"fiscal_year": "", "municipality_code": "", "state": "",
                                   "q": "", "show": "all"})
    assert page.status_code == 200 and grant.title in text(page.text)


def test_awarding_from_a_stale_tab_says_it_was_done_already_in_plain_words(client, session,
                                                                         password_hash, year):
    sign_in(client, session, f.applicant(), password_hash)
    post(client, "/grants/new", _application())
    grant = session.scalars(select(Grant)).one()
    sign_in(client, session, f.secretariat(), password_hash)
    post(client, f"/grants/{grant.id}/actions/start_review")
    award = {"awarded_yen": "40万", "decision_date": TODAY.isoformat()}
    assert post(client, f"/grants/{grant.id}/actions/award", award).status_code == 303
    again = post(client, f"/grants/{grant.id}/actions/award", award)  # the second tab
    shown = text(again.text) + alert(again.text)
    assert "この申請はすでに交付決定済みです（現在の状態: 交付決定）。画面を再読み込みしてください。" in shown
    assert "awarded" not in shown and "pay_advance" not in shown and "概算払" not in shown


@pytest.mark.parametrize("address", ["/grants/abc", "/grants/１２", "/grants/99999999999999999999",
                                     "/grants/-1/edit"])
def test_an_address_with_an_id_that_is_no_number_is_the_not_found_page(client, session,
                                                                       password_hash, address):
    sign_in(client, session, f.secretariat(), password_hash)
    response = client.get(address)
    assert response.status_code == 404
    assert "grant_id" not in response.text and "整数" not in response.text
    assert "見つかりません" in text(response.text)
