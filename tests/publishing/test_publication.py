"""SPEC §8, publication: the public pages, the Atom feed, the 360Giving open data and the
static copy of the site show published grants only, their public fields only, escaped; an
unpublished grant leaves them; the open data is valid 360Giving; the static copy's links all
resolve, from any sub-path, and the same data always gives the same files."""

import csv
import hashlib
import io
import json
import threading
import xml.etree.ElementTree as ET
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from grants.core.models import Municipality
from grants.core.settings import get_settings
from grants.publishing import site, threesixtygiving
from grants.publishing.results import published
from tests import factories as f
from workflows.machine import State

SCRIPT = '<script>alert("x")</script>里山&カフェ'
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def grants(session):
    """Two published grants (one titled like markup) and one grant in every other state, each
    in a municipality of its own so that the year's cap never stands in the way."""
    f.program(session, allows_advance=True)
    codes = [code for code in session.scalars(select(Municipality.code).order_by(Municipality.code))
             if code not in (f.CITY, f.WARD)]
    shown = {
        "city": f.grant_in(session, "published", f.CITY, title="市民協働による里山保全事業"),
        "ward": f.grant_in(session, "published", f.WARD, title=SCRIPT, category="warming_prevention",
                           actions=["cooperation"]),
    }
    hidden = {state.value: f.grant_in(session, state.value, code, title=f"非公表の事業・{state.value}")
              for state, code in zip((s for s in State if s is not State.published), codes, strict=False)}
    return shown, hidden


def _static(session, tmp_path: Path, name: str = "site") -> Path:
    public = site.Site(published(session), get_settings(), static=True)
    site.write(public, tmp_path / name)
    return tmp_path / name


def _everything_public(client, session, tmp_path) -> str:
    """Every public page, the feed and the open data, live and in the static copy, as text."""
    texts = [client.get(path).text for path in (
        "/public/", "/public/2025/", "/public/feed.atom", "/public/2025/360giving.json",
        "/public/2025/360giving.csv", f"/public/municipalities/{f.CITY}/")]
    texts += [p.read_text("utf-8-sig") for p in _static(session, tmp_path).rglob("*") if p.is_file()]
    return "\n".join(texts)


def test_a_grant_that_is_not_published_never_appears_in_pages_feed_data_or_static_copy(
        client, session, grants, tmp_path):
    shown, hidden = grants
    assert set(hidden) == {s.value for s in State} - {"published"}
    everything = _everything_public(client, session, tmp_path)
    assert shown["city"].title in everything
    for state, grant in hidden.items():
        assert grant.title not in everything, state
        assert client.get(f"/public/grants/{grant.id}/").status_code == 404, state
    assert not (tmp_path / "site" / "grants" / str(hidden["paid"].id)).exists()


def test_unpublish_removes_the_grant_from_pages_feed_data_and_static_copy(client, session, grants,
                                                                          tmp_path):
    city = grants[0]["city"]
    assert client.get(f"/public/grants/{city.id}/").status_code == 200
    _static(session, tmp_path)
    f.act(session, city, "unpublish")
    page = client.get(f"/public/grants/{city.id}/")
    assert page.status_code == 404 and "見つかりませんでした" in page.text
    assert client.get(f"/public/municipalities/{f.CITY}/").status_code == 404
    everything = _everything_public(client, session, tmp_path)  # rebuilds the same folder
    assert city.title not in everything
    assert not (tmp_path / "site" / "grants" / str(city.id)).exists()
    assert not (tmp_path / "site" / "municipalities" / f.CITY).exists()


