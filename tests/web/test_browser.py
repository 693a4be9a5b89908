"""In a real browser (Debian's chromium, driven by Playwright; never a downloaded one), against
the real server: an applicant applies, correcting amounts typed the wrong way; the secretariat
starts the review and awards; the applicant sees 交付決定 and downloads 様式第2号. Every main
screen of each role is photographed (under the test's output folder) and checked with axe-core:
no violation of serious or critical impact."""

import io
import shutil

import docx
import pytest

from bench.serving import served
from grants.core.clock import japan_date, utcnow
from grants.core.dates import fiscal_year_bounds, fiscal_year_of
from grants.core.db import unit_of_work
from grants.core.programs import add_program
from grants.core.users import add_user
from tests import factories as f
from tests.conftest import PASSWORD
from tests.support import need

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TODAY = japan_date(utcnow())
YEAR = fiscal_year_of(TODAY)
FIRST, LAST = fiscal_year_bounds(YEAR)
PEOPLE = {"hachioji": ("applicant", f.CITY, None), "shichoson": ("secretariat", None, f.CITY_ORG),
          "auditor": ("auditor", None, None), "admin": ("admin", None, None)}


@pytest.fixture(scope="module")
def server(databases):
    """The app served by uvicorn on its own database, this year's program open."""
    engine = databases.make()
    with unit_of_work(engine) as session:
        add_program(session, fiscal_year=YEAR, applications_open=FIRST, applications_close=LAST)
        for name, (role, code, org) in PEOPLE.items():
            add_user(session, {"username": name, "role": role, "password": PASSWORD,
                               "municipality_code": code, "org_id": org})
    with served(engine.url.render_as_string(hide_password=False)) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    need(CHROMIUM is not None, "chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def screens(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screens")
    print(f"screenshots: {folder}")
    return folder


class Visit:
    """One person at the browser: signs in, looks, and has each screen photographed and
    checked for accessibility."""

    def __init__(self, browser, base: str, screens, width: int = 1280) -> None:
        self.context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo",
                                           viewport={"width": width, "height": 900},
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.base, self.screens = base, screens
        self.findings: dict[str, list] = {}

    def sign_in(self, username: str) -> None:
        self.page.goto(self.base + "/")
        self.page.fill("#username", username)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def look(self, name: str) -> None:
        from axe_playwright_python.sync_playwright import Axe
        self.page.screenshot(path=str(self.screens / f"{name}.png"), full_page=True)
        results = Axe().run(self.page)
        self.findings[name] = [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
                               if v["impact"] in ("serious", "critical")]

    def sign_out(self) -> None:
        self.page.click("text=ログアウト")
        self.context.close()


def test_apply_review_award_and_download_the_notice_in_a_browser(server, browser, screens):
    applicant = Visit(browser, server, screens)
    applicant.page.goto(server + "/")
    applicant.look("sign-in")
    applicant.sign_in("hachioji")
    assert applicant.page.locator("h1").inner_text() == "八王子市の助成申請"
    applicant.look("applicant-home")
    applicant.page.click("text=新しい申請を作成")
    page = applicant.page
    page.fill("#title", "里山の下草刈りと観察会")
    page.check("input[value=nature_conservation]")
    page.check("input[value=awareness]")
    page.fill("#summary", "市民と下草刈りを行い、観察会を開く。")
    page.fill("#project_start", FIRST.isoformat())
    page.fill("#project_end", LAST.isoformat())
    page.fill("#project_cost_yen", "１，０００，０００")
    page.fill("#requested_yen", "50万円")  # not one of the ways an amount is written
    page.click("button[value=submit]")
    assert "100万 のいずれかの形で入力してください" in page.locator("#error-requested_yen").inner_text()
    assert page.locator("#requested_yen").get_attribute("aria-invalid") == "true"
    assert page.locator("#project_cost_yen").input_value() == "１，０００，０００"  # kept as typed
    applicant.look("application-refused")
    page.fill("#requested_yen", "50万")
    page.click("button[value=submit]")
    assert "申請を提出しました。" in page.locator("[role=status]").inner_text()
    assert "申請済み（審査待ち）" in page.locator(".state").first.inner_text()
    grant_url = page.url.split("?")[0]
    applicant.look("grant-applicant")
    applicant.sign_out()

    staff = Visit(browser, server, screens)
    staff.sign_in("shichoson")
    assert "審査の一覧" in staff.page.locator("h1").inner_text()
    staff.look("secretariat-queue")
    staff.page.click("text=里山の下草刈りと観察会")
    staff.page.click("button:has-text('審査開始')")
    assert "審査中" in staff.page.locator(".state").first.inner_text()
    staff.page.click("a:has-text('交付決定')")
    assert "八王子市の上限額の残り" in staff.page.content()
    staff.look("award-form")
    staff.page.fill("#awarded_yen", "40万")
    staff.page.fill("#decision_date", TODAY.isoformat())
    staff.page.click("button:has-text('交付決定')")
    assert "交付決定しました" in staff.page.locator("[role=status]").inner_text()
    staff.look("grant-secretariat")
    staff.sign_out()

    back = Visit(browser, server, screens)
    back.sign_in("hachioji")
    assert "交付決定" in back.page.locator("table").inner_text()
    assert "未読" in back.page.locator("header .inbox").inner_text()
    back.page.click("header .inbox")
    assert "交付決定" in back.page.locator(".notices li.unread").first.inner_text()
    back.look("applicant-inbox")
    back.page.goto(grant_url)
    with back.page.expect_download() as waiting:
        back.page.click("text=様式第2号 交付決定通知書")
    download = waiting.value
    assert "様式第2号" in download.suggested_filename and download.suggested_filename.endswith(".docx")
    saved = screens / "notice.docx"
    download.save_as(saved)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs)
    assert "交付決定通知書" in text and "八王子市長" in text
    back.sign_out()

    for who in ("auditor", "admin"):
        other = Visit(browser, server, screens)
        other.sign_in(who)
        other.look(f"{who}-home")
        if who == "auditor":
            other.page.click("text=監査証跡と文書の検証へ")
            other.page.click("button:has-text('検証する')")
            assert "改ざんは見つかりません" in other.page.content()
            other.look("auditor-checks")
            other.page.goto(server + "/ledger")
            other.look("auditor-ledger")
            other.page.check("input[value=xlsx]")
            with other.page.expect_download() as waiting:
                other.page.click("button:has-text('出力する')")
            assert waiting.value.suggested_filename.endswith(".xlsx")
        else:
            other.page.goto(server + "/admin/notifications")
            assert other.page.locator("h1").inner_text() == "送信できなかったメール"
            other.look("admin-failed-mail")
        other.sign_out()
        applicant.findings.update(other.findings)

    findings = {**applicant.findings, **staff.findings, **back.findings}
    assert set(findings) >= {"sign-in", "applicant-home", "application-refused", "grant-applicant",
                             "secretariat-queue", "award-form", "grant-secretariat",
                             "applicant-inbox", "admin-failed-mail", "auditor-ledger"}
    assert {name: found for name, found in findings.items() if found} == {}


