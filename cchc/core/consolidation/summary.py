"""Turns the state held by `RunningTotals` into a `Consolidation`.

Counts and amounts are summed per level; a rate is recomputed from its operands
summed over the units that gave every operand, never averaged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

from cchc.core.consolidation.figures import (
    allowed_levels,
    apply_formula,
    choice_counts,
    formula_operands,
    notes_of,
    unit_figures,
)
from cchc.core.consolidation.result import (
    Consolidation,
    ExpectedUnit,
    IndicatorTotal,
    LevelTotal,
    UnitReport,
    unit_metas,
)
from cchc.core.consolidation.version_mapping import Key
from cchc.core.formulas import Expression
from cchc.core.templates import Indicator, Kind, ReportTemplate


class HeldTotals(Protocol):
    """What a Summary reads of the state `RunningTotals` (running.py) holds: the summary
    depends on this shape, not on the class that builds on it."""

    template: ReportTemplate
    expected_units: tuple[ExpectedUnit, ...] | None
    _reports: dict[str, UnitReport]
    _stores: dict[str, dict[Key, dict[str, Any]]]
    _unreadable: dict[Key, dict[str, None]]
    _notes: dict[Key, dict[str, str]]
    _not_comparable: dict[tuple[str, str, str], dict[str, None]]


_ZERO = Decimal(0)


class Summary:
    """Turns the held state into a Consolidation; built afresh for each result."""

    def __init__(self, totals: HeldTotals) -> None:
        self.t = totals
        self.template = totals.template
        self.metas = unit_metas(totals.expected_units, totals._reports)
        self.order = {u: i for i, u in enumerate(self.metas)}
        self.level_units: dict[str, set[str]] = {}
        for unit, level, _ in self.metas.values():
            self.level_units.setdefault(level, set()).add(unit)
        known = list(self.template.levels)
        self.level_order = known + sorted(lv for lv in self.level_units if lv not in known)
        self.stores = {lv: totals._stores.get(lv, {}) for lv in self.level_order}
        self.computed: dict[Key, dict[str, dict[str, Decimal | None]]] = {}
        self.results: dict[Key, IndicatorTotal] = {}
        self.level_sums: dict[tuple[Key, str], Decimal] = {}

    def consolidation(self, snapshot: Any = None) -> Consolidation:
        """The result; `snapshot` (with `.breakdown(parent)`) lets it split by branch."""
        t, reports = self.t, self.t._reports
        if t.expected_units is not None:
            expected = tuple(u for u, _, _ in t.expected_units)
        else:
            expected = tuple(self.metas)
        expected_set = set(expected)
        submitted = tuple(u for u in self.metas if u in reports and reports[u].submitted)
        for form in self.template.forms:
            for ind in form.indicators:
                if ind.has_value and ind.formula is None:
                    self.results[(form.code, ind.code)] = self._plain((form.code, ind.code), ind)
        for key in self.template.derived_order:
            derived = self.template.indicator(*key)
            if derived is not None and derived.has_value:
                self.results[key] = self._derived(key, derived)
        ordered = {
            (f.code, i.code): self.results[(f.code, i.code)]
            for f in self.template.forms
            for i in f.indicators
            if (f.code, i.code) in self.results
        }
        return Consolidation(
            template_id=self.template.id,
            totals=ordered,
            expected=expected,
            submitted=submitted,
            on_time=tuple(u for u in submitted if not reports[u].late),
            late=tuple(u for u in submitted if reports[u].late),
            not_submitted=tuple(
                u for u in expected if u not in reports or not reports[u].submitted
            ),
            unexpected=tuple(u for u in self.metas if u not in expected_set),
            levels={u: lv for u, lv, _ in self.metas.values()},
            not_comparable={k: len(v) for k, v in sorted(t._not_comparable.items())},
            _snapshot=snapshot,
        )

    # -- helpers shared by every kind

    def _allowed(self, ind: Indicator) -> set[str]:
        return allowed_levels(self.template, ind, self.level_order)

    def _scope(
        self, allowed: set[str], lv: str, present: Iterable[str], bad: Iterable[str]
    ) -> set[str]:
        """The units of a level a figure stands over: all of them where the indicator
        applies, elsewhere only those that gave it anyway."""
        units = self.level_units.get(lv, set())
        if lv in allowed:
            return units
        return set(present) | units.intersection(bad)

    def _missing(self, scope: set[str], accounted: int, *taken: Iterable[str]) -> tuple[str, ...]:
        """Units in scope that gave nothing; most figures have none, so count first."""
        if len(scope) == accounted:
            return ()
        left = scope.difference(*taken)
        return tuple(sorted(left, key=self.order.__getitem__))

    def _ordered(self, units: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(units, key=self.order.__getitem__))

    # -- counts, amounts, rates without formula, coded answers, text

    def _plain(self, key: Key, ind: Indicator) -> IndicatorTotal:
        unreadable = self.t._unreadable.get(key, {})
        allowed = self._allowed(ind)
        choice, text = ind.kind is Kind.CHOICE, ind.kind is Kind.TEXT
        by_level: dict[str, LevelTotal] = {}
        by_unit: dict[str, Any] = {}
        scope: set[str] = set()
        counts: dict[int, int] = dict.fromkeys(ind.choices, 0) if choice else {}
        invalid: list[str] = []
        for lv in self.level_order:
            values = self.stores[lv].get(key, {})
            lv_scope = self._scope(allowed, lv, values, unreadable)
            lv_counts: dict[int, int] = {}
            good, value = len(values), None
            if choice:
                lv_counts, lv_invalid = choice_counts(ind, values)
                invalid += lv_invalid
                good -= len(lv_invalid)
                for option, n in lv_counts.items():
                    counts[option] += n
            elif ind.kind in (Kind.COUNT, Kind.AMOUNT) and values:
                value = self.level_sums[(key, lv)] = sum(values.values(), _ZERO)
            if lv_scope:
                by_level[lv] = LevelTotal(value, good, len(lv_scope), lv_counts)
            scope |= lv_scope
            by_unit.update(values)
        texts: dict[str, str] = by_unit if text else {}
        if text:
            by_unit = {}
        elif invalid:
            by_unit = {u: v for u, v in by_unit.items() if u not in set(invalid)}
        reporting = len(texts) + len(by_unit)
        parts = [t.value for t in by_level.values() if t.value is not None]
        return IndicatorTotal(
            form=key[0],
            code=key[1],
            kind=ind.kind,
            value=sum(parts, _ZERO) if parts else None,
            units_reporting=reporting,
            units_expected=len(scope),
            missing=self._missing(
                scope,
                reporting + len(unreadable) + len(invalid),
                by_unit,
                texts,
                unreadable,
                invalid,
            ),
            unreadable=self._ordered(unreadable),
            invalid=self._ordered(invalid),
            by_level=by_level,
            by_unit=by_unit,
            counts=counts,
            notes=notes_of(texts, self.t._notes.get(key, {}), self.order),
        )

    # -- rates and other figures computed by a formula

    def _derived(self, key: Key, ind: Indicator) -> IndicatorTotal:
        """Recompute from the operands summed over the units that gave every operand."""
        formula = ind.formula
        assert formula is not None
        refs = [(r.form or key[0], r.code) for r in formula.refs]
        figures = unit_figures(formula, refs)
        unreadable = {u for ref in refs for u in self.t._unreadable.get(ref, {})}
        allowed = self._allowed(ind)
        per_unit: dict[str, dict[str, Decimal | None]] = {}
        by_level: dict[str, LevelTotal] = {}
        totals: dict[Key, Decimal] = dict.fromkeys(refs, _ZERO)
        scope: set[str] = set()
        for lv in self.level_order:
            columns = [self.column(ref, lv) for ref in refs]
            complete = set(columns[0]).intersection(*columns[1:]) if columns else set()
            sums = {
                ref: self.sum_over(ref, lv, col, complete)
                for ref, col in zip(refs, columns, strict=True)
            }
            per_unit[lv] = figures(columns, complete)
            lv_scope = self._scope(allowed, lv, complete, unreadable)
            if lv_scope:
                lv_value = self._apply(formula, key, sums) if complete else None
                by_level[lv] = LevelTotal(lv_value, len(complete), len(lv_scope))
            for ref, part in sums.items():
                totals[ref] += part
            scope |= lv_scope
        self.computed[key] = per_unit
        by_unit = {u: v for lv in self.level_order for u, v in per_unit[lv].items()}
        unreadable.difference_update(by_unit)
        operands = formula_operands(formula, refs, totals, self.results, self.computed)
        return IndicatorTotal(
            form=key[0],
            code=key[1],
            kind=ind.kind,
            value=self._apply(formula, key, totals) if by_unit else None,
            units_reporting=len(by_unit),
            units_expected=len(scope),
            missing=self._missing(scope, len(by_unit) + len(unreadable), by_unit, unreadable),
            unreadable=self._ordered(unreadable),
            by_level=by_level,
            by_unit=by_unit,
            notes=notes_of({}, self.t._notes.get(key, {}), self.order),
            operands={k: v for k, v in operands.items() if v is not None} if by_unit else {},
        )

    def column(self, ref: Key, lv: str) -> Mapping[str, Any]:
        """One operand's values at a level; a computed operand gives its per-unit results."""
        if ref in self.computed:
            return self.computed[ref].get(lv, {})
        return self.stores[lv].get(ref, {})

    def sum_over(self, ref: Key, lv: str, column: Mapping[str, Any], units: set[str]) -> Decimal:
        """An operand's sum over the units that gave every operand: most often all who
        gave it, whose sum is already known."""
        if ref in self.computed:
            return _ZERO  # a computed operand enters as its own total (see `_apply`)
        if len(units) == len(column):
            known = self.level_sums.get((ref, lv))
            return known if known is not None else sum(column.values(), _ZERO)
        return sum((column[u] for u in units), _ZERO)

    def _apply(self, formula: Expression, key: Key, sums: Mapping[Key, Decimal]) -> Decimal | None:
        return apply_formula(formula, key, sums, self.results, self.computed)