def test_a_title_with_markup_is_shown_as_text(client, session, grants, tmp_path):
    ward = grants[0]["ward"]
    for path in ("/public/2025/", f"/public/grants/{ward.id}/", f"/public/municipalities/{f.WARD}/"):
        html = client.get(path).text
        assert "<script" not in html, path
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;里山&amp;カフェ" in html, path
    feed = ET.fromstring(client.get("/public/feed.atom").content)
    assert SCRIPT in [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")][0]
    static_page = (_static(session, tmp_path) / "grants" / str(ward.id) / "index.html").read_text()
    assert "<script" not in static_page and "&lt;script&gt;" in static_page


def test_public_pages_show_public_fields_only(client, session, grants):
    city = grants[0]["city"]
    page = client.get(f"/public/grants/{city.id}/")
    assert page.status_code == 200
    for shown in ("八王子市", city.title, "自然環境保護", "普及啓発、行動の場づくり",
                  "令和7年6月1日～令和8年2月28日", "300,000円", "市民120名と里山を保全しました。",
                  "観察会を4回開催し120名が参加した。", "公益財団法人東京市町村自治調査会"):
        assert shown in page.text, shown
    # The application's own summary, amounts asked for, people and reasons stay inside.
    for hidden in ("里山の下草刈りと観察会を市民と行う。", "applicant-", "secretariat-", "400,000円",
                   "600,000円", "550,000円"):
        assert hidden not in page.text, hidden


def test_the_year_page_groups_by_municipality_with_totals_and_a_chart(client, session, grants):
    f.grant_in(session, "published", f.CITY, title="市内の学校での温暖化防止授業")
    page = client.get("/public/2025/").text
    table = page[page.index('<table class="results">'):]
    assert table.index("千代田区") < table.index("八王子市")  # by municipality code
    assert table.count("八王子市") == 2  # its name once, and its subtotal
    assert "八王子市　小計</td><td class=\"number\">600,000円" in table
    assert "令和7年度　合計（3件）</th>\n    <td class=\"number\">900,000円" in table
    svg = page[page.index("<svg"):page.rindex("</svg>")]
    for label in ("自然環境保護 600,000円", "地球温暖化防止 300,000円", "普及啓発 600,000円",
                  "連携体制構築 300,000円", "行動の場づくり 600,000円"):
        assert label in svg, label


def test_the_index_lists_fiscal_years_with_totals(client, grants):
    page = client.get("/public/").text
    assert "令和7年度" in page and 'href="2025/"' in page and "600,000円" in page


def test_the_feed_is_atom_with_absolute_links_to_the_grants(client, grants):
    answer = client.get("/public/feed.atom")
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.content)
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
    assert sorted(links) == sorted(f"http://127.0.0.1:8000/public/grants/{g.id}/"
                                   for g in grants[0].values())


@pytest.mark.parametrize("path", [
    "/public/abc/", "/public/99999/", "/public/2024/", "/public/municipalities/xyz/",
    "/public/municipalities/13201/", "/public/municipalities/999999/", "/public/grants/0/",
    "/public/grants/x/", "/public/grants/99999999999999999999/", "/public/2024/360giving.json",
    "/public/%00/360giving.csv"])
def test_a_public_address_that_shows_nothing_is_not_found(client, grants, path):
    answer = client.get(path)
    assert answer.status_code == 404 and "見つかりませんでした" in answer.text


def test_an_address_without_its_last_slash_leads_to_the_page(client, grants):
    city = grants[0]["city"]
    assert client.get(f"/public/grants/{city.id}").url.path == f"/public/grants/{city.id}/"


# --- open data (360Giving) -------------------------------------------------------------------

def _validator() -> Draft202012Validator:
    """The package schema, its grants checked against the grant schema (shipped in the
    project), with formats (dates, URIs) checked too."""
    def load(name: str) -> dict:
        return json.loads(resources.files("grants.publishing").joinpath("schemas", name).read_text())
    grant, package = load("360-giving-schema.json"), load("360-giving-package-schema.json")
    # The schemas name their dialect by an http:// address the library does not know by that
    # spelling; they are 2020-12, as said. The package refers to the grant schema as of 1.4.2.
    registry = Registry().with_resources(
        (uri, DRAFT202012.create_resource(grant))
        for uri in (grant["$id"], package["properties"]["grants"]["items"]["$ref"]))
    return Draft202012Validator(package, registry=registry, format_checker=FormatChecker())