def test_every_main_screen_reads_on_a_phone(server, browser, screens):
    phone = Visit(browser, server, screens, width=360)
    phone.sign_in("hachioji")
    for name, path in (("phone-applicant-home", "/"), ("phone-application", "/grants/new"),
                       ("phone-inbox", "/notifications")):
        phone.page.goto(server + path)
        phone.look(name)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} is {width}px wide on a 360px phone"
    assert {name: found for name, found in phone.findings.items() if found} == {}
    phone.sign_out()


def test_the_public_results_read_in_a_browser_live_and_as_the_static_copy(databases, browser,
                                                                          screens, tmp_path):
    """The public site with nobody signed in, on a desktop and a phone, from the app and from
    the static copy opened as files: readable, no markup run, no accessibility violation."""
    from grants.core.settings import get_settings
    from grants.publishing import site
    from grants.publishing.results import published
    engine = databases.make()
    with unit_of_work(engine) as session:
        f.program(session)
        f.grant_in(session, "published", f.CITY)
        marked = f.grant_in(session, "published", f.WARD, title='<img src=x onerror="alert(1)">の森')
        f.grant_in(session, "paid", f.TOWN, title="まだ公表していない事業")
        site.write(site.Site(published(session), get_settings(), static=True), tmp_path / "site")
    visitor = Visit(browser, "", screens)
    dialogs: list[str] = []
    visitor.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with served(engine.url.render_as_string(hide_password=False)) as base:
        for name, path in (("public-home", "/public/"), ("public-year", "/public/2025/"),
                           ("public-grant", f"/public/grants/{marked.id}/")):
            visitor.page.goto(base + path)
            visitor.look(name)
        assert "<img src=x" in visitor.page.locator("h1").inner_text()
        assert "まだ公表していない事業" not in visitor.page.content()
        phone = Visit(browser, "", screens, width=360)
        for name, path in (("phone-public-year", "/public/2025/"),
                           ("phone-public-grant", f"/public/grants/{marked.id}/")):
            phone.page.goto(base + path)
            phone.look(name)
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{name} is {width}px wide on a 360px phone"
    visitor.page.goto((tmp_path / "site" / "index.html").as_uri())
    visitor.page.click("text=令和7年度")
    visitor.page.click("text=千代田区")
    assert visitor.page.locator("h1").inner_text() == "千代田区の助成実績（全年度）"
    visitor.look("public-static-municipality")
    assert dialogs == []
    findings = {**visitor.findings, **phone.findings}
    assert {name: found for name, found in findings.items() if found} == {}
    engine.dispose()


def test_back_after_signing_out_shows_nothing_private(server, browser, screens):
    """Signed-in pages are not kept (Cache-Control: no-store): Back after signing out asks
    the server again, which asks for a sign-in, instead of showing the page from memory."""
    person = Visit(browser, server, screens)
    person.sign_in("hachioji")
    person.page.goto(server + "/account")
    assert "hachioji" in person.page.content()
    person.page.goto(server + "/")
    assert person.page.locator("h1").inner_text() == "八王子市の助成申請"
    person.page.click("text=ログアウト")
    person.page.wait_for_load_state()
    person.page.go_back()
    person.page.wait_for_load_state()
    assert "八王子市の助成申請" not in person.page.content()
    assert person.page.locator("#username").count() == 1  # asked to sign in again
    person.page.screenshot(path=str(screens / "back-after-sign-out.png"))
    person.context.close()
