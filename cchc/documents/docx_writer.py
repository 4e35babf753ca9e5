"""The report as the Word file an office signs, in the Decree 30/2020/NĐ-CP layout.

Page A4, margins 20/20/30/15 mm, Times New Roman everywhere. Page 1 carries
the two-column header (issuing body with a short rule, number; national name,
motto with a rule of its own length, place and date), `BÁO CÁO` and its
summary, `Kính gửi:`, the body following the template's outline, then
`Nơi nhận:` beside the signer block. Each statistical form follows as an
appendix in its own section, page numbers restarting at 1. Page numbers sit
centred at the top from the second page of each part.

Sizes and styles are those of Decree 30, Phụ lục I (see
`../shared/reference/vietnam-regime.md` §2). The frame around the body (header,
title, recipients, closing) is `docx_frame`, the body under the outline
`docx_body`; the WordprocessingML it is all written in, parsed once per part,
is `docx_markup`. The figures are the report's one reading
(`ReportContent.reading`), never read again here.
"""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from cchc.core.cell_reading import ReadValue, read_value
from cchc.core.figures import format_figure
from cchc.core.numbers import decimals_of, format_number
from cchc.core.periods import document_date
from cchc.core.reading import ReadReport
from cchc.core.report_content import ReportContent
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate
from cchc.core.text import fold
from cchc.core.values import Entry
from cchc.documents import docx_frame as frame
from cchc.documents import docx_markup as ml
from cchc.documents.docx_body import body
from cchc.documents.docx_markup import (
    BODY_PT,
    FONT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TABLE_PT,
)

__all__ = [
    "FORM_HEADINGS",
    "MEDIA_TYPE",
    "DocxWriter",
    "appendix_label",
    "display_value",
    "render_docx",
]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


FORM_COLUMNS = (Mm(14), Mm(68), Mm(30), Mm(21), Mm(32))  # STT | name | unit | value | note
FORM_HEADINGS = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú")
FORM_CELL_MARGIN = Mm(1)  # narrower in the forms, so codes like 5.1.3. fit their column

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII")
_CHOICE_BREAK = re.compile(r"(?<==\s\d)(;?)\s+")
# Elements that follow w:pgNumType in a section's properties (schema order).
_AFTER_PGNUMTYPE = (
    "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection",
    "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange",
)  # fmt: skip


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
    ml.append_blocks(doc, _main_part(template, content))
    forms = [(f, content.values.get(f.code, {})) for f in template.forms]
    forms += [
        (Form(code=code, title=code, indicators=()), values)
        for code, values in content.values.items()
        if template.form(code) is None
    ]
    read = content.reading(template)
    for n, (form, values) in enumerate(forms):
        _new_appendix_section(doc)
        label = appendix_label(n, len(forms))
        ml.append_blocks(doc, _appendix(label, form, values, content, read))
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- values


def display_value(ind: Indicator | None, entry: Entry | None, read: ReadValue | None = None) -> str:
    """A value as printed in the form: Vietnamese number format, a coded answer as
    its code, a rate without its `%` (the unit column says it) and with the decimals
    it was written with (`100,00` as computed, `100` as typed), a count whole; text
    that is ambiguous (`3,887`) or unreadable stays exactly as written."""
    if entry is None or not entry.raw.strip():
        return ""
    raw = entry.raw.strip()
    if ind is None or ind.kind is Kind.TEXT:
        return raw
    if read is None:
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
    props.author = frame.issuing_body(content) or content.unit
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
        ml.field_char("begin")
        + f"<w:r>{ml.run_props(BODY_PT)}"
        + '<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        + ml.field_char("separate")
        + ml.run("2", BODY_PT)
        + ml.field_char("end")
    )
    header.append(ml.element(ml.par(field)))
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1


