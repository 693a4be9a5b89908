"""Real files of every kind an attachment may be, made here by the libraries that make them
in life (pypdf, Pillow, python-docx, openpyxl), and the fakes an attacker would send."""

import io
import zipfile

import docx
import openpyxl
from PIL import Image
from pypdf import PdfWriter


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # A4
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image(kind: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(buffer, kind)
    return buffer.getvalue()


def word() -> bytes:
    document = docx.Document()
    document.add_paragraph("事業計画書")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "経費内訳"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def package(parts: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zipped:
        for name, content in parts.items():
            zipped.writestr(name, content)
    return buffer.getvalue()


def zip_bomb(unpacked: int = 110 * 1024 * 1024) -> bytes:
    """A .docx-shaped ZIP whose document part unpacks to ``unpacked`` bytes of zeros."""
    return package({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                    "word/document.xml": b"\0" * unpacked})
