"""The statistical forms as an Excel workbook, laid out like the paper appendices.

One sheet per form (named after its label, "Phụ lục 2"): the title block (unit,
label, title, period, "(Kèm theo Báo cáo số …)"), then the table STT | Chỉ tiêu
thống kê | Đơn vị tính | Số liệu | Ghi chú under the two-row header of the paper
form, in Times New Roman, bordered, wrapped, printable on A4 with the header
repeated on every page. The workbook is meant to be filled offline and imported
again, so every value cell carries a data validation (whole numbers ≥ 0 for
counts, 0–100 for rates, a drop-down of "1 - Có" style options for coded
answers) with Vietnamese messages (`xlsx_rules`). The figures are the report's
one reading (`ReportContent.reading`), never read again here.

Reported rates and live formulas. Column D («Số liệu») always holds the figure
as the unit reported it: seed 001 reports 78,94% where 15/19 gives 78,947…, and
that reported figure is what validation must see. A rate with a formula also
gets a live Excel formula in column F («Tính lại»), e.g.
`=IF(COUNT(D8,D9)<2,"",IFERROR(D9/D8*100,""))`, over the D cells of its
operands (`'Phụ lục 2'!D8` across forms): a blank operand or a zero
denominator gives an empty cell, never 0 or 100. Column F is outside the print
area, so the printed form stays the paper form.

Values are real numbers (counts as int, amounts and rates as float) with
`#,##0` / `#,##0.00`-style formats; a text that reads two ways (`3,887`) or not
at all stays text, filled orange with a comment saying why.

Round trip. A very hidden sheet `_cchc` holds the template id, the document
header (JSON), and one line per indicator row: form, code, the printed texts,
the value as written ("01", "78,94%") and the note. A hidden defined name
`cchc_r<n>` points at that row's value and note cells, so Excel keeps it right
when rows are inserted or sheets renamed. The reader
(`cchc.importers.xlsx_reader`) uses the written text whenever the cell still
holds the same number, and the cell otherwise.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Callable
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from cchc.core.formulas import Ref
from cchc.core.numbers import decimals_of, format_number
from cchc.core.periods import Period, PeriodError, short_date
from cchc.core.reading import ReadReport
from cchc.core.report_content import ReportContent
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate
from cchc.documents.cells import put, sheet_title, write_row
from cchc.documents.xlsx_formulas import excel_formula
from cchc.documents.xlsx_rules import add_rule, choice_text

__all__ = [
    "MEDIA_TYPE",
    "META_COLUMNS",
    "META_FIRST_ROW",
    "META_MARK",
    "META_SHEET",
    "TITLE_ROW",
    "XlsxWriter",
    "render_xlsx",
    "sheet_titles",
]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
META_SHEET = "_cchc"
META_MARK = "cchc-xlsx/1"
META_COLUMNS = ("n", "form", "code", "stt", "name", "unit", "kind", "raw", "note", "printed_note")
META_FIRST_ROW = 5  # row 4 holds META_COLUMNS
NAME_PREFIX = "cchc_r"

TITLE_ROW = 3  # the form's title; unit, label, period and "Kèm theo" around it
HEADER_ROW = 7  # the two header rows are 7 and 8
FIRST_ROW = 9
STT, NAME, UNIT, VALUE, NOTE, CHECK = "A", "B", "C", "D", "E", "F"
WIDTHS = {STT: 7, NAME: 58, UNIT: 16, VALUE: 13, NOTE: 22, CHECK: 11}
FONT = "Times New Roman"
LINE_HEIGHT = 15.75  # points per line of 12 pt Times New Roman

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_DOUBT = PatternFill("solid", fgColor="FCE4D6")
_HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
_FORMATS = {Kind.COUNT: "#,##0", Kind.AMOUNT: "#,##0.###", Kind.RATE: "0.00"}


class XlsxWriter:
    """The forms of a report as an .xlsx workbook (see the module notes)."""

    identifier = "xlsx"
    extension = ".xlsx"
    media_type = MEDIA_TYPE

    def render(self, template: ReportTemplate, content: ReportContent) -> bytes:
        return render_xlsx(template, content)


def sheet_titles(template: ReportTemplate) -> dict[str, str]:
    """Form code → sheet name: the label, ≤ 31 characters, no []:*?/\\, unique."""
    used = {META_SHEET.casefold()}
    return {
        form.code: sheet_title(form.label or form.code, used, form.code) for form in template.forms
    }


def quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def render_xlsx(template: ReportTemplate, content: ReportContent) -> bytes:
    """The workbook of the template's forms filled with the report's values."""
    titles = sheet_titles(template)
    rows = {
        (form.code, ind.code): FIRST_ROW + i
        for form in template.forms
        for i, ind in enumerate(form.indicators)
    }

    def cell_of(ref: Ref, own: str) -> str | None:
        form = ref.form or own
        row = rows.get((form, ref.code))
        if row is None:
            return None
        return f"{VALUE}{row}" if form == own else f"{quote_sheet(titles[form])}!{VALUE}{row}"

    wb = Workbook()
    wb.remove(wb.active)
    meta: list[list[str]] = []
    read = content.reading(template)
    for form in template.forms:
        ws = wb.create_sheet(titles[form.code])
        _write_form(ws, form, content, read, lambda ref, f=form.code: cell_of(ref, f), meta)  # type: ignore[misc]
    _write_meta(wb, template, content, titles, meta)
    when = (
        datetime.combine(content.header.date, datetime.min.time()) if content.header.date else None
    )
    return _save(wb, when or datetime(2000, 1, 1))


# ------------------------------------------------------------------ one form


def _font(size: int = 12, *, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def _lines(text: str, width: float, *, bold: bool = False) -> int:
    """Lines a wrapped text takes in a column of `width` (12 pt Times New Roman)."""
    per_line = max(1.0, (width * 1.4 - 4) * (0.9 if bold else 1.0))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n")) or 1


def _title_block(ws: Worksheet, form: Form, content: ReportContent, last: str) -> None:
    period = ""
    if content.period:
        try:
            period = f"Kỳ báo cáo: {Period.from_key(content.period).label}"
        except PeriodError:
            period = f"Kỳ báo cáo: {content.period}"
    h = content.header
    attached = ""
    if h.number:
        number = f"{h.number}/{h.symbol}" if h.symbol else h.number
        day = f" ngày {short_date(h.date)}" if h.date else ""
        by = f" của {content.unit}" if content.unit else ""
        attached = f"(Kèm theo {h.doc_type.capitalize()} số {number}{day}{by})"
    lines = [
        (f"Đơn vị: {content.unit}" if content.unit else "", _font(bold=True), "left"),
        (form.label, _font(13, bold=True), "center"),
        (form.title.upper(), _font(13, bold=True), "center"),
        (period, _font(italic=True), "center"),
        (attached, _font(italic=True), "center"),
    ]
    total_width = sum(WIDTHS[c] for c in (STT, NAME, UNIT, VALUE, NOTE))
    for row, (text, font, align) in enumerate(lines, start=1):
        ws.merge_cells(f"{STT}{row}:{last}{row}")
        cell = ws[f"{STT}{row}"]
        put(cell, text or None)
        cell.font = font
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if text:
            ws.row_dimensions[row].height = LINE_HEIGHT * 1.1 * _lines(text, total_width, bold=True)


def _header(ws: Worksheet, with_check: bool) -> None:
    top, sub = HEADER_ROW, HEADER_ROW + 1
    cells = {
        f"{STT}{top}": "STT",
        f"{NAME}{top}": "Chỉ tiêu thống kê",
        f"{UNIT}{top}": "Kết quả thống kê",
        f"{UNIT}{sub}": "Đơn vị tính",
        f"{VALUE}{sub}": "Số liệu",
        f"{NOTE}{top}": "Ghi chú",
    }
    merges = [f"{STT}{top}:{STT}{sub}", f"{NAME}{top}:{NAME}{sub}", f"{UNIT}{top}:{VALUE}{top}"]
    merges.append(f"{NOTE}{top}:{NOTE}{sub}")
    columns = [STT, NAME, UNIT, VALUE, NOTE]
    if with_check:
        cells[f"{CHECK}{top}"] = "Tính lại (%)"
        merges.append(f"{CHECK}{top}:{CHECK}{sub}")
        columns.append(CHECK)
    for ref, text in cells.items():
        ws[ref] = text
    for col in columns:
        for row in (top, sub):
            cell = ws[f"{col}{row}"]
            cell.font = _font(bold=col != CHECK, italic=col == CHECK)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
            cell.fill = _HEAD_FILL
    for ref in merges:
        ws.merge_cells(ref)


def _write_form(
    ws: Worksheet,
    form: Form,
    content: ReportContent,
    read: ReadReport,
    cell_of: Callable[[Ref], str | None],
    meta: list[list[str]],
) -> None:
    with_check = any(ind.formula for ind in form.indicators)
    _title_block(ws, form, content, NOTE)
    _header(ws, with_check)
    validations: dict[tuple[str, ...], DataValidation] = {}
    row = FIRST_ROW
    for row, ind in enumerate(form.indicators, start=FIRST_ROW):
        entry = content.value(form.code, ind.code)
        raw = entry.raw if entry else ""
        entry_note = entry.note if entry else ""
        note = entry_note or ind.remark
        bold = ind.kind is Kind.HEADING or not ind.parent
        texts = {STT: ind.stt, NAME: ind.label, UNIT: ind.measure, NOTE: note}
        for col, text in texts.items():
            cell = ws[f"{col}{row}"]
            put(cell, text or None)
            cell.font = _font(bold=bold and col in (STT, NAME))
            centred = col in (STT, UNIT)
            cell.alignment = Alignment(
                horizontal="center" if centred else "left", vertical="center", wrap_text=True
            )
        value = ws[f"{VALUE}{row}"]
        value.font = _font()
        value.alignment = Alignment(horizontal="right", vertical="center")
        _put_value(value, ind, raw, read, form.code)
        if ind.has_value:
            add_rule(validations, ind, value.coordinate)
        if with_check:
            check = ws[f"{CHECK}{row}"]
            check.font = _font(italic=True)
            check.number_format = "0.00"
            if ind.formula and (formula := excel_formula(ind.formula, cell_of)):
                check.value = formula
        for col in (STT, NAME, UNIT, VALUE, NOTE, *([CHECK] if with_check else [])):
            ws[f"{col}{row}"].border = _BORDER
        height = max(_lines(ind.label, WIDTHS[NAME], bold=bold), _lines(note, WIDTHS[NOTE]))
        height = max(height, _lines(ind.measure, WIDTHS[UNIT]))
        ws.row_dimensions[row].height = LINE_HEIGHT * height + 3
        meta.append(
            [
                form.code,
                ind.code,
                ind.stt,
                ind.label,
                ind.measure,
                ind.kind.value,
                raw,
                entry_note,
                note,
            ]
        )
    for dv in validations.values():
        ws.add_data_validation(dv)
    for col, width in WIDTHS.items():
        if col != CHECK or with_check:
            ws.column_dimensions[col].width = width
    ws.freeze_panes = f"{STT}{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW + 1}"
    ws.print_area = f"{STT}1:{NOTE}{row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    # Decree 30 margins (mm → inch): top/bottom 20, left 30, right 15.
    ws.page_margins.top = ws.page_margins.bottom = 0.79
    ws.page_margins.left, ws.page_margins.right = 1.18, 0.59
    ws.page_margins.header = ws.page_margins.footer = 0.3


def _doubt(cell, message: str) -> None:
    cell.fill = _DOUBT
    comment = Comment(message, "cchc")
    comment.width, comment.height = 260, 90
    cell.comment = comment


def _put_value(cell, ind: Indicator, raw: str, report: ReadReport, form: str) -> None:
    """The value as a number when it reads one way; as flagged text otherwise,
    from the report's reading of the cell."""
    cell.number_format = _FORMATS.get(ind.kind, "General")
    text = raw.strip()
    if not text:
        return
    if ind.kind in (Kind.TEXT, Kind.HEADING):
        put(cell, text)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        return
    read = report.read(form, ind, raw)
    if read.value is None or read.ambiguous or read.problem:
        put(cell, text)
        _doubt(cell, f"{read.message or 'Giá trị cần kiểm tra'}. Ô giữ nguyên chữ như đã ghi.")
        return
    number = read.value
    whole = number == number.to_integral()
    if ind.kind is Kind.CHOICE:
        if whole and int(number) in ind.choices:
            put(cell, choice_text(int(number), ind.choices[int(number)]))
            cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
            return
        options = "; ".join(choice_text(c, label) for c, label in ind.choices.items())
        _doubt(cell, f"Mã {format_number(number)} không có trong các lựa chọn: {options}.")
    cell.value = int(number) if whole else float(number)
    places = min(decimals_of(number), 10)
    cell.number_format = "#,##0" if whole else "#,##0." + "0" * places


