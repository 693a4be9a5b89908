"""A grant taken through every action that issues a form, for the document tests."""

import io
from pathlib import Path

import docx
from sqlalchemy import select

from forms import pdf
from grants.core.models import Document
from tests import factories as f
from tests.support import need


def issue_all_nine(session) -> dict[int, Document]:
    """Forms 1, 2, 4–9 for 八王子市 (市町村調査会), form 3 for 千代田区 (特別区協議会)."""
    f.program(session, allows_advance=True)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "request_change", {"reason": "参加者の増加に対応するため",
                                             "requested_yen": 350_000})
    for action in ("approve_change", "submit_report", "confirm", "request_payment", "settle",
                   "publish"):
        f.act(session, grant, action)
    f.act(session, grant, "cancel", {"reason": "対象外経費の計上が判明したため"})
    f.grant_in(session, "rejected", f.WARD)
    first: dict[int, Document] = {}
    for document in session.scalars(select(Document).order_by(Document.id)):
        first.setdefault(document.form, document)
    return first


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def to_pdf(documents: dict[str, bytes], folder: Path) -> Path:
    """Open each .docx in LibreOffice, as the app does for its PDFs (the one LibreOffice kept
    running, with the project's fonts), and save it as folder/pdf/NAME.pdf for each NAME."""
    need(pdf.available(), "LibreOffice with python3-uno is not installed "
                          "(apt-get install libreoffice-writer-nogui python3-uno)")
    (folder / "pdf").mkdir(parents=True, exist_ok=True)
    for name, content in documents.items():
        (folder / "pdf" / f"{name}.pdf").write_bytes(pdf.office.convert(content))
    return folder / "pdf"