def _new_appendix_section(doc: DocumentObject) -> None:
    """A new page and section whose page numbers restart at 1."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _set_page(section)
    section.different_first_page_header_footer = True
    # The section break sits in a paragraph after the last table: 1 pt high, so
    # it never spills onto a page of its own.
    breaker = doc.element.body.findall(qn("w:p"))[-1]
    ppr = breaker.get_or_add_pPr()
    tiny = ml.element(ml.par("", 1, exact=1, align="left"))
    for child in tiny.find(qn("w:pPr")):
        ppr.insert_element_before(child, "w:sectPr", "w:pPrChange")
    sectpr = section._sectPr
    numbering = sectpr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        sectpr.insert_element_before(numbering, *_AFTER_PGNUMTYPE)
    numbering.set(qn("w:start"), "1")


def _main_part(template: ReportTemplate, content: ReportContent) -> list[str]:
    h = content.header
    return [
        frame.header_block(content),
        *frame.title_block(h),
        *frame.recipients_block(h.recipients),
        *body(template, content),
        frame.closing_block(h),
    ]


# ---------------------------------------------------------------- appendices


def reference_line(content: ReportContent) -> str:
    """`(Kèm theo Báo cáo số 341/BC-UBND ngày 10 tháng 6 năm 2024 của …)`."""
    h = content.header
    kind = (h.doc_type or "BÁO CÁO").strip().capitalize()
    number = frame.number_line(h).removeprefix("Số: ")
    when = f" {document_date(h.date)}" if h.date else " ngày      tháng      năm"
    agency = frame.agency_name_of(content)
    return f"(Kèm theo {kind} số {number}{when}{f' của {agency}' if agency else ''})"


def _appendix(
    label: str, form: Form, values: dict[str, Entry], content: ReportContent, read: ReadReport
) -> list[str]:
    out = []
    if form.label and fold(form.label) != fold(label):
        out.append(ml.text_par(f"Mẫu: {form.label}", 12, italic=True, align="right"))
    out += [
        ml.text_par(label, bold=True, keep_next=True),
        ml.text_par(form.title.upper(), bold=True, keep_next=True),
        ml.text_par(reference_line(content), italic=True, after=12, keep_next=True),
        _form_table(form, values, read),
    ]
    return out


def _form_table(form: Form, values: dict[str, Entry], read: ReadReport) -> str:
    """STT | Chỉ tiêu thống kê | Đơn vị tính | Số liệu | Ghi chú; the header row
    repeats on each page and no row splits across pages."""
    header = ml.row(
        [
            ml.cell(w, ml.text_par(text, TABLE_PT, bold=True, before=3, after=3))
            for w, text in zip(FORM_COLUMNS, FORM_HEADINGS, strict=True)
        ],
        header=True,
    )
    rows = [header]
    groups = {ind.parent for ind in form.indicators if ind.parent}
    for ind in form.indicators:
        bold = ind.kind is Kind.HEADING or ind.code in groups
        entry = values.get(ind.code)
        shown = _shown(form.code, ind, entry, read)
        rows.append(
            _form_row(ind.stt or ind.code, ind.name, ind.note, _unit_lines(ind),
                      entry, ind, shown, bold)
        )  # fmt: skip
    known = {ind.code for ind in form.indicators}
    for code, entry in values.items():
        if code not in known:  # a value the template does not have: shown, never dropped
            name = entry.source.name if entry.source and entry.source.name else ""
            shown = display_value(None, entry)
            rows.append(
                _form_row(code, name or "(chỉ tiêu không có trong mẫu)", "", "", entry, None, shown)
            )
    return ml.table(FORM_COLUMNS, rows, grid=True, margin=FORM_CELL_MARGIN)


def _shown(form: str, ind: Indicator, entry: Entry | None, read: ReadReport) -> str:
    """The value as printed, from the report's reading of that cell."""
    if entry is None or not entry.raw.strip() or ind.kind is Kind.TEXT:
        return display_value(ind, entry)
    return display_value(ind, entry, read.read(form, ind, entry.raw))


def _unit_lines(ind: Indicator) -> str:
    """The unit as printed; coded options one per line (`Có = 1;` / `Không = 0`)."""
    if ind.kind is Kind.CHOICE:
        return _CHOICE_BREAK.sub(lambda m: f"{m.group(1)}\n", ind.measure).strip()
    return ind.measure


def _form_row(
    stt: str,
    name: str,
    note: str,
    unit: str,
    entry: Entry | None,
    ind: Indicator | None,
    shown: str,
    bold: bool = False,
) -> str:
    remarks: list[str] = []
    for text in (ind.remark if ind else "", entry.note if entry else ""):
        if text.strip() and text.strip() not in remarks:
            remarks.append(text.strip())
    name_runs = [ml.run(name, TABLE_PT, bold=bold)]
    if note:
        name_runs.append(ml.run(f" ({note})", TABLE_PT, italic=True))
    c = FORM_COLUMNS
    cells = [
        ml.cell(c[0], ml.text_par(stt, TABLE_PT, bold=bold, before=2, after=2)),
        ml.cell(c[1], ml.par(name_runs, TABLE_PT, align="left", before=2, after=2)),
        ml.cell(c[2], ml.text_par(unit, TABLE_PT, before=2, after=2)),
        ml.cell(c[3], ml.text_par(shown, TABLE_PT, before=2, after=2)),
        ml.cell(
            c[4], ml.text_par("; ".join(remarks), TABLE_PT - 1, align="left", before=2, after=2)
        ),
    ]
    return ml.row(cells)
