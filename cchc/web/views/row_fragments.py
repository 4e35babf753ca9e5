"""The two live parts of a form row: its computed rate and its findings.

The full page and every autosave answer print them from here, so what a cell
save swaps in is exactly what the page would show after a reload. Built as
strings rather than template includes: an autosave answers for every row of
the form, and forty includes cost more than the save itself.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from cchc.core.numbers import format_number


def _oob(oob: bool) -> str:
    return ' hx-swap-oob="true"' if oob else ""


def computed_html(row: dict[str, Any], oob: bool = False) -> SafeString:
    value = row["computed"]
    shown = ""
    if row["ind"].formula is not None and value is not None:
        shown = f"= {format_number(Decimal(str(value)), 2)}%"
    return format_html(
        '<span class="computed" id="calc-{}"{}>{}</span>', row["n"], mark_safe(_oob(oob)), shown
    )


def findings_html(row: dict[str, Any], oob: bool = False) -> SafeString:
    items = "".join(
        f'<p class="sev-{escape(f.severity)}">{escape(f.message)}</p>' for f in row["findings"]
    )
    return format_html(
        '<div class="row-findings" id="find-{}"{}>{}</div>',
        row["n"],
        mark_safe(_oob(oob)),
        mark_safe(items),
    )


def live_parts(rows: list[dict[str, Any]]) -> SafeString:
    """Every row's rate and findings, marked to replace their places on the page."""
    parts = (part for r in rows for part in (computed_html(r, True), findings_html(r, True)))
    return mark_safe("\n".join(parts))
