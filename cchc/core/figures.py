"""A figure written the way its kind is read: a count `5`, an amount `1.234,5`, a rate `78,95%`.

One rule for every page, file and message that shows a figure the core holds or
computes (a total, a rate, one unit's value in a table), so that a count of
documents is never printed `5,00` because a rate next to it needs two decimals.
"""

from __future__ import annotations

from decimal import Decimal

from cchc.core.numbers import decimals_of, format_number, rounded
from cchc.core.templates import Kind

__all__ = ["FIGURE_DECIMALS", "RATE_DECIMALS", "format_figure"]

RATE_DECIMALS = 2  # a rate always with its two decimals: 78,95%, 100,00%
FIGURE_DECIMALS = 2  # at most, for a count or amount a formula made fractional


def format_figure(value: Decimal | int | float | None, kind: Kind, *, percent: bool = True) -> str:
    """`value` as a person reads an indicator of `kind`; "" for no value.

    A rate keeps two decimals (and its `%` unless `percent` is false, as in a form
    whose unit column says it); a count or an amount shows the decimals it has,
    none when it is whole, and at most two when a computation left more.
    """
    if value is None:
        return ""
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    if kind is Kind.RATE:
        return format_number(d, RATE_DECIMALS) + ("%" if percent else "")
    if d.is_finite() and decimals_of(d) > FIGURE_DECIMALS and d != d.to_integral():
        d = rounded(d, FIGURE_DECIMALS)
    return format_number(d)
