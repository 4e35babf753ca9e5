"""The arithmetic every consolidation shares: which levels give a figure, a formula over
summed operands, coded answers counted, notes listed, and each unit's own rate."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping
from decimal import Decimal
from typing import Any

from cchc.core.consolidation.result import IndicatorTotal
from cchc.core.consolidation.version_mapping import Key
from cchc.core.formulas import Expression, Ref, parse_expression
from cchc.core.levels import fills_row
from cchc.core.templates import Indicator, ReportTemplate

_HUNDRED = Decimal("100")


def allowed_levels(template: ReportTemplate, ind: Indicator, levels: Iterable[str]) -> set[str]:
    """Levels whose units are expected to give this indicator.

    A level the template does not know is expected everywhere: the template
    sets no limit on it, and a figure must not silently drop its units.
    """
    return {lv for lv in levels if fills_row(template, ind, lv)}


def apply_formula(
    formula: Expression,
    key: Key,
    sums: Mapping[Key, Decimal],
    results: Mapping[Key, IndicatorTotal],
    computed: Container[Key],
) -> Decimal | None:
    """The formula over summed operands; a computed operand stands as its own total."""

    def lookup(form: str | None, code: str) -> Decimal | None:
        ref = (form or key[0], code)
        if ref in computed:
            return results[ref].value
        return sums.get(ref)

    result = formula.evaluate(lookup)
    return result if isinstance(result, Decimal) else None


def formula_operands(
    formula: Expression,
    refs: list[Key],
    totals: Mapping[Key, Decimal],
    results: Mapping[Key, IndicatorTotal],
    computed: Container[Key],
) -> dict[str, Decimal | None]:
    """Each operand of a derived figure as it entered the formula, by its written name."""
    return {
        str(r): results[k].value if k in computed else totals[k]
        for r, k in zip(formula.refs, refs, strict=True)
    }


def choice_counts(
    ind: Indicator, values: Mapping[str, Decimal]
) -> tuple[dict[int, int], list[str]]:
    """Units per option (every option listed), and the units whose answer is not an option."""
    counts = dict.fromkeys(ind.choices, 0)
    wrong: set[Decimal] = set()
    for answer, n in Counter(values.values()).items():
        if answer == answer.to_integral() and int(answer) in counts:
            counts[int(answer)] += n
        else:
            wrong.add(answer)
    return counts, [u for u, v in values.items() if v in wrong] if wrong else []


def notes_of(
    texts: Mapping[str, str], notes: Mapping[str, str], order: Mapping[str, int]
) -> dict[str, str]:
    """A text answer and the unit's note (Ghi chú) side by side, per unit."""
    if not texts and not notes:
        return {}
    if not texts or not notes:  # most often only notes: each unit's one text as it is
        only = texts or notes
        return {u: only[u] for u in sorted(only, key=order.__getitem__)}
    units = sorted(texts.keys() | notes.keys(), key=order.__getitem__)
    return {u: "; ".join(x for x in (texts.get(u), notes.get(u)) if x) for u in units}


_RATIO = re.compile(r"\s*(\S+)\s*/\s*(\S+)\s*\*\s*100\s*")
_Figures = Callable[[list[Mapping[str, Any]], set[str]], dict[str, Decimal | None]]


def unit_figures(formula: Expression, refs: list[Key]) -> _Figures:
    """Each unit's own figure from its operand columns (in `refs` order).

    The usual `a / b * 100` is computed directly, with the same Decimal steps as
    the expression language (a tenth of the time); any other formula goes
    through the language itself.
    """
    match = _RATIO.fullmatch(formula.source)
    if match and len(refs) == 2 and all(_is_ref(match[i], formula.refs[i - 1]) for i in (1, 2)):

        def ratio(columns: list[Mapping[str, Any]], units: set[str]) -> dict[str, Decimal | None]:
            top, bottom = columns
            return {
                u: None if (a := top[u]) is None or not (b := bottom[u]) else a / b * _HUNDRED
                for u in units
            }

        return ratio
    index = {ref: i for i, ref in enumerate(formula.refs)}

    def general(columns: list[Mapping[str, Any]], units: set[str]) -> dict[str, Decimal | None]:
        out: dict[str, Decimal | None] = {}
        for u in units:
            row = [col[u] for col in columns]

            def value(f: str | None, c: str, row: list[Any] = row) -> Decimal | None:
                return row[index[Ref(f, c)]]

            result = formula.evaluate(value)
            out[u] = result if isinstance(result, Decimal) else None
        return out

    return general


def _is_ref(text: str, ref: Ref) -> bool:
    """Whether `text` alone reads exactly `ref`, unchanged."""
    try:
        expr = parse_expression(text)
    except ValueError:
        return False
    probe = Decimal("7.77")
    return expr.refs == (ref,) and expr.evaluate(lambda f, c: probe) is probe
