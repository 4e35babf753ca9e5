"""Vietnamese numbers: `.` groups thousands, `,` is the decimal mark.

People type numbers every which way (`1102`, `1.102`, `78,94%`, `01`, `3,887`).
The parser accepts what they type, but a value that reads two ways — one
separator followed by exactly three digits — is returned as *ambiguous* with
both readings, never silently guessed.

Numbers are bounded by what a report can hold (`MAX_WHOLE_DIGITS`,
`MAX_DECIMALS`): a figure beyond them is a typing accident, refused with its
own error (`NumberTooLong`) rather than carried into sums and rates. Formatting
never fails, whatever the magnitude a computation reaches.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from cchc.core.text import shorten

__all__ = [
    "MAX_DECIMALS",
    "MAX_WHOLE_DIGITS",
    "NumberError",
    "NumberTooLong",
    "ParsedNumber",
    "decimals_of",
    "format_number",
    "format_percent",
    "json_float",
    "parse_number",
    "rounded",
]

# Amounts in đồng reach 10^15 (a province's budget); 18 digits leave room for
# national totals and still fit a 64-bit integer. Rates need a few decimals.
MAX_WHOLE_DIGITS = 18
MAX_DECIMALS = 15  # a float written by a program (78.94736842105263) still reads
# Longer than any bounded number can be written, even with separators and spaces.
_MAX_NUMBER_CHARS = 64
# No text this short can hold more whole digits or decimals than the bounds allow.
_ALWAYS_BOUNDED = min(MAX_WHOLE_DIGITS, MAX_DECIMALS + 1)
# Past this many digits a computed figure is printed as a power of ten.
_MAX_SHOWN_DIGITS = 40


class NumberError(ValueError):
    """A text that is not a number; the message is Vietnamese."""


class NumberTooLong(NumberError):
    """A number with more digits than a report can hold; the message says the limit."""


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from text.

    `value` is the Vietnamese reading; when `ambiguous` is true, `readings`
    holds every reading and a person must confirm which one is meant.
    """

    value: Decimal
    raw: str
    percent: bool = False
    ambiguous: bool = False
    readings: tuple[Decimal, ...] = ()


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
# ASCII digits only; a group of thousands never starts with 0 ("0.500" is a half).
_PLAIN = re.compile(r"[0-9]+")
_VN_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_US_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_VN_DECIMAL = re.compile(r"[0-9]+,[0-9]+")
_DOT_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")
_NUMBER_CHARS = re.compile(r"[0-9.,]+")
_SPACE_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?: [0-9]{3})+(?:,[0-9]+)?")


def parse_number(text: str) -> ParsedNumber:
    """Read a number as a Vietnamese office worker writes it.

    Raises NumberError (Vietnamese message) when the text is not a number.
    """
    raw = text
    s = text.strip()
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    sign = 1
    if s and s[0] in "-−+":
        sign = -1 if s[0] in "-−" else 1
        s = s[1:].lstrip()
    if _SPACE_GROUPED.fullmatch(s.replace("\u00a0", " ").replace("\u202f", " ")):
        s = _SPACES.sub("", s)
    if not s or _SPACES.search(s):
        raise NumberError(f"«{shorten(raw)}» không phải là một số.")

    if len(s) > _MAX_NUMBER_CHARS:
        if not _NUMBER_CHARS.fullmatch(s):
            raise NumberError(f"«{shorten(raw)}» không phải là một số.")
        raise NumberTooLong(_too_long(raw, f"dài {format_number(len(s))} ký tự"))
    readings = _readings(s)
    if not readings:
        raise NumberError(f"«{shorten(raw)}» không phải là một số.")
    if len(s) > _ALWAYS_BOUNDED:
        _check_bounds(readings[0], raw)
    values = tuple(sign * r for r in readings)
    return ParsedNumber(
        value=values[0],
        raw=raw,
        percent=percent,
        ambiguous=len(values) > 1,
        readings=values if len(values) > 1 else (),
    )


def _readings(s: str) -> list[Decimal]:
    """Every valid reading of an unsigned number, the Vietnamese one first."""
    if _PLAIN.fullmatch(s):
        return [Decimal(s)]
    one_separator = s.count(".") + s.count(",") == 1
    if one_separator:
        head, tail = re.split(r"[.,]", s)
        digits = _PLAIN.fullmatch(head) and _PLAIN.fullmatch(tail)
        if digits and len(tail) == 3 and head[0] != "0" and len(head) <= 3:
            grouped = Decimal(head + tail)
            decimal = Decimal(f"{head}.{tail}")
            # `,` is the Vietnamese decimal mark, `.` the Vietnamese grouping.
            return [decimal, grouped] if "," in s else [grouped, decimal]
    if _VN_GROUPED.fullmatch(s):
        return [_decimal(s.replace(".", "").replace(",", "."))]
    if _VN_DECIMAL.fullmatch(s):
        return [_decimal(s.replace(",", "."))]
    if _US_GROUPED.fullmatch(s):
        return [_decimal(s.replace(",", ""))]
    if _DOT_DECIMAL.fullmatch(s):
        # "1.5" cannot be Vietnamese grouping (groups have three digits).
        return [_decimal(s)]
    return []


