"""A table as the pages show it, written as CSV or as a workbook: one layout for every file.

The domain hands over a `Table` (title, header, rows of cells); a writer turns it
into a file. A figure is a `Decimal` with the kind of its column (or a `Figure`,
which carries its own kind): the page and the CSV write it as text (`78,95%`),
the workbook as a number (78.95) that Excel can sort and sum. Every text goes
through the cell rules of `cells`, so no spreadsheet runs what a unit typed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from cchc.core.figures import format_figure
from cchc.core.templates import Kind
from cchc.documents import Output
from cchc.documents.cells import csv_bytes, sheet_title, write_row

__all__ = [
    "TABLE_EXTENSIONS",
    "Cell",
    "CsvWriter",
    "Figure",
    "Table",
    "TableWriter",
    "WorkbookWriter",
    "table_writer",
    "text_rows",
]

TABLE_EXTENSIONS = ("csv", "xlsx")


@dataclass(frozen=True)
class Figure:
    """A figure whose kind is its own, not its column's (a column of mixed indicators)."""

    value: Decimal | None
    kind: Kind


Cell = str | Decimal | int | Figure | None


@dataclass(frozen=True)
class Table:
    """`kinds` say how each column's `Decimal` is written; `widths` fix the workbook's
    columns (else they fit their text); `headings` are rows (from 0) written bold."""

    title: str
    header: list[str]
    rows: list[list[Cell]]
    kinds: list[Kind | None]
    widths: tuple[int, ...] = ()
    headings: frozenset[int] = field(default_factory=frozenset)


def _text(cell: Cell, kind: Kind | None) -> str:
    if isinstance(cell, Figure):
        return format_figure(cell.value, cell.kind)
    if isinstance(cell, Decimal):
        return format_figure(cell, kind or Kind.AMOUNT)
    return "" if cell is None else str(cell)


def text_rows(table: Table) -> list[list[str]]:
    """Every cell as text, the way the page writes it."""
    return [
        [_text(cell, kind) for cell, kind in zip(row, table.kinds, strict=True)]
        for row in table.rows
    ]


def _number(cell: Cell) -> str | int | float | None:
    if isinstance(cell, Figure):
        cell = cell.value
    return float(cell) if isinstance(cell, Decimal) else cell


class TableWriter(Output, Protocol):
    """A table as a file: `identifier` "csv", `extension` ".csv"."""

    def render(self, table: Table) -> bytes: ...


class CsvWriter:
    """`;`-separated UTF-8 with a byte-order mark, as Vietnamese Excel opens it."""

    identifier = "csv"
    extension = ".csv"
    media_type = "text/csv; charset=utf-8"

    def render(self, table: Table) -> bytes:
        return csv_bytes([table.header, *text_rows(table)])


class WorkbookWriter:
    """One sheet named after the table; figures as numbers (a rate as its percentage)."""

    identifier = "xlsx"
    extension = ".xlsx"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def render(self, table: Table) -> bytes:
        from openpyxl import Workbook  # noqa: PLC0415 — openpyxl loads only for a workbook
        from openpyxl.styles import Alignment, Font  # noqa: PLC0415 — openpyxl loads only for a workbook
        from openpyxl.utils import get_column_letter  # noqa: PLC0415 — openpyxl loads only for a workbook

        book = Workbook()
        sheet = book.active
        sheet.title = sheet_title(table.title, set())
        write_row(sheet, 1, table.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for n, row in enumerate(table.rows):
            write_row(sheet, n + 2, [_number(x) for x in row])
            if n in table.headings:
                for cell in sheet[n + 2]:
                    cell.font = Font(bold=True)
        for i, column in enumerate(sheet.iter_cols(max_col=len(table.header))):
            if i < len(table.widths):
                width = table.widths[i]
            else:
                longest = max(len(str(c.value or "")) for c in column)
                width = min(max(10, longest + 2), 80)
            sheet.column_dimensions[get_column_letter(i + 1)].width = width
            for c in column:
                c.alignment = Alignment(wrap_text=True, vertical="top")
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def table_writer(extension: str) -> TableWriter:
    """The writer for `csv` or `xlsx` (with or without the dot, any case)."""
    ext = extension.lower().lstrip(".")
    if ext == "csv":
        return CsvWriter()
    if ext == "xlsx":
        return WorkbookWriter()
    raise ValueError(f"Không xuất được bảng dạng «.{ext}»: chỉ xuất được .csv và .xlsx.")
