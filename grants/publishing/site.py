"""The public site (SPEC §8): the published results as pages anyone may read, an Atom feed
and the open data, rendered the same way for the app's /public/ and for the static copy that
``grants site build`` writes for the program's web host.

Every link is relative to the page it is on, so the site works wherever it is served from
(/public/, /sub/path/, or files on a disk); the static copy names ``index.html`` in its links
so that they resolve to files even without a web server."""

import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from grants.core.clock import JST, japan_date
from grants.core.errors import InvalidInput, NotFound
from grants.core.ja.labels import CATEGORY_LABELS, DECLARED_ACTION_LABELS, PROGRAM_NAME, yen
from grants.core.ja.messages import message
from grants.core.ja.pages import PAGE
from grants.core.ja.site import LICENSE_LABELS, OPEN_DATA, PUBLIC_SITE
from grants.core.settings import Settings
from grants.core.wareki import fiscal_year_label, wareki_date
from grants.publishing import results, threesixtygiving
from grants.publishing.results import PublishedGrant

STYLESHEET = "public.css"
FEED = "feed.atom"
FEED_ENTRIES = 50
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def year_path(fiscal_year: int) -> str:
    return f"{fiscal_year}/"


def municipality_path(code: str) -> str:
    return f"municipalities/{code}/"


def grant_path(grant_id: int) -> str:
    return f"grants/{grant_id}/"


def data_path(fiscal_year: int, extension: str) -> str:
    return f"{fiscal_year}/360giving.{extension}"


@dataclass(frozen=True)
class Links:
    """Links from a page at ``depth`` folders below the site's top to another page."""

    depth: int
    static: bool

    def __call__(self, path: str = "") -> str:
        if self.static and (path == "" or path.endswith("/")):
            path += "index.html"
        return ("../" * self.depth + path) or "./"


def _period(grant: PublishedGrant) -> str:
    if not (grant.project_start and grant.project_end):
        return PAGE["none"]
    return PUBLIC_SITE["period_range"].format(start=wareki_date(grant.project_start),
                                                 end=wareki_date(grant.project_end))


env = Environment(loader=PackageLoader("grants.publishing", "templates"),
                  autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                  trim_blocks=True, lstrip_blocks=True)
env.filters.update(
    wareki=lambda day: wareki_date(day) if day else PAGE["none"],
    on=lambda moment: wareki_date(japan_date(moment)),
    yen=yen, fiscal_year=fiscal_year_label, period=_period,
    category=lambda key: CATEGORY_LABELS.get(key or "", PAGE["none"]),
    declared=lambda keys: "、".join(DECLARED_ACTION_LABELS[k] for k in keys or []
                                   if k in DECLARED_ACTION_LABELS) or PAGE["none"],
)
env.globals.update(w=PUBLIC_SITE, program=PROGRAM_NAME,
                   CATEGORY_LABELS=CATEGORY_LABELS, ACTION_LABELS=DECLARED_ACTION_LABELS)


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    yen: int
    share: float  # of the longest bar, 0..1


def bars(amounts: dict[str, int], labels: dict[str, str]) -> list[Bar]:
    longest = max(amounts.values(), default=0) or 1
    return [Bar(key, labels[key], yen, yen / longest) for key, yen in amounts.items()]