def _too_long(raw: str, what: str) -> str:
    return (
        f"«{shorten(raw)}» {what}, vượt giới hạn của một số liệu "
        f"(tối đa {MAX_WHOLE_DIGITS} chữ số phần nguyên và {MAX_DECIMALS} chữ số thập phân)"
    )


def _check_bounds(value: Decimal, raw: str) -> None:
    whole = max(value.adjusted() + 1, 1) if value else 1
    if whole > MAX_WHOLE_DIGITS:
        raise NumberTooLong(_too_long(raw, f"có {whole} chữ số phần nguyên"))
    if decimals_of(value) > MAX_DECIMALS:
        raise NumberTooLong(_too_long(raw, f"có {decimals_of(value)} chữ số thập phân"))


def _decimal(s: str) -> Decimal:
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the patterns guard this
        raise NumberError(f"«{s}» không phải là một số.") from exc


def decimals_of(value: Decimal) -> int:
    """How many decimals a number was written with (`78.94` → 2, `100` → 0)."""
    exponent = value.as_tuple().exponent
    return max(0, -int(exponent))


def rounded(value: Decimal, places: int) -> Decimal:
    """`value` rounded half up to `places` decimals, whatever its magnitude.

    Decimal's `quantize` fails past 28 significant digits; a sum or a rate of
    large figures can get there, and a report must still show it.
    """
    quantum = Decimal(1).scaleb(-places)
    precision = _precision_for(value, places)
    if precision <= _DEFAULT_PRECISION:  # the common case, without a context's cost
        return value.quantize(quantum, rounding=ROUND_HALF_UP)
    with localcontext() as ctx:
        ctx.prec = precision
        return value.quantize(quantum, rounding=ROUND_HALF_UP)


def json_float(value: Decimal, places: int = 6) -> float | None:
    """A computed figure for a JSON answer: rounded, and None when no float holds it."""
    number = float(rounded(value, places)) if value.is_finite() else float("nan")
    return number if math.isfinite(number) else None


_DEFAULT_PRECISION = 28  # decimal's default context


def _precision_for(value: Decimal, places: int = 0) -> int:
    """Digits a rounding or a format of `value` needs to stay exact."""
    return max(len(value.as_tuple().digits), value.adjusted() + 1 + max(places, 0)) + 2


def format_number(value: Decimal | int | float, decimals: int | None = None) -> str:
    """Vietnamese format: `2.715.925.699`, `78,95`.

    `decimals=None` keeps the value's own decimals (trailing zeros dropped).
    Never fails: a figure too large to print in full is shown as a power of ten.
    """
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if not d.is_finite():
        return "không xác định"
    if d and d.adjusted() >= _MAX_SHOWN_DIGITS:
        return _power_of_ten(d)
    precision = _precision_for(d, decimals or 0)
    if precision <= _DEFAULT_PRECISION:  # the common case, without a context's cost
        d = _rounded_for_display(d, decimals)
    else:
        with localcontext() as ctx:
            ctx.prec = precision
            d = _rounded_for_display(d, decimals)
    sign = "-" if d < 0 else ""
    digits = f"{d.copy_abs():f}"  # copy_abs: no rounding to the context's precision
    whole, _, frac = digits.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{frac}" if frac else f"{sign}{text}"


def _rounded_for_display(d: Decimal, decimals: int | None) -> Decimal:
    if decimals is not None:
        return d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if d == d.to_integral():
        return d.quantize(Decimal(1))
    return d.normalize()


def _power_of_ten(d: Decimal) -> str:
    """`1,2346 × 10^45`: a computed figure no report would print in full."""
    exponent = d.adjusted()
    with localcontext() as ctx:
        ctx.prec = 5
        mantissa = d.scaleb(-exponent) + 0  # rounds to five significant digits
    return f"{format_number(mantissa)} × 10^{exponent}"


def format_percent(value: Decimal | int | float, decimals: int | None = 2) -> str:
    """`78,95%`: no space before the sign; trailing zeros dropped."""
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if not d.is_finite():
        return format_number(d)
    if decimals is not None:
        d = rounded(d, decimals)
    return f"{format_number(d)}%"  # its own decimals, trailing zeros dropped
