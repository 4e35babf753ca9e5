"""What a spreadsheet cell cchc writes may hold: text stays text, sheet names Excel accepts.

A note typed as `=HYPERLINK("http://x","y")`, or a unit named
`=cmd|' /C calc'!A0`, must reach the reader as those characters, never as a
formula Excel, LibreOffice or Google Sheets would run (OWASP "CSV injection").
One rule for every writer (`starts_like_formula`), applied two ways:

- in a workbook, text is a string cell (never a formula cell, whatever it
  starts with) and, when it looks like a formula, carries Excel's own "quote
  prefix" mark so that editing the cell keeps it text;
- in CSV, where nothing marks a field as text, a field that looks like a
  formula gets a leading `'`, as OWASP advises.

CSV is written the way Vietnamese Excel opens it with a double click
(`csv_bytes`): fields separated by `;` (the list separator of a Windows set to
Vietnamese, where `,` is the decimal mark) and UTF-8 with a byte-order mark, without
which Excel reads the text as the ANSI code page and the diacritics break.

Numbers are not text: `-5` stays a number cell, and a plain `-5` or `+20,5%`
in CSV is left alone. cchc's own formulas (the «Tính lại» column of the report
workbook) are written by their writer as formulas, not through `put`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "CSV_SEPARATOR",
    "FORMULA_STARTS",
    "csv_bytes",
    "csv_row",
    "put",
    "sheet_title",
    "starts_like_formula",
    "write_row",
]

CSV_SEPARATOR = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*%?")
# Characters XML 1.0 cannot carry: openpyxl refuses the whole workbook over one of them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula (and it is not a plain number)."""
    text = text.lstrip(" ")
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text)


def csv_row(values: Iterable[Any]) -> list[Any]:
    """A CSV row whose text fields no spreadsheet runs: `=…` becomes `'=…`."""
    return [f"'{v}" if isinstance(v, str) and starts_like_formula(v) else v for v in values]


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV file: `;`-separated, UTF-8 with BOM, every row through `csv_row`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_SEPARATOR, lineterminator="\r\n")
    writer.writerows(csv_row(row) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def put(cell: Cell, value: Any) -> None:
    """Write a value into a workbook cell: a text is a string cell, never a formula."""
    if not isinstance(value, str):
        cell.value = value
        return
    value = _NOT_XML.sub("\ufffd", value)
    cell.value = value
    cell.data_type = "s"  # openpyxl makes every text starting with "=" a formula
    if starts_like_formula(value):
        cell.quotePrefix = True


def write_row(sheet: Worksheet, row: int, values: Sequence[Any]) -> None:
    """`put` each value into one row of a sheet, from column A."""
    for column, value in enumerate(values, start=1):
        put(sheet.cell(row, column), value)


def sheet_title(text: str, used: set[str], fallback: str = "Bảng") -> str:
    """A sheet name Excel accepts, made from any text, and not in `used` (casefolded; added).

    At most 31 characters, none of `[ ] : * ? / \\`, no quote at either end, no
    control character, not Excel's reserved «History», unique without regard
    to case (a number in brackets is added: «Biểu mẫu (2)»).
    """
    base = _BAD_TITLE.sub("-", _NOT_XML.sub("", text)).strip(" '") or fallback
    if base.casefold() == "history":
        base = f"{base} (1)"
    title, n = base[:SHEET_TITLE_MAX].rstrip(" '"), 1
    while title.casefold() in used:
        n += 1
        stem = base[: SHEET_TITLE_MAX - len(str(n)) - 3].rstrip(" '")
        title = f"{stem} ({n})"
    used.add(title.casefold())
    return title
