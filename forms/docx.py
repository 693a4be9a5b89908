"""Word documents with python-docx: A4 portrait, horizontal writing, 明朝 fonts set for
East Asian text on the styles and on every run, written as byte-identical packages.

The template (styles, page setup, fonts) is built with python-docx once per thread and kept
as a live document; each render empties its body, writes the new content as WordprocessingML
elements, and appends the new ``word/document.xml`` and core properties to a copy of the
template's other parts, already compressed. Nothing is re-parsed per document, and nothing
varies but the content: fixed ZIP timestamps and core properties derived from the document
itself."""

import io
import threading
import zipfile
from collections.abc import Callable
from datetime import date
from xml.sax.saxutils import escape

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from grants.core.ja.labels import SYSTEM_NAME

FONT = "MS 明朝"  # the 明朝 family; LibreOffice substitutes IPA明朝 where it is missing
SIZE = Pt(10.5)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
CREATOR = SYSTEM_NAME


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
    """The parts every document shares, compressed once into a package that each document
    copies and completes with its own two parts; and a live document per thread."""

    def __init__(self) -> None:
        buffer = io.BytesIO()
        _template().save(buffer)
        self.package = buffer.getvalue()
        shared = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(self.package)) as source, \
                zipfile.ZipFile(shared, "w") as package:
            for name in source.namelist():
                if name not in (DOCUMENT_PART, CORE_PART):
                    _add(package, name, source.read(name))
        self.shared = shared.getvalue()
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


def _w(tag: str) -> str:
    return qn(f"w:{tag}")


P, PPR, SPACING, JC, R, RPR, RFONTS, B, SZ, T, BR, TAB = map(
    _w, ("p", "pPr", "spacing", "jc", "r", "rPr", "rFonts", "b", "sz", "t", "br", "tab"))
TBL, TBLPR, TBLSTYLE, TBLW, TBLLAYOUT, TBLLOOK, TBLGRID, GRIDCOL, TR, TC, TCPR, TCW = map(
    _w, ("tbl", "tblPr", "tblStyle", "tblW", "tblLayout", "tblLook", "tblGrid", "gridCol", "tr",
         "tc", "tcPr", "tcW"))
VAL, PRESERVE = _w("val"), qn("xml:space")
FONTS = {_w(name): FONT for name in ("ascii", "hAnsi", "eastAsia", "cs")}
HALF_POINTS = str(int(SIZE.pt * 2))
COLUMNS = (str(Mm(40).twips), str(Mm(120).twips))  # the label and the value column
TABLE_LOOK = {_w("firstColumn"): "1", _w("firstRow"): "1", _w("lastColumn"): "0",
              _w("lastRow"): "0", _w("noHBand"): "0", _w("noVBand"): "1", VAL: "04A0"}


class Writer:
    """The few shapes an official form needs, each run in 明朝: paragraphs and a two-column
    table of particulars. Written as WordprocessingML elements straight into the body (lxml
    escapes the text), since python-docx's general machinery costs more than the whole rest
    of issuing a form; the template's styles, page and fonts still come from python-docx."""

    def __init__(self, body) -> None:
        self.body = body
        self.end = body[-1]  # the section properties stay last

    def line(self, text: str = "", *, align: str = "left", bold: bool = False,
             size: float | None = None) -> None:
        paragraph = etree.Element(P)
        properties = etree.SubElement(paragraph, PPR)
        etree.SubElement(properties, SPACING, {_w("after"): "0"})
        etree.SubElement(properties, JC, {VAL: align})
        self._text(paragraph, text, bold=bold, size=size)
        self.end.addprevious(paragraph)

    def table(self, rows: list[tuple[str, str]]) -> None:
        table = etree.Element(TBL)
        properties = etree.SubElement(table, TBLPR)
        etree.SubElement(properties, TBLSTYLE, {VAL: "TableGrid"})
        etree.SubElement(properties, TBLW, {_w("type"): "auto", _w("w"): "0"})
        etree.SubElement(properties, JC, {VAL: "center"})
        etree.SubElement(properties, TBLLAYOUT, {_w("type"): "fixed"})
        etree.SubElement(properties, TBLLOOK, TABLE_LOOK)
        grid = etree.SubElement(table, TBLGRID)
        for width in COLUMNS:  # the grid, which LibreOffice follows, and each cell, for Word
            etree.SubElement(grid, GRIDCOL, {_w("w"): width})
        for row in rows:
            table_row = etree.SubElement(table, TR)
            for width, text in zip(COLUMNS, row, strict=True):
                cell = etree.SubElement(table_row, TC)
                etree.SubElement(etree.SubElement(cell, TCPR), TCW,
                                 {_w("type"): "dxa", _w("w"): width})
                self._text(etree.SubElement(cell, P), text)
        self.end.addprevious(table)

    @staticmethod
    def _text(paragraph, text: str, *, bold: bool = False, size: float | None = None) -> None:
        """Runs in 明朝, one per line, joined by line breaks; tabs as Word's tab stops."""
        half_points = str(int(size * 2)) if size else HALF_POINTS
        lines = text.split("\n")
        for index, line in enumerate(lines):
            run = etree.SubElement(paragraph, R)
            properties = etree.SubElement(run, RPR)
            etree.SubElement(properties, RFONTS, FONTS)
            if bold:
                etree.SubElement(properties, B)
            etree.SubElement(properties, SZ, {VAL: half_points})
            for position, piece in enumerate(line.split("\t")):
                if position:
                    etree.SubElement(run, TAB)
                if piece:
                    t = etree.SubElement(run, T)
                    t.text = piece
                    if piece.strip() != piece:
                        t.set(PRESERVE, "preserve")
            if index < len(lines) - 1:
                etree.SubElement(run, BR)


def render(build: Callable[[Writer], None], *, title: str, issued_on: date) -> bytes:
    """The .docx bytes of one document; the same input always gives the same bytes."""
    template = _shared()
    document = template.document()
    build(Writer(document.element.body))
    body = etree.tostring(document.element, xml_declaration=True, encoding="UTF-8",
                          standalone=True)
    buffer = io.BytesIO(template.shared)
    with zipfile.ZipFile(buffer, "a") as package:  # appends after the shared parts
        _add(package, DOCUMENT_PART, body)
        _add(package, CORE_PART, _core(title, issued_on))
    return buffer.getvalue()


def _add(package: zipfile.ZipFile, name: str, content: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)  # fixed times: same input, same bytes
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    package.writestr(info, content)


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