class Site:
    """The pages made from a list of published grants (all of them, or a narrower list for
    one page of the live site)."""

    def __init__(self, grants: list[PublishedGrant], settings: Settings, *, static: bool) -> None:
        self.grants = grants
        self.settings = settings
        self.static = static

    @cached_property
    def years(self) -> dict[int, list[PublishedGrant]]:
        return results.by_year(self.grants)

    @cached_property
    def by_code(self) -> dict[str, list[PublishedGrant]]:
        return {group.code: group.grants for group in results.by_municipality(self.grants)}

    @cached_property
    def by_id(self) -> dict[int, PublishedGrant]:
        return {grant.id: grant for grant in self.grants}

    @cached_property
    def license_label(self) -> str:
        url = self.settings.publication_license
        return LICENSE_LABELS.get(url, url)

    def _render(self, template: str, path: str, **context) -> str:
        return env.get_template(template).render(
            link=Links(path.count("/"), self.static), license_url=self.settings.publication_license,
            license_label=self.license_label, stylesheet=STYLESHEET, feed=FEED,
            year_path=year_path, municipality_path=municipality_path, grant_path=grant_path,
            data_path=data_path, **context)

    # --- the pages ------------------------------------------------------------------------

    def home(self) -> str:
        return self._render("home.html", "", years=[
            (year, results.totals(grants)) for year, grants in self.years.items()],
            overall=results.totals(self.grants))

    def year(self, fiscal_year: int) -> str:
        grants = _found(self.years.get(fiscal_year))
        return self._render(
            "year.html", year_path(fiscal_year), fiscal_year=fiscal_year,
            groups=results.by_municipality(grants), total=results.totals(grants),
            by_category=bars(results.amounts_by_category(grants), CATEGORY_LABELS),
            by_action=bars(results.amounts_by_action(grants), DECLARED_ACTION_LABELS))

    def municipality(self, code: str) -> str:
        grants = _found(self.by_code.get(code))
        return self._render("municipality.html", municipality_path(code),
                            municipality=grants[0].municipality, code=code,
                            years=results.by_year(grants), total=results.totals(grants))

    def grant(self, grant_id: int) -> str:
        grant = _found(self.by_id.get(grant_id))
        return self._render("grant.html", grant_path(grant_id), grant=grant)

    # --- the feed and the open data -------------------------------------------------------

    def feed(self) -> bytes:
        """The newest published results as Atom, its links absolute (feed readers and the
        program's website take them out of the site). Dated by the newest result, not by now,
        so that the same results always give the same feed."""
        site = self.settings.public_site_url
        newest = sorted(self.grants, key=lambda g: (g.published_at, g.id), reverse=True)
        newest = newest[:FEED_ENTRIES]
        ET.register_namespace("", ATOM)
        feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: "ja"})
        _text(feed, "title", OPEN_DATA["feed_title"].format(program=PROGRAM_NAME))
        _text(feed, "id", site + FEED)
        _text(feed, "updated", _stamp(newest[0].published_at if newest else None))
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=site + FEED)
        ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=site)
        _text(ET.SubElement(feed, f"{{{ATOM}}}author"), "name",
              OPEN_DATA["publisher"].format(program=PROGRAM_NAME))
        _text(feed, "rights", self.license_label)
        for grant in newest:
            url = site + grant_path(grant.id)
            entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
            _text(entry, "title", f"{grant.municipality}　{grant.title}")
            _text(entry, "id", url)
            _text(entry, "updated", _stamp(grant.published_at))
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
            if grant.category in CATEGORY_LABELS:
                ET.SubElement(entry, f"{{{ATOM}}}category", term=grant.category,
                              label=CATEGORY_LABELS[grant.category])
            _text(entry, "summary", "　".join(filter(None, (
                fiscal_year_label(grant.fiscal_year), yen(grant.confirmed_yen),
                grant.public_summary))))
        return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"

    def open_data(self, fiscal_year: int, extension: str) -> bytes:
        grants = _found(self.years.get(fiscal_year))
        data = threesixtygiving.package(fiscal_year, grants, self.settings)
        if extension == "json":
            return threesixtygiving.json_bytes(data)
        return threesixtygiving.csv_bytes(data)

    # --- the whole site, for the static copy ----------------------------------------------

    def files(self) -> Iterator[tuple[str, bytes]]:
        """Every file of the site as (path, content), in a fixed order."""
        yield "index.html", self.home().encode("utf-8")
        yield STYLESHEET, stylesheet()
        yield FEED, self.feed()
        for fiscal_year in self.years:
            yield year_path(fiscal_year) + "index.html", self.year(fiscal_year).encode("utf-8")
            for extension in ("json", "csv"):
                yield data_path(fiscal_year, extension), self.open_data(fiscal_year, extension)
        for code in self.by_code:
            yield municipality_path(code) + "index.html", self.municipality(code).encode("utf-8")
        for grant in self.grants:
            yield grant_path(grant.id) + "index.html", self.grant(grant.id).encode("utf-8")

    def count(self) -> int:
        """How many files ``files`` yields (for a progress bar)."""
        return 3 + 3 * len(self.years) + len(self.by_code) + len(self.grants)


def stylesheet() -> bytes:
    return resources.files("grants.publishing").joinpath("static", STYLESHEET).read_bytes()


def absent() -> NotFound:
    """A page that is not there, or a grant that is not (or no longer) published: the same."""
    return NotFound(PUBLIC_SITE["not_found"], code="not_published")


def _found(value):
    if not value:
        raise absent()
    return value


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _stamp(moment) -> str:
    if moment is None:
        return date(2000, 1, 1).isoformat() + "T00:00:00+09:00"
    return moment.astimezone(JST).isoformat(timespec="seconds")


# --- the static copy --------------------------------------------------------------------

MARKER = ".grants-site"  # names a folder as a copy this command wrote, and may replace


def write(site: Site, outdir: Path, progress: Callable[[int], None] | None = None) -> int:
    """Every file of the site under ``outdir``, replacing an earlier copy there as a whole
    (so that a grant no longer published leaves no page behind). A folder that holds anything
    else is refused, never emptied. Returns the number of files."""
    outdir = outdir.resolve()
    if outdir.exists() and (not outdir.is_dir() or (any(outdir.iterdir())
                                                     and not (outdir / MARKER).exists())):
        raise InvalidInput(message("site_folder_not_ours", path=outdir))
    outdir.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.", dir=outdir.parent))
    try:
        written = 0
        for path, content in site.files():
            target = building / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            written += 1
            if progress:
                progress(1)
        (building / MARKER).write_text(message("site_marker"), encoding="utf-8")
        building.chmod(0o755)  # mkdtemp makes the folder private; a web host must read it
        if outdir.exists():
            shutil.rmtree(outdir)
        building.rename(outdir)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return written
