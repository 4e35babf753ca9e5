"""What a person typed into a cell of a workbook, as the text a report holds."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from openpyxl.cell.cell import Cell

from cchc.core.numbers import NumberError, format_number, parse_number
from cchc.core.text import clean
from cchc.importers.inference import parse_choices

__all__ = ["cell_text", "choice_code", "same_value", "stt_text"]

_CHOICE_CELL = re.compile(r"^\s*(\d+)\s*[-–:]\s*\S")


def _number_text(value: Decimal, unit: str = "") -> str:
    """A number as typed in Vietnamese; never one that reads two ways.

    78.94 → "78,94", 13 → "13". A number in a cell is certain, but "3,887"
    would read two ways: a trailing zero ("3,8870") keeps it one number —
    except for rates, where three decimals can only be a decimal anyway.
    """
    if value == value.to_integral():
        return str(int(value))
    text = format_number(value)
    try:
        ambiguous = parse_number(text).ambiguous
    except NumberError:  # pragma: no cover - format_number writes what parse_number reads
        ambiguous = False
    return f"{text}0" if ambiguous and unit.strip() != "%" else text


def cell_text(cell: Cell, unit: str = "") -> str:
    """What a person typed into a cell, as text (see `_number_text`)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (cell.number_format or ""):
            number = (number * 100).normalize()
        return _number_text(number, unit)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return clean(str(value).replace("\t", " "))


def stt_text(cell: Cell) -> str:
    """A row number as printed: 2.1 typed as a number stays "2.1", never "2,1"."""
    value = cell.value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return cell_text(cell)


def choice_code(text: str, unit: str) -> str:
    """ "1 - Có" (a drop-down entry) → "1" when 1 is one of the row's codes."""
    m = _CHOICE_CELL.match(text)
    return m.group(1) if m and int(m.group(1)) in parse_choices(unit) else text


def same_value(cell: str, written: str) -> bool:
    if cell == written:
        return True
    try:
        a, b = parse_number(cell), parse_number(written)
    except NumberError:
        return False
    return not a.ambiguous and not b.ambiguous and a.value == b.value
