"""A template's arithmetic formula as a live Excel formula, for the form sheets: what
the core computes, Excel recomputes as the office types offline. The formula is
read by the core's own tokenizer (`formulas.tokenize`)."""

from __future__ import annotations

from collections.abc import Callable

from cchc.core.formulas import Expression, ExpressionError, Ref, tokenize

_EXCEL_FUNCTIONS = {"sum": "SUM", "min": "MIN", "max": "MAX", "abs": "ABS", "round": "ROUND"}
_AGGREGATES = {"sum", "min", "max"}
_ARITHMETIC = {"+", "-", "*", "/", "(", ")", ","}


def excel_formula(expr: Expression, cell_of: Callable[[Ref], str | None]) -> str | None:
    """An arithmetic formula of the template as a live Excel formula, or None.

    References become cells (`cell_of`); a blank operand (outside sum/min/max)
    or a division by zero gives an empty cell, as the core gives *undefined*.
    Comparisons, `and`/`or`/`not` and `present()` are not translated.
    """
    try:
        tokens = tokenize(expr.source)
    except ExpressionError:
        return None
    out: list[str] = []
    refs: list[Ref] = []
    guarded: list[str] = []
    calls: list[bool] = []  # per open parenthesis: is it an aggregate call?
    pending: str | None = None
    for tok in tokens[:-1]:  # the last is `end`
        kind, text, ref = tok.kind, tok.text, tok.ref
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
        elif text in _ARITHMETIC:
            if text == "(":
                calls.append(pending in _AGGREGATES)
            elif text == ")" and calls:
                calls.pop()
            pending = None
            out.append(text)
        else:
            return None  # a comparison: not an arithmetic formula
    if set(refs) != set(expr.refs):
        return None  # the grammar here and the core's disagree: better no formula than a wrong one
    body = f'IFERROR({"".join(out)},"")'
    cells = list(dict.fromkeys(guarded))
    if not cells:
        return f"={body}"
    return f'=IF(COUNT({",".join(cells)})<{len(cells)},"",{body})'
