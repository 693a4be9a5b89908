"""The grant ledger as files: CSV (UTF-8 with BOM and CRLF, which Excel opens in Japanese),
XLSX (numbers as numbers, dates as dates, a frozen header row, an autofilter) and JSON (the
English keys). Each is written as a stream of chunks, never whole in memory, and each export
is recorded in the audit trail with its filter, its number of rows and the file's SHA-256.

Text that a spreadsheet would run as a formula (it begins with = + - @, a tab or a carriage
return, perhaps after spaces) is neutralised with a leading apostrophe, as OWASP advises for
CSV injection; amounts are numbers and stay numbers."""

import csv
import hashlib
import io
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from itertools import islice
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from grants.core.actors import Actor
from grants.core.clock import utcnow
from grants.core.ja.labels import CATEGORY_LABELS, DECLARED_ACTION_LABELS, STATE_LABELS
from grants.core.ja.ledger import LEDGER_FILENAME, LEDGER_HEADERS, LEDGER_SHEET
from grants.publishing import ledger
from grants.publishing.ledger import COLUMNS, LedgerFilter
from workflows import audit

Format = Literal["csv", "xlsx", "json"]
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
CHUNK_ROWS = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YEN_FORMAT = "#,##0"
WIDTHS = {"text": 16, "int": 8, "yen": 14, "date": 12}
WIDER = {"title": 40, "municipality": 12, "org": 24, "actions": 28, "decision_number": 22}


_FORMULA = re.compile("[ \u3000]*[" + re.escape("".join(FORMULA_STARTS)) + "]")


def neutralise(text: str) -> str:
    """A text cell that a spreadsheet would read as a formula, made plain text."""
    return "'" + text if _FORMULA.match(text) else text


def filename(where: LedgerFilter, fmt: Format) -> str:
    parts = [LEDGER_FILENAME] + [str(v) for v in where.as_dict().values()]
    return "_".join(parts) + f".{fmt}"


# --- the three formats -------------------------------------------------------------------

_TEXT_AT = [position for position, kind in enumerate(COLUMNS.values()) if kind == "text"]
# The text that comes from people or from the database. The other text columns are this
# program's own labels (年度, 区分, 行動, 状態), checked once here never to look like formulas.
_FREE_TEXT_AT = [position for position, key in enumerate(COLUMNS)
                 if key in ("municipality_code", "municipality", "org", "title", "decision_number")]
assert not any(_FORMULA.match(label) for labels in (CATEGORY_LABELS, DECLARED_ACTION_LABELS)
               for label in labels.values())
assert not any(_FORMULA.match(staff) for staff, _applicant in STATE_LABELS.values())


def _cells(row: tuple) -> tuple | list:
    """A row as cells: text neutralised; numbers and dates as they are (the csv module writes
    None as an empty cell and a date in ISO form). Most rows need nothing and go as they are."""
    for position in _FREE_TEXT_AT:
        text = row[position]
        if text and _FORMULA.match(text):
            return [neutralise(cell) if at in _FREE_TEXT_AT and cell else cell
                    for at, cell in enumerate(row)]
    return row


def csv_chunks(rows: Iterable[tuple]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LEDGER_HEADERS.values())
    yield b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
    rows = iter(rows)
    while batch := list(islice(rows, CHUNK_ROWS)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(map(_cells, batch))
        yield buffer.getvalue().encode("utf-8")


def json_chunks(rows: Iterable[tuple]) -> Iterator[bytes]:
    yield b'{"columns": ' + json.dumps(LEDGER_HEADERS, ensure_ascii=False).encode() + b', "rows": ['
    for position, row in enumerate(rows):
        text = json.dumps({k: (v.isoformat() if isinstance(v, date) else v)
                           for k, v in zip(COLUMNS, row, strict=True)}, ensure_ascii=False)
        yield (b"\n" if position == 0 else b",\n") + text.encode("utf-8")
    yield b"\n]}\n"


def xlsx_chunks(rows: Iterable[tuple], count: int) -> Iterator[bytes]:
    """Written row by row by openpyxl's write-only workbook to a temporary file, then read
    back in chunks: neither the rows nor the file are held in memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(LEDGER_SHEET)
    for position, key in enumerate(COLUMNS, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = WIDER.get(key, WIDTHS[COLUMNS[key]])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    sheet.append(list(LEDGER_HEADERS.values()))
    yen_at = [position for position, kind in enumerate(COLUMNS.values()) if kind == "yen"]
    for row in rows:
        cells = list(_cells(row))
        for position in _TEXT_AT:
            if cells[position]:
                cells[position] = ILLEGAL_CHARACTERS_RE.sub("", cells[position])
        for position in yen_at:
            if cells[position] is not None:
                cell = WriteOnlyCell(sheet, cells[position])
                cell.number_format = YEN_FORMAT
                cells[position] = cell
        sheet.append(cells)  # ints stay numbers; dates get openpyxl's date format
    with tempfile.TemporaryFile() as file:
        workbook.save(file)
        file.seek(0)
        while chunk := file.read(1 << 16):
            yield chunk


def _gathered(chunks: Iterable[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    """Small chunks joined into pieces of about ``size`` bytes: fewer writes to the client."""
    pending: list[bytes] = []
    length = 0
    for chunk in chunks:
        pending.append(chunk)
        length += len(chunk)
        if length >= size:
            yield b"".join(pending)
            pending, length = [], 0
    if pending:
        yield b"".join(pending)


# --- an export, recorded -----------------------------------------------------------------

OpenSession = Callable[[str], AbstractContextManager[Session]]


def check(session: Session, actor: Actor, where: LedgerFilter) -> int:
    """Refuse who may not export (403) before anything is sent; the number of rows."""
    return ledger.count(session, actor, where)


def export(open_session: OpenSession, actor: Actor, where: LedgerFilter, fmt: Format, *,
           count: int, progress: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """The file, chunk by chunk; once the last chunk is out, the export is recorded in the
    audit trail (an export broken off before its end is not an export)."""
    digest = hashlib.sha256()
    written = 0

    def counted(rows: Iterable[tuple]) -> Iterator[tuple]:
        nonlocal written
        for row in rows:
            written += 1
            if progress is not None:
                progress(1)
            yield row

    with open_session("read") as session:
        source = counted(ledger.rows(session, actor, where))
        chunks = (csv_chunks(source) if fmt == "csv" else json_chunks(source) if fmt == "json"
                  else xlsx_chunks(source, count))
        for chunk in _gathered(chunks):
            digest.update(chunk)
            yield chunk
    with open_session("write") as session:
        record(session, actor, where, fmt, rows=written, sha256=digest.hexdigest())


def record(session: Session, actor: Actor, where: LedgerFilter, fmt: Format, *, rows: int,
           sha256: str) -> None:
    audit.append(session, grant_id=None, action="export_ledger", from_state=None, to_state=None,
                 actor=actor.username, actor_role=str(actor.role), occurred_at=utcnow(),
                 documents=[{"export": "ledger", "format": fmt, "filter": where.as_dict(),
                             "rows": rows, "sha256": sha256}])
