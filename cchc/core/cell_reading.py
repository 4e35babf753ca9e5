"""Reading one cell as its indicator demands: a Vietnamese number (`1.102`, `78,95%`,
`3,2 nghìn`), a coded answer (`1`, `Có`, `x`, `✓`), a nil marker (`-`, `không có`),
with what makes it unusable or doubtful. The only parser of a cell's text: a report
is read through it once (`reading.py`), a stored total through its cache
(`consolidation/reading.py`), a value about to be saved by `limits.value_problem`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from cchc.core.numbers import NumberError, NumberTooLong, format_number, parse_number
from cchc.core.templates import Indicator, Kind
from cchc.core.text import fold, shorten

__all__ = ["ReadValue", "read_value"]


@dataclass(frozen=True)
class ReadValue:
    """A value read for its indicator: the number used, and what was wrong."""

    value: Decimal | None
    text: str = ""
    ambiguous: bool = False
    readings: tuple[Decimal, ...] = ()
    problem: str = ""  # rule id of what makes the value unusable or doubtful
    message: str = ""


def _fits(kind: Kind, value: Decimal) -> bool:
    if kind is Kind.RATE:
        return 0 <= value <= 100
    return value == value.to_integral()


# What offices write in a cell that has nothing to report: blank, not unreadable.
_NIL = {"-", "--", "—", "–", "x", "không có", "không"}
_TICKS = {"x", "✓", "✔", "☑", "có"}  # a mark in a Có/không cell answers "Có"
_MULTIPLIERS = {"nghin": 1000, "ngan": 1000, "trieu": 1_000_000}
_NUMBER_AND_WORDS = re.compile(r"([-−+]?[\d.,\s]*\d%?)\s+([^\d\s].*)")


def _yes_no(ind: Indicator) -> dict[str, int] | None:
    """A Có/không choice's codes by folded label, or None for other choices."""
    labels = {fold(label): code for code, label in ind.choices.items()}
    return labels if set(labels) == {"co", "khong"} else None


def _unit_words(ind: Indicator, number: str, words: str) -> ReadValue | None:
    """ "2.362 hồ sơ" (the unit in the cell) or "3,2 nghìn": the number, said aloud."""
    folded = fold(words)
    factor = _MULTIPLIERS.get(folded.split()[0]) if folded else None
    rest = " ".join(folded.split()[1:]) if factor else folded
    unit = fold(ind.measure)
    if rest and not (unit and (rest in unit or unit in rest)):
        return None
    try:
        parsed = parse_number(number)
    except NumberError:
        return None
    value = parsed.value
    if parsed.ambiguous and factor is None:
        whole = [r for r in parsed.readings if r == r.to_integral()]
        if len(whole) != 1:
            return None
        value = whole[0]
    value = value * (factor or 1)
    shown = format_number(value)
    return ReadValue(
        value,
        text=f"{number} {words}",
        problem="value-with-unit",
        message=f"«{number} {words}» được đọc là {shown} (bỏ chữ, đơn vị tính ở cột riêng)",
    )


def read_value(ind: Indicator, raw: str) -> ReadValue:
    """Read one raw text as the indicator's kind requires."""
    text = raw.strip()
    if not text:
        return ReadValue(None)
    if ind.kind is Kind.TEXT:
        return ReadValue(None, text=text)
    yes_no = _yes_no(ind) if ind.kind is Kind.CHOICE else None
    if yes_no and text.lower() in _TICKS:
        return ReadValue(Decimal(yes_no["co"]))
    if ind.kind is Kind.CHOICE and not text[0].isdigit():
        by_label = {fold(label): code for code, label in ind.choices.items()}
        if fold(text) in by_label:
            return ReadValue(Decimal(by_label[fold(text)]))
    if text.lower() in _NIL:
        return ReadValue(None)
    if ind.kind in (Kind.COUNT, Kind.AMOUNT) and (m := _NUMBER_AND_WORDS.fullmatch(text)):
        read = _unit_words(ind, m.group(1).strip(), m.group(2).strip())
        if read is not None:
            return read
    try:
        parsed = parse_number(text)
    except NumberTooLong as exc:
        return ReadValue(None, text=text, problem="number-too-long", message=str(exc))
    except NumberError:
        return ReadValue(
            None,
            text=text,
            problem="unreadable-value",
            message=f"«{shorten(text)}» không đọc được thành số",
        )
    value, readings = parsed.value, parsed.readings
    if parsed.ambiguous and ind.kind is not Kind.AMOUNT:
        # Only one reading fits the indicator (a whole count, a rate up to 100): no doubt remains.
        fits = [r for r in readings if _fits(ind.kind, r)]
        if len(fits) == 1:
            value, readings = fits[0], ()
    if readings:
        shown = " hoặc ".join(format_number(r) for r in readings)
        return ReadValue(
            value,
            ambiguous=True,
            readings=readings,
            problem="ambiguous-number",
            message=f"«{text}» đọc được hai cách ({shown}); cần xác nhận",
        )
    return ReadValue(value)