# ------------------------------------------------------------------ metadata, saving


def _write_meta(
    wb: Workbook,
    template: ReportTemplate,
    content: ReportContent,
    titles: dict[str, str],
    meta: list[list[str]],
) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    header: dict[str, Any] = {"template": template.id, "unit": content.unit}
    header["period"] = content.period
    header["header"] = content.header.to_json()
    write_row(ws, 1, [META_MARK, "Dữ liệu để cchc nhập lại tệp này; xin đừng sửa."])
    write_row(ws, 2, ["template", template.id])
    write_row(ws, 3, ["content", json.dumps(header, ensure_ascii=False)])
    write_row(ws, META_FIRST_ROW - 1, META_COLUMNS)
    for n, values in enumerate(meta, start=1):
        write_row(ws, META_FIRST_ROW + n - 1, [n, *values])
    offsets: dict[str, int] = {}
    for n, values in enumerate(meta, start=1):
        form = values[0]
        offset = offsets.get(form, 0)
        offsets[form] = offset + 1
        sheet = quote_sheet(titles[form])
        target = f"{sheet}!${VALUE}${FIRST_ROW + offset}:${NOTE}${FIRST_ROW + offset}"
        wb.defined_names[f"{NAME_PREFIX}{n}"] = DefinedName(
            f"{NAME_PREFIX}{n}", attr_text=target, hidden=True
        )


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose entries all carry one date, so the same report gives the same bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        with open(filename, "rb") as f:  # openpyxl writes sheets to temporary files first
            self.writestr(str(arcname or filename), f.read())


def _save(wb: Workbook, when: datetime) -> bytes:
    wb.properties.creator = "cchc"
    wb.properties.created = wb.properties.modified = when
    buffer = io.BytesIO()
    ExcelWriter(wb, _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return buffer.getvalue()