def test_the_360giving_json_validates_against_the_package_schema(client, grants):
    data = client.get("/public/2025/360giving.json").json()
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in _validator().iter_errors(data)]
    assert problems == []
    assert {g["currency"] for g in data["grants"]} == {"JPY"}
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    # The check can fail: a grant without its amount is not valid 360Giving.
    del data["grants"][0]["amountAwarded"], data["grants"][0]["currency"]
    data["grants"][0]["awardDate"] = "2025年5月20日"
    assert list(_validator().iter_errors(data))


def test_the_360giving_csv_has_the_standards_column_titles(client, grants):
    answer = client.get("/public/2025/360giving.csv")
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"), newline="")))
    assert list(rows[0])[:11] == ["Identifier", "Title", "Description", "Currency", "Amount Applied For",
                                  "Amount Awarded", "Amount Disbursed", "Award Date", "URL",
                                  "Planned Dates:Start Date", "Planned Dates:End Date"]
    for title in ("Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier",
                  "Funding Org:Name", "Grant Programme:Title", "Beneficiary Location:Name",
                  "Last Modified", "Data Source"):
        assert title in rows[0], title
    city = next(row for row in rows if row["Recipient Org:Name"] == "八王子市")
    assert city["Amount Awarded"] == "300000" and city["Currency"] == "JPY"
    assert city["Recipient Org:Identifier"] == "JP-COR-1000020132012"


def test_grant_ids_are_stable_across_exports_and_years(client, session, grants):
    before = {g["title"]: g["id"] for g in client.get("/public/2025/360giving.json").json()["grants"]}
    f.program(session, 2026)
    f.act(session, grants[0]["city"], "unpublish")
    f.act(session, grants[0]["city"], "publish")
    after = {g["title"]: g["id"] for g in client.get("/public/2025/360giving.json").json()["grants"]}
    assert before == after == {g.title: f"360G-midoritokyo-{g.id}" for g in grants[0].values()}


