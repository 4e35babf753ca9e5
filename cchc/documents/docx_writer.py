"""The report as the Word file an office signs, in the Decree 30/2020/NĐ-CP layout.

Page A4, margins 20/20/30/15 mm, Times New Roman everywhere. Page 1 carries
the two-column header (issuing body with a short rule, number; national name,
motto with a rule of its own length, place and date), `BÁO CÁO` and its
summary, `Kính gửi:`, the body following the template's outline, then
`Nơi nhận:` beside the signer block. Each statistical form follows as an
appendix in its own section, page numbers restarting at 1. Page numbers sit
centred at the top from the second page of each part.

Sizes and styles are those of Decree 30, Phụ lục I (see
`../shared/reference/vietnam-regime.md` §2). The body is written as
WordprocessingML text and parsed once per part: python-docx builds elements
one call at a time, which is ten times slower for a report with 150 form rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from cchc.core.document_details import agency_name, is_list_label, issuing_body_of
from cchc.core.figures import format_figure
from cchc.core.numbers import decimals_of, format_number
from cchc.core.periods import document_date
from cchc.core.report import DocumentHeader, NarrativePart, ReportContent
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate, Section
from cchc.core.text import fold
from cchc.core.validation import read_value
from cchc.core.values import Entry

__all__ = [
    "FONT",
    "FORM_HEADINGS",
    "MEDIA_TYPE",
    "DocxWriter",
    "appendix_label",
    "body_lines",
    "date_line",
    "display_value",
    "distribution_lines",
    "issuing_body",
    "number_line",
    "render_docx",
    "text_width",
]

FONT = "Times New Roman"
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
TEXT_WIDTH = Length(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)  # 165 mm
BODY_PT = 14
TABLE_PT = 12
FIRST_LINE_INDENT = Mm(12.7)
LINE_SPACING = 1.15  # within Decree 30's "single to 1.5 lines"

HEADER_COLUMNS = (Mm(62), Mm(103))  # issuing body | national name
CLOSING_COLUMNS = (Mm(72), Mm(93))  # Nơi nhận | signer
FORM_COLUMNS = (Mm(14), Mm(68), Mm(30), Mm(21), Mm(32))  # STT | name | unit | value | note
FORM_HEADINGS = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")
CELL_MARGIN = Pt(5.4)  # Word's default left/right cell margin (0,19 cm)
FORM_CELL_MARGIN = Mm(1)  # narrower in the forms, so codes like 5.1.3. fit their column

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
_BODY_PREFIXES = ("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII")
_ROMAN_RE = re.compile(r"^[IVXLC]+$")
_LEAD_IN = re.compile(r"^([a-zđ]\)\s+)([^:]{3,200}:)(.*)$", re.DOTALL)
_CLOSING_PUNCTUATION = (".", ":", ";", "!", "?", "…", ")", '"', "”", "/")
_CHOICE_BREAK = re.compile(r"(?<==\s\d)(;?)\s+")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Elements that follow w:pgNumType in a section's properties (schema order).
_AFTER_PGNUMTYPE = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'

# Advance widths (1/1000 em) of Times New Roman for the characters 32–126; a
# Vietnamese letter has the width of its base letter. Used to size the rules
# under the issuing body, the motto and the summary.
_REGULAR = (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667,
    722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722,
    722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500,
    500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500,
    444, 480, 200, 480, 541,
)  # fmt: skip
_BOLD = (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722,
    722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722,
    722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500,
    556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500,
    444, 394, 220, 394, 520,
)  # fmt: skip


def text_width(text: str, size: float, *, bold: bool = False) -> Length:
    """The printed width of one line of Times New Roman text."""
    widths = _BOLD if bold else _REGULAR
    total = 0
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0].replace("Đ", "D").replace("đ", "d")
        code = ord(base)
        total += widths[code - 32] if 32 <= code <= 126 else 500
    return Pt(total * size / 1000)


class DocxWriter:
    identifier = "docx"
    extension = ".docx"
    media_type = MEDIA_TYPE

    def render(self, template: ReportTemplate, content: ReportContent) -> bytes:
        return render_docx(template, content)


def render_docx(template: ReportTemplate, content: ReportContent) -> bytes:
    """The whole report (body and every form as an appendix) as .docx bytes."""
    doc = Document()
    _setup_styles(doc)
    _set_properties(doc, content)
    _first_section(doc)
    _append(doc, _main_part(template, content))
    forms = [(f, content.values.get(f.code, {})) for f in template.forms]
    forms += [
        (Form(code=code, title=code, indicators=()), values)
        for code, values in content.values.items()
        if template.form(code) is None
    ]
    for n, (form, values) in enumerate(forms):
        _new_appendix_section(doc)
        label = appendix_label(n, len(forms))
        _append(doc, _appendix(label, form, values, content))
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- values


def display_value(ind: Indicator | None, entry: Entry | None) -> str:
    """A value as printed in the form: Vietnamese number format, a coded answer as
    its code, a rate without its `%` (the unit column says it) and with the decimals
    it was written with (`100,00` as computed, `100` as typed), a count whole; text
    that is ambiguous (`3,887`) or unreadable stays exactly as written."""
    if entry is None or not entry.raw.strip():
        return ""
    raw = entry.raw.strip()
    if ind is None or ind.kind is Kind.TEXT:
        return raw
    read = read_value(ind, raw)
    if read.problem or read.value is None:
        return raw
    if ind.kind is Kind.RATE:
        return format_number(read.value, decimals_of(read.value))
    return format_figure(read.value, ind.kind, percent=False)


def appendix_label(index: int, count: int) -> str:
    """`Phụ lục I, II…` when there are several appendices, `Phụ lục` for one."""
    if count <= 1:
        return "Phụ lục"
    return f"Phụ lục {_ROMAN[index] if index < len(_ROMAN) else index + 1}"


# ---------------------------------------------------------------- WordprocessingML


def _tw(length: int) -> int:
    """EMU → twentieths of a point (twips), the unit of most Word measures."""
    return round(length / 635)


def _run(text: str, size: float, *, bold: bool = False, italic: bool = False) -> str:
    """One run; `\\n` is a line break, `\\t` a tab."""
    half = round(size * 2)
    rpr = (
        f"<w:rPr>{_FONTS}{'<w:b/><w:bCs/>' if bold else ''}{'<w:i/><w:iCs/>' if italic else ''}"
        f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    )
    parts: list[str] = []
    for n, line in enumerate(_NOT_XML.sub("", text).split("\n")):
        if n:
            parts.append("<w:br/>")
        for m, piece in enumerate(line.split("\t")):
            if m:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>"


def _par(
    runs: str | list[str],
    size: float = BODY_PT,
    *,
    align: str = "center",
    before: float = 0,
    after: float = 0,
    line: float | None = None,
    exact: float | None = None,
    first_line: int = 0,
    hanging: int = 0,
    left: int = 0,
    right: int = 0,
    keep_next: bool = False,
    rule: bool = False,
    outline: int | None = None,
) -> str:
    """One paragraph. Sizes in points, indents in EMU; `rule` draws its bottom border."""
    half = round(size * 2)
    spacing = f'w:before="{round(before * 20)}" w:after="{round(after * 20)}"'
    if exact is not None:
        spacing += f' w:line="{round(exact * 20)}" w:lineRule="exact"'
    elif line is not None:
        spacing += f' w:line="{round(line * 240)}" w:lineRule="auto"'
    ind = ""
    if first_line or hanging or left or right:
        ind = f'<w:ind w:left="{_tw(left)}" w:right="{_tw(right)}"'
        ind += (
            f' w:hanging="{_tw(hanging)}"/>' if hanging else f' w:firstLine="{_tw(first_line)}"/>'
        )
    ppr = (
        ("<w:keepNext/>" if keep_next else "")
        + (
            '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
            if rule
            else ""
        )
        + f'<w:spacing {spacing}/>{ind}<w:jc w:val="{align}"/>'
        + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "")
        + f'<w:rPr>{_FONTS}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    )
    body = runs if isinstance(runs, str) else "".join(runs)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>"


def _text_par(
    text: str, size: float = BODY_PT, *, bold: bool = False, italic: bool = False, **kw
) -> str:  # type: ignore[no-untyped-def]
    return _par(_run(text, size, bold=bold, italic=italic) if text else "", size, **kw)


def _rule(width: int, available: int, *, before: float = 1) -> str:
    """A centred solid rule `width` long: the bottom border of a 2-pt empty
    paragraph whose indents leave exactly that width."""
    side = max(0, (available - width) // 2)
    return _par("", 2, before=before, exact=2, left=side, right=side, rule=True)


def _cell(width: int, content: str, *, valign: str = "center") -> str:
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{_tw(width)}" w:type="dxa"/><w:vAlign w:val="{valign}"/>'
        f"</w:tcPr>{content or _par('', TABLE_PT)}</w:tc>"
    )


def _row(cells: list[str], *, header: bool = False) -> str:
    """A table row that never splits across pages; a header row repeats on each page."""
    flags = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    return f"<w:tr><w:trPr>{flags}</w:trPr>{''.join(cells)}</w:tr>"


def _table(
    widths: tuple[int, ...], rows: list[str], *, grid: bool, margin: int | None = None
) -> str:
    edge = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if grid else 'w:val="nil"'
    borders = "".join(
        f"<w:{side} {edge}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    margins = (
        f'<w:tblCellMar><w:left w:w="{_tw(margin)}" w:type="dxa"/>'
        f'<w:right w:w="{_tw(margin)}" w:type="dxa"/></w:tblCellMar>'
        if margin is not None
        else ""
    )
    total = sum(_tw(w) for w in widths)
    grid_cols = "".join(f'<w:gridCol w:w="{_tw(w)}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>{margins}'
        f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid_cols}</w:tblGrid>'
        f"{''.join(rows)}</w:tbl>"
    )


def _parse(blocks: list[str]):  # type: ignore[no-untyped-def]
    return parse_xml(f'<w:body xmlns:w="{_W}">{"".join(blocks)}</w:body>')


def _element(block: str):  # type: ignore[no-untyped-def]
    return _parse([block])[0]


def _append(doc: DocumentObject, blocks: list[str]) -> None:
    """Parse the blocks once and put them at the end of the body."""
    body = doc.element.body
    parsed = _parse(blocks)
    sentinel = body.find(qn("w:sectPr"))
    for child in list(parsed):
        if sentinel is not None:
            sentinel.addprevious(child)
        else:
            body.append(child)


# ---------------------------------------------------------------- document setup


def _setup_styles(doc: DocumentObject) -> None:
    """Times New Roman 14 pt, Vietnamese, no spacing: in the document defaults and
    in every style used, with the theme fonts (which would win) removed."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _style_fonts(rpr)
    rpr.find(qn("w:sz")).set(qn("w:val"), str(BODY_PT * 2))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(BODY_PT * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    for name in ("Normal", "Header", "Footer", "Table Grid"):
        style = doc.styles[name]
        _style_fonts(style.element.get_or_add_rPr())
    doc.styles["Normal"].font.size = Pt(BODY_PT)


def _style_fonts(rpr) -> None:  # type: ignore[no-untyped-def]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _set_properties(doc: DocumentObject, content: ReportContent) -> None:
    props = doc.core_properties
    h = content.header
    props.title = h.summary or h.doc_type
    props.subject = h.doc_type
    props.author = issuing_body(content) or content.unit
    props.last_modified_by = props.author
    props.comments = ""
    props.keywords = "cải cách hành chính"
    props.language = "vi-VN"
    props.category = "Báo cáo"
    props.revision = 1
    if h.date:
        props.created = props.modified = datetime(h.date.year, h.date.month, h.date.day)
    # python-docx's blank template brings a preview image of itself and says it
    # was written by Word for Mac: drop the one, correct the other.
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            part = rel.target_part
            part._blob = re.sub(
                rb"<Application>[^<]*</Application>", b"<Application>cchc</Application>", part.blob
            )


def _set_page(section) -> None:  # type: ignore[no-untyped-def]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = Mm(10)


def _first_section(doc: DocumentObject) -> None:
    """Page setup, and page numbers at the top from page 2 (an empty first-page header)."""
    section = doc.sections[0]
    _set_page(section)
    section.different_first_page_header_footer = True
    header = section.header._element
    for p in header.findall(qn("w:p")):
        header.remove(p)
    field = (
        _field_char("begin")
        + f'<w:r>{_run_props(BODY_PT)}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        + _field_char("separate")
        + _run("2", BODY_PT)
        + _field_char("end")
    )
    header.append(_element(_par(field)))
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1


def _run_props(size: float) -> str:
    half = round(size * 2)
    return f'<w:rPr>{_FONTS}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'


def _field_char(kind: str) -> str:
    return f'<w:r>{_run_props(BODY_PT)}<w:fldChar w:fldCharType="{kind}"/></w:r>'


def _new_appendix_section(doc: DocumentObject) -> None:
    """A new page and section whose page numbers restart at 1."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _set_page(section)
    section.different_first_page_header_footer = True
    # The section break sits in a paragraph after the last table: 1 pt high, so
    # it never spills onto a page of its own.
    breaker = doc.element.body.findall(qn("w:p"))[-1]
    ppr = breaker.get_or_add_pPr()
    tiny = _element(_par("", 1, exact=1, align="left"))
    for child in tiny.find(qn("w:pPr")):
        ppr.insert_element_before(child, "w:sectPr", "w:pPrChange")
    sectpr = section._sectPr
    numbering = sectpr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        sectpr.insert_element_before(numbering, *_AFTER_PGNUMTYPE)
    numbering.set(qn("w:start"), "1")


# ---------------------------------------------------------------- page 1 header


def issuing_body(content: ReportContent) -> str:
    """The issuing body in capitals; when the document did not say, the reporting
    unit spelled out (`UBND xã Hương Sơn` → `ỦY BAN NHÂN DÂN XÃ HƯƠNG SƠN`)."""
    h = content.header
    if h.issuing_body.strip():
        return h.issuing_body.strip().upper()
    return issuing_body_of(content.unit)


def _agency_name(content: ReportContent) -> str:
    """The issuing body in running text (`Ủy ban nhân dân xã Hương Sơn`)."""
    return agency_name(content.unit) or content.header.issuing_body.strip()


def body_lines(name: str) -> list[str]:
    """Break an agency name after `ỦY BAN NHÂN DÂN`, as offices print it."""
    for prefix in _BODY_PREFIXES:
        if name.startswith(prefix + " "):
            return [prefix, name[len(prefix) :].strip()]
    return [name]


def number_line(h: DocumentHeader) -> str:
    """`Số: 05/BC-UBND`: a leading 0 under 10; room for the clerk when not numbered yet."""
    number = h.number.strip()
    if number.isdigit() and int(number) < 10:
        number = f"{int(number):02d}"
    return f"Số: {number or '      '}/{h.symbol.strip() or 'BC'}"


def date_line(h: DocumentHeader) -> str:
    place = h.place.strip() or "……"
    if h.date is None:
        return f"{place}, ngày      tháng      năm"
    return f"{place}, {document_date(h.date)}"


def _main_part(template: ReportTemplate, content: ReportContent) -> list[str]:
    h = content.header
    return [
        _header_block(content),
        *_title_block(h),
        *_recipients(h.recipients),
        *_body(template, content),
        _closing_block(h),
    ]


def _header_block(content: ReportContent) -> str:
    h = content.header
    left_w = HEADER_COLUMNS[0] - 2 * CELL_MARGIN
    right_w = HEADER_COLUMNS[1] - 2 * CELL_MARGIN
    left: list[str] = []
    if h.governing_body.strip():
        left.append(_text_par("\n".join(body_lines(h.governing_body.strip().upper())), 13))
    issuing = issuing_body(content)
    if issuing:
        lines = body_lines(issuing)
        left.append(_text_par("\n".join(lines), 13, bold=True))
        widest = max(text_width(line, 13, bold=True) for line in lines)
        left.append(_rule(int(min(widest, left_w) * 0.4), left_w))
    right = [
        _text_par(NATIONAL_NAME, 12, bold=True),
        _text_par(MOTTO, 13, bold=True),
        _rule(int(text_width(MOTTO, 13, bold=True)), right_w),
    ]
    rows = [
        _row([_cell(HEADER_COLUMNS[0], "".join(left), valign="top"),
              _cell(HEADER_COLUMNS[1], "".join(right), valign="top")]),
        _row([_cell(HEADER_COLUMNS[0], _text_par(number_line(h), 13, before=6), valign="top"),
              _cell(HEADER_COLUMNS[1], _text_par(date_line(h), 14, italic=True, before=6),
                    valign="top")]),
    ]  # fmt: skip
    return _table(HEADER_COLUMNS, rows, grid=False)


def _title_block(h: DocumentHeader) -> list[str]:
    out = [_text_par((h.doc_type or "BÁO CÁO").upper(), bold=True, before=18)]
    summary = h.summary.strip()
    if summary:
        out.append(_text_par(summary, bold=True))
        line = min(text_width(summary, BODY_PT, bold=True), TEXT_WIDTH)
        out.append(_rule(int(line * 0.35), TEXT_WIDTH))
    return out


def _recipients(recipients: list[str]) -> list[str]:
    """`Kính gửi: …` on one line, or the label then one recipient a line, each
    with `-`, `;` at the end and `.` after the last, aligned after the colon."""
    names = [r.strip().rstrip(";.") for r in recipients if r.strip()]
    if not names:
        return []
    if len(names) == 1:
        return [_text_par(f"Kính gửi: {names[0]}", before=12, after=6)]
    label_w = int(text_width("Kính gửi: ", BODY_PT))
    start = Mm(25) + label_w
    out = []
    for n, name in enumerate(names):
        last = n == len(names) - 1
        text = f"{'Kính gửi:' + chr(9) if n == 0 else ''}- {name}{'.' if last else ';'}"
        out.append(
            _text_par(
                text,
                align="left",
                before=12 if n == 0 else 0,
                after=6 if last else 0,
                left=start,
                hanging=label_w if n == 0 else 0,
            )
        )
    return out


# ---------------------------------------------------------------- body


@dataclass
class _Plan:
    """Which narrative part goes under which outline section."""

    intro: list[NarrativePart] = field(default_factory=list)
    matched: dict[str, NarrativePart] = field(default_factory=dict)
    after: dict[str, list[NarrativePart]] = field(default_factory=dict)


def _plan(template: ReportTemplate, narrative: list[NarrativePart]) -> _Plan:
    """Match parts to sections by code, then by folded title; a part that matches
    nothing is kept where it was, after the part before it."""
    plan = _Plan()
    sections = template.all_sections()
    by_code = {s.code: s for s in sections}
    by_title: dict[str, Section] = {}
    for s in sections:
        by_title.setdefault(fold(s.title), s)
    previous = ""
    for n, part in enumerate(narrative):
        if n == 0 and not part.code and not part.title:
            plan.intro.append(part)
            continue
        section = by_code.get(part.code) if part.code else None
        if section is None or section.code in plan.matched:
            section = by_title.get(fold(part.title)) if part.title else None
        if section is not None and section.code not in plan.matched:
            plan.matched[section.code] = part
            previous = section.code
        else:
            plan.after.setdefault(previous, []).append(part)
    return plan


def _has_text(section: Section, plan: _Plan) -> bool:
    part = plan.matched.get(section.code)
    if (part and part.text.strip()) or plan.after.get(section.code):
        return True
    return any(_has_text(item, plan) for item in section.items)


def _body(template: ReportTemplate, content: ReportContent) -> list[str]:
    plan = _plan(template, content.narrative)
    out: list[str] = []
    for part in plan.intro:
        out += _text(part.text)
    for part in plan.after.get("", []):
        out += _free_part(part)
    for section in template.sections:
        out += _section(section, 1, plan, covered=False)
    return out


def _section(section: Section, level: int, plan: _Plan, covered: bool) -> list[str]:
    """A section's heading and text, then its items. An empty section is left out
    when the text above it already covers it (a `1.` whose text runs through
    its own `a)`, `b)`…); with no text at all every heading stays, so a draft
    shows the whole outline."""
    part = plan.matched.get(section.code)
    text = part.text if part else ""
    out: list[str] = []
    if _has_text(section, plan) or not covered:
        title = part.title.strip() if part and part.title.strip() else section.title
        out.append(_heading(level, section.stt, title))
        out += _text(text)
    for extra in plan.after.get(section.code, []):
        out += _free_part(extra)
    for item in section.items:
        out += _section(item, level + 1, plan, covered or bool(text.strip()))
    return out


def _free_part(part: NarrativePart) -> list[str]:
    """A narrative part that matches no section of the outline, under its own heading."""
    out: list[str] = []
    if part.title.strip():
        number = part.number.strip()
        if number and not number.endswith((".", ")")):
            number += ")" if number.isalpha() and not _ROMAN_RE.match(number) else "."
        out.append(_heading(max(part.level, 1), number, part.title.strip()))
    return out + _text(part.text)


def _heading(level: int, stt: str, title: str) -> str:
    """Outline headings (Decree 30, Phụ lục I): `I. TITLE` upper bold, `1. Title`
    bold, `a) Title` with the title in italics, `- Title` in italics."""
    label = f"{stt} " if stt else ""
    if level == 1:
        head, colon, rest = title.partition(":")  # "KIẾN NGHỊ, ĐỀ XUẤT: Không có"
        runs = [_run(f"{label}{head.upper()}{colon}{rest}", BODY_PT, bold=True)]
    elif level == 2:
        runs = [_run(f"{label}{title}", BODY_PT, bold=True)]
    else:
        runs = [_run(label, BODY_PT) if label else "", _run(title, BODY_PT, italic=True)]
    return _par(
        runs,
        align="both",
        before=6 if level == 1 else 0,
        after=6,
        line=LINE_SPACING,
        first_line=FIRST_LINE_INDENT,
        keep_next=True,
        outline=min(level, 9) - 1,
    )


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a narrative text. A paragraph cut in two by a page break
    of the source (no closing punctuation, the next starting in lower case) is
    joined again."""
    out: list[str] = []
    for para in (x.strip() for x in text.replace("\r", "").split("\n")):
        if not para:
            continue
        if out and not out[-1].endswith(_CLOSING_PUNCTUATION) and para[0].islower():
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(para)
    return out


def _text(text: str) -> list[str]:
    """Body paragraphs: 14 pt, justified, 1,27 cm first-line indent, 6 pt after."""
    out = []
    for para in paragraphs(text):
        m = _LEAD_IN.match(para)
        if m:  # "a) Kết quả …: text" — the lead-in in italics, as offices print it
            runs = [
                _run(m.group(1), BODY_PT),
                _run(m.group(2), BODY_PT, italic=True),
                _run(m.group(3), BODY_PT),
            ]
        else:
            runs = [_run(para, BODY_PT)]
        out.append(
            _par(runs, align="both", after=6, line=LINE_SPACING, first_line=FIRST_LINE_INDENT)
        )
    return out


# ---------------------------------------------------------------- closing


def distribution_lines(h: DocumentHeader) -> list[str]:
    """`- Như trên;` first when the report has a `Kính gửi`, `- Lưu: VT…` last;
    `Gửi bản giấy:` / `Gửi bản điện tử:` lists keep their labels, each list
    ending with a full stop."""
    items = [d.strip().rstrip(";.") for d in h.distribution if d.strip().rstrip(";.")]
    items = ["Như trên" if fold(x) == "nhu tren" else x for x in items]
    labelled = any(is_list_label(x) for x in items)
    if h.recipients and "Như trên" not in items and not labelled:
        items.insert(0, "Như trên")
    if not any(fold(x).startswith("luu") for x in items):
        items.append("Lưu: VT")
    out = []
    for n, x in enumerate(items):
        if is_list_label(x):
            out.append(x)
            continue
        last = n == len(items) - 1 or is_list_label(items[n + 1])
        out.append(f"- {x}{'.' if last else ';'}")
    return out


def _closing_block(h: DocumentHeader) -> str:
    """`Nơi nhận:` (12 pt bold italic, list at 11 pt) level with the signer's
    authority (bold capitals), room for signature and seal, the name in bold."""
    left = [_par(_run("Nơi nhận:", 12, bold=True, italic=True), 12, align="left", before=12)]
    left += [_text_par(line, 11, align="left") for line in distribution_lines(h)]
    authority = [a.strip().upper() for a in h.signing_authority if a.strip()]
    right = [
        _text_par(line, bold=True, before=12 if n == 0 else 0) for n, line in enumerate(authority)
    ] or [_text_par("", before=12)]
    right.append(_text_par(h.signer.strip(), bold=True, before=84))
    row = _row(
        [
            _cell(CLOSING_COLUMNS[0], "".join(left), valign="top"),
            _cell(CLOSING_COLUMNS[1], "".join(right), valign="top"),
        ]
    )
    return _table(CLOSING_COLUMNS, [row], grid=False)


# ---------------------------------------------------------------- appendices


def reference_line(content: ReportContent) -> str:
    """`(Kèm theo Báo cáo số 341/BC-UBND ngày 10 tháng 6 năm 2024 của …)`."""
    h = content.header
    kind = (h.doc_type or "BÁO CÁO").strip().capitalize()
    number = number_line(h).removeprefix("Số: ")
    when = f" {document_date(h.date)}" if h.date else " ngày      tháng      năm"
    agency = _agency_name(content)
    return f"(Kèm theo {kind} số {number}{when}{f' của {agency}' if agency else ''})"


def _appendix(
    label: str, form: Form, values: dict[str, Entry], content: ReportContent
) -> list[str]:
    out = []
    if form.label and fold(form.label) != fold(label):
        out.append(_text_par(f"Mẫu: {form.label}", 12, italic=True, align="right"))
    out += [
        _text_par(label, bold=True, keep_next=True),
        _text_par(form.title.upper(), bold=True, keep_next=True),
        _text_par(reference_line(content), italic=True, after=12, keep_next=True),
        _form_table(form, values),
    ]
    return out


def _form_table(form: Form, values: dict[str, Entry]) -> str:
    """STT | Chỉ tiêu thống kê | Đơn vị tính | Số liệu | Ghi chú; the header row
    repeats on each page and no row splits across pages."""
    header = _row(
        [
            _cell(w, _text_par(text, TABLE_PT, bold=True, before=3, after=3))
            for w, text in zip(FORM_COLUMNS, FORM_HEADINGS, strict=True)
        ],
        header=True,
    )
    rows = [header]
    groups = {ind.parent for ind in form.indicators if ind.parent}
    for ind in form.indicators:
        bold = ind.kind is Kind.HEADING or ind.code in groups
        rows.append(
            _form_row(ind.stt or ind.code, ind.name, ind.note, _unit_lines(ind),
                      values.get(ind.code), ind, bold)
        )  # fmt: skip
    known = {ind.code for ind in form.indicators}
    for code, entry in values.items():
        if code not in known:  # a value the template does not have: shown, never dropped
            name = entry.source.name if entry.source and entry.source.name else ""
            rows.append(
                _form_row(code, name or "(chỉ tiêu không có trong mẫu)", "", "", entry, None)
            )
    return _table(FORM_COLUMNS, rows, grid=True, margin=FORM_CELL_MARGIN)


def _unit_lines(ind: Indicator) -> str:
    """The unit as printed; coded options one per line (`Có = 1;` / `Không = 0`)."""
    if ind.kind is Kind.CHOICE:
        return _CHOICE_BREAK.sub(lambda m: f"{m.group(1)}\n", ind.unit).strip()
    return ind.unit


def _form_row(
    stt: str,
    name: str,
    note: str,
    unit: str,
    entry: Entry | None,
    ind: Indicator | None,
    bold: bool = False,
) -> str:
    remarks: list[str] = []
    for text in (ind.remark if ind else "", entry.note if entry else ""):
        if text.strip() and text.strip() not in remarks:
            remarks.append(text.strip())
    name_runs = [_run(name, TABLE_PT, bold=bold)]
    if note:
        name_runs.append(_run(f" ({note})", TABLE_PT, italic=True))
    c = FORM_COLUMNS
    cells = [
        _cell(c[0], _text_par(stt, TABLE_PT, bold=bold, before=2, after=2)),
        _cell(c[1], _par(name_runs, TABLE_PT, align="left", before=2, after=2)),
        _cell(c[2], _text_par(unit, TABLE_PT, before=2, after=2)),
        _cell(c[3], _text_par(display_value(ind, entry), TABLE_PT, before=2, after=2)),
        _cell(c[4], _text_par("; ".join(remarks), TABLE_PT - 1, align="left", before=2, after=2)),
    ]
    return _row(cells)
