"""A grant taken through every action that issues a form, for the document tests."""

import io
import shutil
import subprocess
from pathlib import Path

import docx
from sqlalchemy import select

from grants.models import Document
from tests import factories as f
from tests.support import need

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def issue_all_nine(session) -> dict[int, Document]:
    """Forms 1, 2, 4–9 for 八王子市 (市町村調査会), form 3 for 千代田区 (特別区協議会)."""
    f.program(session, allows_advance=True)
    grant = f.grant_in(session, "awarded")
    f.act(session, grant, "request_change", {"reason": "参加者の増加に対応するため",
                                             "requested_yen": 350_000})
    for action in ("approve_change", "submit_report", "confirm", "settle", "publish"):
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
    """Open each .docx in LibreOffice, as a municipal officer's office suite would, and
    save it as PDF: folder/pdf/NAME.pdf for each NAME. One LibreOffice start for them all."""
    need(SOFFICE is not None, "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    sources = []
    for name, content in documents.items():
        path = folder / f"{name}.docx"
        path.write_bytes(content)
        sources.append(str(path))
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *sources],
                   check=True, capture_output=True, timeout=300)
    return folder / "pdf"
