"""The 62 municipalities and the two orgs, shipped with the package and seeded by
``grants init``. A code whose check digit is wrong is refused."""

import csv
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select
from sqlmodel import Session

from grants.core.errors import InvalidInput
from grants.core.ja.messages import message
from grants.core.models import Municipality, Org

ORGS = {
    "tokubetsuku-kyogikai": "公益財団法人特別区協議会",
    "shichoson-chosakai": "公益財団法人東京市町村自治調査会",
}
KINDS = {"特別区", "市", "町", "村"}


def check_digit(first_five: str) -> int:
    """The 全国地方公共団体コード check digit: weights 6..2, modulus 11, last digit of 11 - r."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def validate_code(code: str) -> str:
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise InvalidInput(message("bad_code_format", code=code), problems={"code": code})
    expected = check_digit(code[:5])
    if int(code[5]) != expected:
        raise InvalidInput(
            message("bad_check_digit", code=code, expected=f"{code[:5]}{expected}"),
            problems={"code": code},
        )
    return code


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    kana: str
    kind: str
    jurisdiction: str


def read_rows(text: str) -> list[Row]:
    rows = []
    for record in csv.DictReader(text.splitlines()):
        row = Row(**{key: value.strip() for key, value in record.items()})
        validate_code(row.code)
        if row.kind not in KINDS or row.jurisdiction not in ORGS:
            raise InvalidInput(f"municipalities.csv: {row.code} has kind {row.kind!r} "
                               f"and jurisdiction {row.jurisdiction!r}")
        rows.append(row)
    return rows


def shipped_rows() -> list[Row]:
    text = resources.files("grants.core").joinpath("data/municipalities.csv").read_text("utf-8")
    return read_rows(text)


def seed(session: Session) -> int:
    """Insert or update the orgs and municipalities; returns how many municipalities."""
    for org_id, name in ORGS.items():
        org = session.get(Org, org_id) or Org(id=org_id, name=name)
        org.name = name
        session.add(org)
    session.flush()
    existing = {m.code: m for m in session.scalars(select(Municipality))}
    rows = shipped_rows()
    for row in rows:
        municipality = existing.get(row.code) or Municipality(code=row.code)
        municipality.name, municipality.kana = row.name, row.kana
        municipality.kind, municipality.org_id = row.kind, row.jurisdiction
        session.add(municipality)
    session.flush()
    return len(rows)


def list_municipalities(session: Session, *, org_id: str | None = None) -> list[Municipality]:
    """The municipalities by code, all or one org's."""
    statement = select(Municipality).order_by(Municipality.code)
    if org_id is not None:
        statement = statement.where(Municipality.org_id == org_id)
    return list(session.scalars(statement))
