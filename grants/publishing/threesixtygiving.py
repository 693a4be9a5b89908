"""The published results of a fiscal year as open data in the 360Giving Data Standard (1.4):
a JSON grant package and its flattened CSV, whose column titles are the standard's own (read
from the schema the project ships, ``schemas/``).

Identifiers: a grant is ``{prefix}-{grant number}``, the same in every export and every year.
A municipality is ``JP-COR-{法人番号}``: org-id.guide's scheme for Japan's corporate numbers,
which every local government has, made of a check digit, ``000020`` and its 団体コード. An org
is the identifier set for it (GRANTS_ORG_IDENTIFIERS), else one under the publisher prefix."""

import csv
import io
import json
from collections.abc import Iterable
from functools import cache
from importlib import resources

from grants.core.clock import JST
from grants.core.ja.labels import CATEGORY_LABELS, DECLARED_ACTION_LABELS, PROGRAM_NAME
from grants.core.ja.site import OPEN_DATA
from grants.core.settings import Settings
from grants.core.wareki import fiscal_year_label
from grants.publishing.ledger_files import neutralise
from grants.publishing.results import PublishedGrant

VERSION = "1.4"
CURRENCY = "JPY"
COUNTRY = "JP"
TOKYO = "東京都"

# The flattened CSV: one row per grant, each column a path in the JSON (an array's first item
# where the standard rolls it up into the grant's row).
CSV_PATHS: tuple[tuple[str, ...], ...] = (
    ("id",), ("title",), ("description",), ("currency",), ("amountAppliedFor",),
    ("amountAwarded",), ("amountDisbursed",), ("awardDate",), ("url",),
    ("plannedDates", "startDate"), ("plannedDates", "endDate"),
    ("recipientOrganization", "id"), ("recipientOrganization", "name"),
    ("recipientOrganization", "addressRegion"), ("recipientOrganization", "addressCountry"),
    ("beneficiaryLocation", "name"), ("beneficiaryLocation", "countryCode"),
    ("beneficiaryLocation", "geoCode"),
    ("fundingOrganization", "id"), ("fundingOrganization", "name"),
    ("grantProgramme", "code"), ("grantProgramme", "title"),
    ("dateModified",), ("dataSource",),
)


@cache
def schema(name: str = "360-giving-schema.json") -> dict:
    return json.loads(resources.files("grants.publishing").joinpath("schemas", name).read_text("utf-8"))


def column_title(path: tuple[str, ...]) -> str:
    """The standard's column title of a path: "Amount Awarded", "Recipient Org:Identifier"."""
    grant = schema()
    head = grant["properties"][path[0]]
    if len(path) == 1:
        return head.get("title") or grant["$defs"][head["$ref"].rsplit("/", 1)[-1]]["title"]
    definition = head["items"]["$ref"].rsplit("/", 1)[-1]
    return f"{head['title']}:{grant['$defs'][definition]['properties'][path[1]]['title']}"


def corporate_number(municipality_code: str) -> str:
    """A local government's 13-digit 法人番号: the National Tax Agency's check digit, then
    000020 and the 6-digit 団体コード (東京都千代田区 131016 -> 8000020131016)."""
    base = f"000020{municipality_code}"
    weighted = sum(int(digit) * (2 if n % 2 == 0 else 1)
                   for n, digit in enumerate(reversed(base), start=1))
    return f"{9 - weighted % 9}{base}"


def recipient_id(municipality_code: str) -> str:
    return f"JP-COR-{corporate_number(municipality_code)}"


def funder_id(org_id: str, settings: Settings) -> str:
    return settings.org_identifiers.get(org_id) or f"{settings.threesixtygiving_prefix}-org-{org_id}"


def grant_id(grant: PublishedGrant, settings: Settings) -> str:
    return f"{settings.threesixtygiving_prefix}-{grant.id}"


def package(fiscal_year: int, grants: Iterable[PublishedGrant], settings: Settings) -> dict:
    """The year's grant package (JSON). Its dates are the latest publication's, so that the
    same results always make the same file."""
    grants = list(grants)
    site = settings.public_site_url
    data_url = f"{site}{fiscal_year}/360giving.json"
    modified = max(g.published_at for g in grants).astimezone(JST).isoformat(timespec="seconds")
    return {
        "version": VERSION,
        "title": OPEN_DATA["title"].format(year=fiscal_year_label(fiscal_year), program=PROGRAM_NAME),
        "description": OPEN_DATA["description"].format(year=fiscal_year_label(fiscal_year)),
        "identifier": f"{settings.threesixtygiving_prefix}-{fiscal_year}",
        "issued": modified, "modified": modified,
        "publisher": {"name": OPEN_DATA["publisher"].format(program=PROGRAM_NAME)},
        "license": settings.publication_license,
        "accessURL": f"{site}{fiscal_year}/", "downloadURL": data_url,
        "grants": [_grant(g, settings, data_url) for g in grants],
    }


def _grant(g: PublishedGrant, settings: Settings, data_url: str) -> dict:
    programme = f"{fiscal_year_label(g.fiscal_year)}{PROGRAM_NAME}"
    grant = {
        "id": grant_id(g, settings),
        "title": g.title,
        "description": g.public_summary or g.title,
        "currency": CURRENCY,
        "amountAppliedFor": g.requested_yen,
        "amountAwarded": g.confirmed_yen,
        "amountDisbursed": g.paid_yen,
        "awardDate": g.decision_date.isoformat() if g.decision_date else None,
        "url": f"{settings.public_site_url}grants/{g.id}/",
        "plannedDates": [{"startDate": g.project_start.isoformat(), "endDate": g.project_end.isoformat()}]
        if g.project_start and g.project_end else None,
        "recipientOrganization": [{
            "id": recipient_id(g.municipality_code), "name": g.municipality,
            "addressRegion": TOKYO, "addressCountry": COUNTRY,
            "organisationType": OPEN_DATA["local_government"],
        }],
        "beneficiaryLocation": [{"name": f"{TOKYO}{g.municipality}", "countryCode": COUNTRY,
                                 "geoCode": g.municipality_code}],
        "fundingOrganization": [{"id": funder_id(g.org_id, settings), "name": g.org}],
        "grantProgramme": [{"code": f"{settings.threesixtygiving_prefix}-FY{g.fiscal_year}",
                            "title": programme}],
        "classifications": _classifications(g),
        "dateModified": g.published_at.astimezone(JST).isoformat(timespec="seconds"),
        "dataSource": data_url,
    }
    # The standard has no empty values: what is unknown is left out.
    return {key: value for key, value in grant.items() if value not in (None, [])}


def _classifications(g: PublishedGrant) -> list[dict]:
    """The program's own vocabularies: the category and the declared actions."""
    pairs = [("category", g.category, CATEGORY_LABELS)] + [
        ("declared_action", action, DECLARED_ACTION_LABELS) for action in g.actions]
    return [{"vocabulary": vocabulary, "code": code, "title": labels[code]}
            for vocabulary, code, labels in pairs if code in labels]


def csv_bytes(data: dict) -> bytes:
    """The package flattened to one row per grant under the standard's column titles; UTF-8
    with a BOM and CRLF so that Excel opens it in Japanese, and no text read as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(column_title(path) for path in CSV_PATHS)
    for grant in data["grants"]:
        writer.writerow(_flat(grant, path) for path in CSV_PATHS)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _flat(grant: dict, path: tuple[str, ...]):
    value = grant.get(path[0])
    if len(path) == 2:
        value = value[0].get(path[1]) if value else None
    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else value


def json_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
