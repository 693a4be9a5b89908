"""Word documents with python-docx: A4 portrait, horizontal writing, 明朝 fonts set for
East Asian text on the styles and on every run, written as byte-identical packages.

The template (styles, page setup, fonts) is built once per thread and kept as a live
python-docx document; each render empties its body, writes the new content with the
python-docx API, and zips the new ``word/document.xml`` with the template's other parts,
already serialised. Nothing is re-parsed per document, and nothing varies but the content:
fixed ZIP timestamps and core properties derived from the document itself."""

import io
import threading
import zipfile
from collections.abc import Callable
from datetime import date
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

FONT = "MS 明朝"  # the 明朝 family; LibreOffice substitutes IPA明朝 where it is missing
SIZE = Pt(10.5)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
CREATOR = "みどり東京・温暖化防止プロジェクト 助成金ワークフロー"


def set_font(element) -> None:
    """Name the 明朝 font for Latin and East Asian text on a run or style's properties."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


KEPT_STYLES = {"Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid"}


def _strip(document: docx.document.Document) -> None:
    """Drop what python-docx's default template carries and a form never uses: hundreds of
    unused styles, the legacy stylesWithEffects part, and a thumbnail of another document."""
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.find(qn("w:name")).get(qn("w:val")) not in KEPT_STYLES:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)


def _template() -> docx.document.Document:
    document = docx.Document()
    _strip(document)
    styles = document.styles
    for name in ("Normal", "Table Grid"):
        style = styles[name]
        set_font(style.element)
        style.font.size = SIZE
    defaults = styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = run_defaults.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_defaults.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    direction = OxmlElement("w:textDirection")  # 横書き: left to right, top to bottom
    direction.set(qn("w:val"), "lrTb")
    section._sectPr.append(direction)
    return document


class _Template:
    """The parts every document shares, serialised once, and a live document per thread."""

    def __init__(self) -> None:
        buffer = io.BytesIO()
        _template().save(buffer)
        self.package = buffer.getvalue()
        with zipfile.ZipFile(io.BytesIO(self.package)) as package:
            self.parts = [(name, package.read(name)) for name in package.namelist()]
        self._local = threading.local()

    def document(self) -> docx.document.Document:
        document = getattr(self._local, "document", None)
        if document is None:
            document = self._local.document = docx.Document(io.BytesIO(self.package))
        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        return document


_TEMPLATE: _Template | None = None
_LOCK = threading.Lock()


def _shared() -> _Template:
    global _TEMPLATE
    with _LOCK:
        if _TEMPLATE is None:
            _TEMPLATE = _Template()
    return _TEMPLATE


class Writer:
    """The few shapes an official form needs, each run in 明朝."""

    def __init__(self, document: docx.document.Document) -> None:
        self.document = document

    def line(self, text: str = "", *, align: str = "left", bold: bool = False,
             size: float | None = None) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                               "center": WD_ALIGN_PARAGRAPH.CENTER}[align]
        paragraph.paragraph_format.space_after = Pt(0)
        self._text(paragraph, text, bold=bold, size=size)

    def table(self, rows: list[tuple[str, str]]) -> None:
        table = self.document.add_table(rows=0, cols=2)
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        widths = (Mm(40), Mm(120))  # the grid, which LibreOffice follows, and each cell, for Word
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = widths
            self._text(cells[0].paragraphs[0], label)
            self._text(cells[1].paragraphs[0], value)

    @staticmethod
    def _text(paragraph, text: str, *, bold: bool = False, size: float | None = None) -> None:
        """Runs in 明朝, one per line, joined by line breaks."""
        lines = text.split("\n")
        for index, part in enumerate(lines):
            run = paragraph.add_run(part)
            set_font(run._element)
            run.font.size = Pt(size) if size else SIZE
            if bold:
                run.bold = True
            if index < len(lines) - 1:
                run.add_break()


def render(build: Callable[[Writer], None], *, title: str, issued_on: date) -> bytes:
    """The .docx bytes of one document; the same input always gives the same bytes."""
    template = _shared()
    document = template.document()
    build(Writer(document))
    body = etree.tostring(document.element, xml_declaration=True, encoding="UTF-8",
                          standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in template.parts:
            if name == DOCUMENT_PART:
                content = body
            elif name == CORE_PART:
                content = _core(title, issued_on)
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, content)
    return buffer.getvalue()


def _core(title: str, issued_on: date) -> bytes:
    stamp = f"{issued_on.isoformat()}T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(CREATOR)}</dc:creator>"
        f"<cp:lastModifiedBy>{escape(CREATOR)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()
