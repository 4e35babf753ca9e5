"""A template's arithmetic formula as a live Excel formula, for the form sheets: what
the core computes, Excel recomputes as the office types offline."""

from __future__ import annotations

import re
from collections.abc import Callable

from cchc.core.formulas import Expression, Ref

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<qualified>[A-Za-z][A-Za-z0-9_]*(?:\.[0-9]+(?:\.[0-9]+)*|\[[^\]]+\]))
    | (?P<bracket>\[[^\]]+\])
    | (?P<number>[0-9]+(?:\.[0-9]+)*)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op>[-+*/(),])
    )""",
    re.VERBOSE,
)
_EXCEL_FUNCTIONS = {"sum": "SUM", "min": "MIN", "max": "MAX", "abs": "ABS", "round": "ROUND"}
_AGGREGATES = {"sum", "min", "max"}


def excel_formula(expr: Expression, cell_of: Callable[[Ref], str | None]) -> str | None:
    """An arithmetic formula of the template as a live Excel formula, or None.

    References become cells (`cell_of`); a blank operand (outside sum/min/max)
    or a division by zero gives an empty cell, as the core gives *undefined*.
    Comparisons, `and`/`or`/`not` and `present()` are not translated.
    """
    source = expr.source
    out: list[str] = []
    refs: list[Ref] = []
    guarded: list[str] = []
    calls: list[bool] = []  # per open parenthesis: is it an aggregate call?
    pending: str | None = None
    pos = 0
    while pos < len(source.rstrip()):
        m = _TOKEN.match(source, pos)
        if not m:
            return None
        pos = m.end()
        kind, text = m.lastgroup, m.group(m.lastgroup or 0)
        ref = None
        if kind == "qualified":
            form, _, rest = text.partition("[")
            ref = Ref(form, rest[:-1].strip()) if rest else Ref(*text.split(".", 1))
        elif kind == "bracket":
            ref = Ref(None, text[1:-1].strip())
        elif kind == "number" and "." in text:
            ref = Ref(None, text)
        if ref is not None:
            address = cell_of(ref)
            if address is None:
                return None
            refs.append(ref)
            if not any(calls):
                guarded.append(address)
            out.append(address)
        elif kind == "number":
            out.append(text)
        elif kind == "name":
            if text not in _EXCEL_FUNCTIONS:
                return None
            pending = text
            out.append(_EXCEL_FUNCTIONS[text])
        else:
            if text == "(":
                calls.append(pending in _AGGREGATES)
            elif text == ")" and calls:
                calls.pop()
            pending = None
            out.append(text)
    if set(refs) != set(expr.refs):
        return None  # the grammar here and the core's disagree: better no formula than a wrong one
    body = f'IFERROR({"".join(out)},"")'
    cells = list(dict.fromkeys(guarded))
    if not cells:
        return f"={body}"
    return f'=IF(COUNT({",".join(cells)})<{len(cells)},"",{body})'
