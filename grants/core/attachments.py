"""Files attached to a grant: PDF, JPEG, PNG, XLSX, DOCX up to 10 MB.

The type is decided by the content, never by the name, and the content must really be what it
claims: a PDF is parsed (pypdf) and needs a page; an image is decoded whole (Pillow, with its
guard against decompression bombs); a Word document or a workbook is a ZIP package that is
opened as OOXML (python-docx, openpyxl) only after its declared sizes are checked: at most
100 MB once unpacked, at most 100 times its packed size, at most 5,000 parts. A renamed
executable, a ZIP holding two empty parts, ``%PDF-1.4`` followed by HTML, or 8 MB that unpack
to 8 GB are all refused. The stored name ends in the extension of what the file is."""

import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from datetime import datetime
from pathlib import PurePosixPath

import docx
import filetype
import openpyxl
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from sqlmodel import Session

from grants.core.actors import Actor
from grants.core.clock import utcnow
from grants.core.errors import InvalidInput
from grants.core.ja.messages import message
from grants.core.models import Attachment, Grant

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_PARTS = 5_000
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; a decompression bomb is far beyond
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", XLSX: ".xlsx"}
# The parts a real package of each kind has, and the library that opens it.
OFFICE_PARTS = {DOCX: ("word/document.xml", "_rels/.rels", "[Content_Types].xml"),
                XLSX: ("xl/workbook.xml", "_rels/.rels", "[Content_Types].xml",
                       "xl/_rels/workbook.xml.rels")}


class _Refused(Exception):
    """Why a file is not what it claims to be (the message's key)."""


def sniff(content: bytes) -> str:
    """The content type of an acceptable file, after opening it as that type; the reason
    (an InvalidInput in Japanese) otherwise."""
    try:
        return _opened(content)
    except _Refused as refused:
        raise InvalidInput(message(str(refused)), problems={"file": str(refused)}) from None


def _opened(content: bytes) -> str:
    kind = filetype.guess(content)
    mime = kind.mime if kind is not None else None
    if mime == PDF:
        _open_pdf(content)
    elif mime in (JPEG, PNG):
        _open_image(content, mime)
    elif content[:4] == b"PK\x03\x04":
        mime = _open_package(content)
    else:
        raise _Refused("attachment_type")
    return mime


def _open_pdf(content: bytes) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns of what it can read around
            if len(PdfReader(io.BytesIO(content), strict=False).pages) < 1:
                raise _Refused("attachment_damaged")
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError,
            OSError, IndexError, AssertionError, ZeroDivisionError):
        raise _Refused("attachment_damaged") from None


def _open_image(content: bytes, mime: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format != {JPEG: "JPEG", PNG: "PNG"}[mime]:
                    raise _Refused("attachment_type")
                if image.width * image.height > MAX_PIXELS:
                    raise _Refused("attachment_too_big_inside")
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _Refused("attachment_too_big_inside") from None
    except (OSError, ValueError, SyntaxError, Image.UnidentifiedImageError):
        raise _Refused("attachment_damaged") from None


def _open_package(content: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            entries = package.infolist()
            if len(entries) > MAX_PARTS:
                raise _Refused("attachment_too_big_inside")
            unpacked = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries)
            if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(packed, 1):
                raise _Refused("attachment_too_big_inside")
            names = {entry.filename for entry in entries}
    except zipfile.BadZipFile:
        raise _Refused("attachment_damaged") from None
    mime = next((m for m, parts in OFFICE_PARTS.items() if set(parts) <= names), None)
    if mime is None:
        raise _Refused("attachment_type")
    try:
        if mime == DOCX:
            docx.Document(io.BytesIO(content))
        else:
            openpyxl.load_workbook(io.BytesIO(content), read_only=True).close()
    except Exception:  # noqa: BLE001 - whatever the libraries raise, it is not a real document
        raise _Refused("attachment_damaged") from None
    return mime


def safe_filename(name: str | None, content_type: str) -> str:
    """The last path component, without control characters, at most 255 characters, ending
    in the extension of what the file is (見積書.exe holding a PDF is kept as 見積書.pdf)."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    extension = EXTENSIONS[content_type]
    stem = name[: -len(PurePosixPath(name).suffix)] if PurePosixPath(name).suffix else name
    if content_type == JPEG and PurePosixPath(name).suffix.lower() == ".jpeg":
        extension = PurePosixPath(name).suffix
    elif PurePosixPath(name).suffix.lower() == extension:
        extension = PurePosixPath(name).suffix
    stem = stem.strip(" .") or "attachment"
    return stem[: 255 - len(extension)] + extension


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
    record = Attachment(grant_id=grant.id, filename=safe_filename(filename, content_type),
                        content_type=content_type, size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(), content=content,
                        uploaded_by=actor.username, uploaded_at=now)
    session.add(record)
    session.flush()
    return record
