"""Reader for reports filled in Excel: our own workbooks and hand-made ones.

A workbook written by `cchc.documents.xlsx_writer` carries a very hidden sheet
naming, for every indicator row, its form and code, and a defined name that
Excel keeps on the row's value and note cells: those rows are read exactly,
and a value keeps the text it was written as ("01", "78,94%") as long as the
cell still holds that number.

Any other workbook is read like a paper form: in each visible sheet the header
row is found by its words (STT, Chỉ tiêu, Đơn vị tính, Số liệu, Ghi chú) in the
first rows and columns — wherever the table starts, with merged title and
header cells — and the rows beneath it are read until the table ends.

Cells become the text a person would have typed, the Vietnamese way: 13 →
"13", 78.94 → "78,94", 0.7894 shown as a percentage → "78,94"; text is kept as
written, so mapping and validation read it exactly as for a text report. A
formula gives its cached value (the one Excel last showed); a formula without
one is blank, with a note saying so. `Row.line` is the sheet row and the sheet
name is the table's label (or the first line of its caption).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import asdict
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core.report_content import DocumentHeader
from cchc.core.text import fold
from cchc.documents.xlsx_writer import (
    META_COLUMNS,
    META_FIRST_ROW,
    META_MARK,
    META_SHEET,
    TITLE_ROW,
)
from cchc.importers.errors import ImportError_
from cchc.importers.legacy_fonts import convert_workbook
from cchc.importers.safety import check_office_file
from cchc.importers.seed_text import HeaderFacts, Row, Table, TextDocument, read_text_report
from cchc.importers.xlsx_cells import cell_text, choice_code, same_value, stt_text

__all__ = ["read_xlsx_report", "xlsx_template_id"]

HEADER_SCAN_ROWS = 40  # a header row is looked for this far below the previous table
HEADER_SCAN_COLUMNS = 20
_CAPTION = re.compile(r"^(phụ lục|biểu mẫu|biểu|bảng)\s*(số\s*)?[\dIVXLC]+\b", re.IGNORECASE)
_NUMBERING = re.compile(r"^\(?[A-Za-z0-9]{1,2}\)?$")
_STT_AND_NAME = re.compile(r"^([IVXLC]+\.|\d+(?:\.\d+)*\.?)\s+(\S.*)$")
_ROLES = (
    ("stt", ("stt", "tt", "so tt", "so thu tu")),
    ("name", ("chi tieu", "ten chi tieu", "noi dung")),
    ("unit", ("don vi tinh", "dvt")),
    ("value", ("so lieu", "so luong", "gia tri", "ket qua thuc hien")),
    ("note", ("ghi chu",)),
)


def _open(data: bytes, file: str, *, formulas: bool = False) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data), data_only=not formulas)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise ImportError_(f"{file}: không đọc được tệp Excel ({exc}).") from exc


def read_xlsx_report(data: bytes, file: str) -> TextDocument:
    """Read an .xlsx report into the same `TextDocument` a text report gives."""
    check_office_file(data, file, "xlsx")
    wb = _open(data, file)
    conversions = convert_workbook(wb)
    if _is_own(wb):
        doc = _read_own(wb, file)
    else:
        formula_wb = _open(data, file, formulas=True) if _has_formulas(data) else None
        if formula_wb is not None:
            convert_workbook(formula_wb)
        doc = _read_any(wb, formula_wb, file)
    doc.conversions = conversions
    return doc


def xlsx_template_id(data: bytes, file: str = "") -> str | None:
    """The template id a workbook written by cchc names, or None for any other workbook."""
    check_office_file(data, file, "xlsx")
    wb = _open(data, file)
    if not _is_own(wb):
        return None
    return str(wb[META_SHEET]["B2"].value or "") or None


# ------------------------------------------------------------------ our own workbooks


def _is_own(wb: Workbook) -> bool:
    return META_SHEET in wb.sheetnames and wb[META_SHEET]["A1"].value == META_MARK


def _header_facts(info: dict[str, Any]) -> HeaderFacts:
    h = info.get("header") or {}
    fields = asdict(DocumentHeader.from_json(h))
    fields["doc_type"] = str(h.get("doc_type") or "")  # blank stays blank when read back
    return HeaderFacts(**fields, unit=str(info.get("unit") or ""))


def _read_own(wb: Workbook, file: str) -> TextDocument:
    meta = wb[META_SHEET]
    try:
        info = json.loads(meta["B3"].value or "{}")
    except ValueError:
        info = {}
    named: dict[str, dict[int, Row]] = {}  # sheet → row number → row
    value_columns: dict[str, tuple[int, int]] = {}
    for values in meta.iter_rows(
        min_row=META_FIRST_ROW, max_col=len(META_COLUMNS), values_only=True
    ):
        item = {k: "" if v is None else str(v) for k, v in zip(META_COLUMNS, values, strict=True)}
        if not item["n"]:
            continue
        name = wb.defined_names.get(f"cchc_r{item['n']}")
        where = next(iter(name.destinations), None) if name else None
        if where is None or where[0] not in wb.sheetnames:
            continue  # the row was deleted from the sheet
        ws = wb[where[0]]
        first_col, row, last_col, _ = range_boundaries(where[1].replace("$", ""))
        value_cell, note_cell = ws.cell(row, first_col), ws.cell(row, last_col)
        text = cell_text(value_cell, item["unit"])
        if item["kind"] == "choice":
            text = choice_code(text, item["unit"])
        raw = item["raw"] if same_value(text, item["raw"]) else text
        printed = cell_text(note_cell)
        note = item["note"] if printed == item["printed_note"] else printed
        stt = item["stt"] if Row(0, item["stt"], "").code == item["code"] else f"{item['code']}."
        named.setdefault(ws.title, {})[row] = Row(
            row, stt, item["name"], item["unit"], raw, note, bold=bool(ws.cell(row, 1).font.b)
        )
        value_columns[ws.title] = (first_col, last_col)
    tables = []
    for ws in wb.worksheets:
        if ws.title not in named:
            if ws.sheet_state == "visible":  # a sheet someone added: read it as printed
                tables.extend(_tables_in(ws, None))
            continue
        rows = named[ws.title]
        value_col, note_col = value_columns[ws.title]
        first = min(rows)
        for r in range(first, ws.max_row + 1):
            if r not in rows:  # a row someone inserted: read it as printed
                extra = _row(ws, r, {"stt": 1, "name": 2, "unit": 3, "value": value_col}, note_col)
                if extra and extra.value:
                    rows[r] = extra
        caption = [t for r in range(1, first - 2) if (t := cell_text(ws.cell(r, 1)))]
        tables.append(
            Table(
                line=first - 2,
                label=ws.title,
                title=cell_text(ws.cell(TITLE_ROW, 1)),
                caption=caption,
                value_header="Số liệu",
                rows=[rows[r] for r in sorted(rows)],
            )
        )
    return TextDocument(file=file, header=_header_facts(info), narrative=[], tables=tables)


# ------------------------------------------------------------------ any workbook


def _has_formulas(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                if b"<f>" in xml or b"<f " in xml:
                    return True
    return False


def _role(text: str) -> str | None:
    f = fold(text)
    for role, words in _ROLES:
        if f in words or any(f.startswith(w + " ") or f == w for w in words if len(w) > 3):
            return role
    return None


def _roles_in(ws: Worksheet, row: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for col in range(1, min(ws.max_column, HEADER_SCAN_COLUMNS) + 1):
        value = ws.cell(row, col).value
        if isinstance(value, str) and (role := _role(value)) and role not in found:
            found[role] = col
    return found


def _header_like(ws: Worksheet, row: int, stt_col: int | None) -> bool:
    """A second header row: no row number, no figures."""
    if stt_col and ws.cell(row, stt_col).value not in (None, ""):
        return False
    cells = ws[row][:HEADER_SCAN_COLUMNS]
    return not any(isinstance(c.value, int | float) for c in cells)


def _find_header(ws: Worksheet, start: int) -> tuple[int, int, dict[str, int]] | None:
    """(first header row, first data row, role → column) of the next table from `start`."""
    for r in range(start, min(ws.max_row, start + HEADER_SCAN_ROWS) + 1):
        roles = _roles_in(ws, r)
        if len(roles) < 2 or not ({"stt", "name"} & set(roles)):
            continue
        end = r
        for below in (r + 1, r + 2):
            more = _roles_in(ws, below)
            if not more or not _header_like(ws, below, roles.get("stt")):
                break
            # The lower row names the columns a group heading ("Kết quả thống kê") spans.
            roles = {**roles, **{k: c for k, c in more.items() if k not in roles or k != "stt"}}
            end = below
        if "value" not in roles:
            continue
        data = end + 1
        name_col = roles.get("name", roles.get("stt", 1))
        if _NUMBERING.match(cell_text(ws.cell(data, name_col))):
            data += 1  # the (1) (2) (3) column-numbering row
        return r, data, roles
    return None


def _row(ws: Worksheet, r: int, cols: dict[str, int], note_col: int | None) -> Row | None:
    def text(role: str) -> str:
        return cell_text(ws.cell(r, cols[role])) if role in cols else ""

    stt = stt_text(ws.cell(r, cols["stt"])) if "stt" in cols else ""
    name, unit = text("name"), text("unit")
    if stt and not name and len(stt) > 12:  # "I. KIỂM TRA CCHC" merged across STT and name
        m = _STT_AND_NAME.match(stt)
        stt, name = (m.group(1), m.group(2)) if m else ("", stt)
    value_cell = ws.cell(r, cols["value"])
    value = choice_code(cell_text(value_cell, unit), unit)
    notes = [cell_text(ws.cell(r, note_col))] if note_col else []
    if isinstance(value_cell.value, str) and value_cell.value.startswith("="):
        value = ""
        notes.append(
            f"Ô {value_cell.coordinate} có công thức «{value_cell.value}» nhưng tệp chưa lưu kết "
            "quả tính: bỏ trống; hãy mở tệp bằng Excel, lưu lại rồi nhập lại."
        )
    note = " ".join(n for n in notes if n)
    if not (stt or name or unit or value or note):
        return None
    bold = any(ws.cell(r, cols[k]).font.b for k in ("stt", "name") if k in cols)
    return Row(r, stt, name, unit, value, note, bold=bool(bold))


def _caption(ws: Worksheet, start: int, header: int) -> list[str]:
    lines = []
    for r in range(start, header):
        texts = [cell_text(c) for c in ws[r][:HEADER_SCAN_COLUMNS] if c.value is not None]
        if texts:
            lines.append(" ".join(texts))
    return lines


def _read_table(
    ws: Worksheet, formulas: Worksheet | None, start: int, found: tuple[int, int, dict[str, int]]
) -> tuple[Table, int]:
    header, data, cols = found
    caption = _caption(ws, start, header)
    table = Table(line=header, value_header=cell_text(ws.cell(header + 1, cols["value"])))
    if _role(table.value_header) != "value":
        table.value_header = cell_text(ws.cell(header, cols["value"]))
    labelled = [c for c in caption if _CAPTION.match(c)]
    table.label = labelled[0][: _CAPTION.match(labelled[0]).end()] if labelled else ws.title  # type: ignore[union-attr]
    table.caption = [f"Trang tính: {ws.title}", *caption]
    after = caption[caption.index(labelled[0]) + 1 :] if labelled else caption[-1:]
    title = [c for c in after if not c.startswith("(") and not fold(c).startswith("don vi")]
    table.title = " ".join(title)
    blank = 0
    r = data
    while r <= ws.max_row:
        if _roles_in(ws, r).keys() >= {"stt", "name"}:
            break  # the next table's header
        source = formulas if formulas is not None else ws
        row = _row(_Overlay(ws, source), r, cols, cols.get("note"))
        if row is None:
            blank += 1
            if blank >= 2 and table.rows:
                break
        else:
            blank = 0
            if fold(row.stt) == "trong do":
                row.stt, row.breakdown = "", True
            elif not row.stt and table.rows and table.rows[-1].breakdown:
                row.breakdown = True
            table.rows.append(row)
        r += 1
    return table, r


class _Overlay:
    """A sheet whose cells hold cached values, or the formula where none was cached."""

    def __init__(self, values: Worksheet, formulas: Worksheet) -> None:
        self.values, self.formulas = values, formulas

    def cell(self, row: int, col: int) -> Cell:
        cell = self.values.cell(row, col)
        if cell.value is None and self.formulas is not self.values:
            other = self.formulas.cell(row, col)
            if isinstance(other.value, str) and other.value.startswith("="):
                return other
        return cell


def _tables_in(ws: Worksheet, formulas: Worksheet | None) -> list[Table]:
    tables = []
    start = 1
    while (found := _find_header(ws, start)) is not None:
        table, start = _read_table(ws, formulas, start, found)
        if table.rows:
            tables.append(table)
    return tables


def _read_any(wb: Workbook, formula_wb: Workbook | None, file: str) -> TextDocument:
    tables: list[Table] = []
    loose: list[str] = []  # text outside the tables, for the header facts
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            found = _tables_in(ws, formula_wb[ws.title] if formula_wb is not None else None)
            tables.extend(found)
            loose.extend(line for t in found for line in t.caption[1:])
    header = read_text_report("\n".join(loose), file).header if loose else HeaderFacts()
    return TextDocument(file=file, header=header, narrative=[], tables=tables)
