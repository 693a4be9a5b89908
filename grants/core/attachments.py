"""Files attached to a grant: PDF, JPEG, PNG, XLSX, DOCX up to 10 MB.

The type is decided by the content, never by the name: a renamed executable is refused.
Office files are ZIP packages, so they are opened and must hold the part that makes them a
workbook or a document."""

import hashlib
import io
import re
import unicodedata
import zipfile
from datetime import datetime

import filetype
from sqlmodel import Session

from grants.core.actors import Actor
from grants.core.clock import utcnow
from grants.core.errors import InvalidInput
from grants.core.ja.messages import message
from grants.core.models import Attachment, Grant

MAX_BYTES = 10 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIMPLE = {"application/pdf", "image/jpeg", "image/png"}
OFFICE_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}


def sniff(content: bytes) -> str | None:
    """The content type of an acceptable file, or None."""
    kind = filetype.guess(content)
    if kind is not None and kind.mime in SIMPLE:
        return kind.mime
    if content[:4] != b"PK\x03\x04":
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((mime for part, mime in OFFICE_PARTS.items() if part in names), None)


def safe_filename(name: str | None) -> str:
    """The last path component, without control characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return (name or "attachment")[-255:]


def store(session: Session, grant: Grant, actor: Actor, filename: str | None, content: bytes,
          *, now: datetime | None = None) -> Attachment:
    """Check the file by its content and keep it; ``workflows.attachments.attach`` records it."""
    now = now or utcnow()
    if not content:
        raise InvalidInput(message("attachment_empty"), problems={"file": "empty"})
    if len(content) > MAX_BYTES:
        raise InvalidInput(message("attachment_too_large", limit="10MB"),
                           problems={"file": "too_large"})
    content_type = sniff(content)
    if content_type is None:
        raise InvalidInput(message("attachment_type"), problems={"file": "type"})
    record = Attachment(grant_id=grant.id, filename=safe_filename(filename),
                        content_type=content_type, size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(), content=content,
                        uploaded_by=actor.username, uploaded_at=now)
    session.add(record)
    session.flush()
    return record