def test_recipients_are_named_by_their_corporate_number_and_funders_by_setting(client, grants,
                                                                              monkeypatch):
    assert threesixtygiving.corporate_number("130001"[:0] + "131016") == "8000020131016"
    data = client.get("/public/2025/360giving.json").json()
    ward = next(g for g in data["grants"] if g["recipientOrganization"][0]["name"] == "千代田区")
    assert ward["recipientOrganization"][0]["id"] == "JP-COR-8000020131016"
    assert ward["fundingOrganization"][0] == {"id": "360G-midoritokyo-org-tokubetsuku-kyogikai",
                                              "name": "公益財団法人特別区協議会"}
    monkeypatch.setenv("GRANTS_ORG_IDENTIFIERS", '{"tokubetsuku-kyogikai": "JP-COR-1234567890123"}')
    monkeypatch.setenv("GRANTS_PUBLICATION_LICENSE", "https://creativecommons.org/publicdomain/zero/1.0/")
    get_settings.cache_clear()
    try:
        data = client.get("/public/2025/360giving.json").json()
        page = client.get("/public/").text
    finally:
        get_settings.cache_clear()
    ward = next(g for g in data["grants"] if g["recipientOrganization"][0]["name"] == "千代田区")
    assert ward["fundingOrganization"][0]["id"] == "JP-COR-1234567890123"
    assert data["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert "CC0 1.0" in page


def test_a_title_like_a_formula_is_inert_in_the_open_data_csv(client, session, grants):
    f.grant_in(session, "published", f.TOWN, title="=HYPERLINK(\"http://x\",\"y\")")
    text = client.get("/public/2025/360giving.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


# --- the static copy -------------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.found += [value for name, value in attrs if name in ("href", "src") and value]


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.found


def test_every_link_in_the_static_copy_resolves_to_a_file_in_it(session, grants, tmp_path):
    root = _static(session, tmp_path)
    pages = list(root.rglob("*.html"))
    assert len(pages) == 1 + 1 + 2 + 2  # the index, one year, two municipalities, two grants
    checked = 0
    for page in pages:
        for href in _links(page.read_text()):
            if urlsplit(href).scheme:  # the licence's own page
                continue
            target = (page.parent / href).resolve()
            assert target.is_file() and target.is_relative_to(root), f"{page}: {href}"
            checked += 1
    assert checked > 40


def test_the_static_copy_works_served_from_a_sub_path(session, grants, tmp_path):
    root = _static(session, tmp_path)

    class UnderSubPath(SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            if not path.startswith("/sub/path/"):
                return str(root / "no-such-file")
            return super().translate_path(path[len("/sub/path"):])

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(UnderSubPath, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    start = f"http://127.0.0.1:{server.server_address[1]}/sub/path/"
    try:
        seen, queue = set(), [start]
        with httpx.Client() as http:
            while queue:
                url = queue.pop()
                if url in seen:
                    continue
                seen.add(url)
                answer = http.get(url)
                assert answer.status_code == 200, url
                assert urlsplit(url).path.startswith("/sub/path/"), url
                if answer.headers["content-type"].startswith("text/html"):
                    queue += [urljoin(url, href) for href in _links(answer.text)
                              if not urlsplit(href).scheme]
    finally:
        server.shutdown()
        server.server_close()
    assert {urlsplit(u).path.rsplit("/", 1)[-1] for u in seen} >= {
        "public.css", "feed.atom", "360giving.json", "360giving.csv", "index.html"}


def test_building_twice_from_the_same_data_gives_identical_files(session, grants, tmp_path):
    def digests(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}
    first = digests(_static(session, tmp_path, "one"))
    assert first == digests(_static(session, tmp_path, "two"))
    assert first == digests(_static(session, tmp_path, "one"))  # and over its own earlier copy


def test_the_build_refuses_a_folder_it_did_not_write(session, grants, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "keep.txt").write_text("大事なファイル")
    from grants.core.errors import InvalidInput
    with pytest.raises(InvalidInput, match="公開サイト以外のファイル"):
        _static(session, tmp_path)
    assert (tmp_path / "site" / "keep.txt").read_text() == "大事なファイル"


def test_the_staff_grant_page_links_to_the_public_page_once_published(client, session, grants,
                                                                      password_hash):
    from tests.web_support import sign_in
    city = grants[0]["city"]
    sign_in(client, session, f.secretariat(f.CITY_ORG), password_hash)
    assert f'href="/public/grants/{city.id}/"' in client.get(f"/grants/{city.id}").text
    paid = grants[1]["paid"]
    assert "/public/grants/" not in client.get(f"/grants/{paid.id}").text


def test_grants_site_build_on_the_command_line(fresh_engine, monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from grants.cli import app as cli_app
    from grants.core.db import unit_of_work
    engine = fresh_engine()
    monkeypatch.setenv("GRANTS_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        with unit_of_work(engine) as session:
            f.program(session)
            city = f.grant_in(session, "published")
        runner = CliRunner()
        out = tmp_path / "公開サイト"
        done = runner.invoke(cli_app, ["site", "build", str(out), "--base-url",
                                       "https://www.example.jp/midori/jisseki/"])
        assert done.exit_code == 0, done.output
        assert "公表済みの助成 1 件" in done.output and "8 ファイル" in done.output
        feed = ET.fromstring((out / "feed.atom").read_bytes())
        assert feed.find(f"{ATOM}entry/{ATOM}id").text == \
            f"https://www.example.jp/midori/jisseki/grants/{city.id}/"
        data = json.loads((out / "2025" / "360giving.json").read_text())
        assert data["grants"][0]["url"] == f"https://www.example.jp/midori/jisseki/grants/{city.id}/"
        bad = runner.invoke(cli_app, ["site", "build", str(out), "--base-url", "javascript:alert(1)"])
        assert bad.exit_code == 2 and "アドレスではありません" in bad.output
        (tmp_path / "other").mkdir()
        (tmp_path / "other" / "index.html").write_text("program's own page")
        refused = runner.invoke(cli_app, ["site", "build", str(tmp_path / "other")])
        assert refused.exit_code == 1 and "公開サイト以外のファイル" in refused.output
        assert (tmp_path / "other" / "index.html").read_text() == "program's own page"
    finally:
        get_settings.cache_clear()
