"""Merging branch tallies back into the very `Consolidation` of all the values.

Every figure of a consolidation is a sum over units and units do not share
branches, so the tallies of the branches (tally.py) add up to the whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cchc.core.consolidation.figures import (
    allowed_levels,
    apply_formula,
    formula_operands,
    notes_of,
)
from cchc.core.consolidation.result import Consolidation, IndicatorTotal, LevelTotal
from cchc.core.consolidation.tally import Cell, Tally, TallyUnit
from cchc.core.consolidation.version_mapping import Key
from cchc.core.formulas import Expression
from cchc.core.templates import Indicator, Kind, ReportTemplate

__all__ = ["consolidation_from_tallies"]

_ZERO = Decimal(0)


def consolidation_from_tallies(
    template: ReportTemplate,
    tallies: Sequence[Tally],
    units: Sequence[TallyUnit],
    *,
    root: str = "",
    branches: Mapping[str, tuple[Tally, Sequence[TallyUnit]]] | None = None,
) -> Consolidation:
    """The consolidation of `units` (every one expected) from their branches' tallies.

    `branches` (branch → its tally and units) under `root` lets `breakdown()` answer.
    """
    snapshot = None if branches is None else _Branches(template, root, branches)
    return _Merge(template, tallies, units).consolidation(snapshot)


class _Merge:
    def __init__(
        self, template: ReportTemplate, tallies: Sequence[Tally], units: Sequence[TallyUnit]
    ) -> None:
        self.template, self.tallies, self.units = template, tallies, units
        self.order = {u: i for i, (u, _, _, _) in enumerate(units)}
        self.level_of = {u: lv for u, lv, _, _ in units}
        self.level_count: dict[str, int] = {}
        self.waiting: list[str] = []  # expected, not submitted: missing from every figure
        for u, lv, submitted, _ in units:
            self.level_count[lv] = self.level_count.get(lv, 0) + 1
            if not submitted:
                self.waiting.append(u)
        known = list(template.levels)
        self.level_order = known + sorted(lv for lv in self.level_count if lv not in known)
        self.results: dict[Key, IndicatorTotal] = {}
        self.computed: set[Key] = set()  # derived figures done, used as their own totals
        self._waiting: dict[frozenset[str], tuple[str, ...]] = {}

    def consolidation(self, snapshot: _Branches | None) -> Consolidation:
        template, units = self.template, self.units
        for form in template.forms:
            for ind in form.indicators:
                if ind.has_value and ind.formula is None:
                    self.results[(form.code, ind.code)] = self._plain((form.code, ind.code), ind)
        for key in template.derived_order:
            derived = template.indicator(*key)
            if derived is not None and derived.has_value:
                self.results[key] = self._derived(key, derived)
                self.computed.add(key)
        ordered = {
            (f.code, i.code): self.results[(f.code, i.code)]
            for f in template.forms
            for i in f.indicators
            if (f.code, i.code) in self.results
        }
        submitted = tuple(u for u, _, s, _ in units if s)
        not_comparable: dict[tuple[str, str, str], int] = {}
        for t in self.tallies:
            for k, n in t.not_comparable.items():
                not_comparable[k] = not_comparable.get(k, 0) + n
        return Consolidation(
            template_id=template.id,
            totals=ordered,
            expected=tuple(u for u, _, _, _ in units),
            submitted=submitted,
            on_time=tuple(u for u, _, s, late in units if s and not late),
            late=tuple(u for u, _, s, late in units if s and late),
            not_submitted=tuple(self.waiting),
            levels=dict(self.level_of),
            not_comparable=dict(sorted(not_comparable.items())),
            _snapshot=snapshot,
        )

    # -- helpers

    def _cells(self, key: Key) -> list[Cell]:
        return [c for t in self.tallies if (c := t.cells.get(key)) is not None]

    def _allowed(self, ind: Indicator) -> set[str]:
        return allowed_levels(self.template, ind, self.level_order)

    def _ordered(self, units: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(units, key=self.order.__getitem__))

    def _per_level(self, units: Iterable[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for u in units:
            lv = self.level_of[u]
            out[lv] = out.get(lv, 0) + 1
        return out

    def _scope(self, allowed: set[str], lv: str, given: int, unreadable: Mapping[str, int]) -> int:
        """How many units a level's figure stands over (see `Summary._scope`)."""
        if lv in allowed:
            return self.level_count.get(lv, 0)
        return given + unreadable.get(lv, 0)

    def _missing(self, allowed: set[str], cells: list[Cell]) -> tuple[str, ...]:
        """The units not submitted, then those submitted without the figure; the first
        are the same for every indicator of the same levels, so kept once."""
        levels = frozenset(allowed)
        waiting = self._waiting.get(levels)
        if waiting is None:
            waiting = self._waiting[levels] = tuple(
                u for u in self.waiting if self.level_of[u] in levels
            )
        lacking = [u for c in cells for u in c.lacking]
        if lacking and not levels.issuperset(self.level_count):
            lacking = [u for u in lacking if self.level_of[u] in levels]
        return self._ordered([*waiting, *lacking]) if lacking else waiting

    def _apply(self, formula: Expression, key: Key, sums: Mapping[Key, Decimal]) -> Decimal | None:
        return apply_formula(formula, key, sums, self.results, self.computed)

    # -- figures

    def _plain(self, key: Key, ind: Indicator) -> IndicatorTotal:
        cells = self._cells(key)
        allowed = self._allowed(ind)
        choice, summed = ind.kind is Kind.CHOICE, ind.kind in (Kind.COUNT, Kind.AMOUNT)
        unreadable = [u for c in cells for u in c.unreadable]
        invalid = [u for c in cells for u in c.invalid]
        bad_per_level, invalid_per_level = self._per_level(unreadable), self._per_level(invalid)
        counts: dict[int, int] = dict.fromkeys(ind.choices, 0) if choice else {}
        by_level: dict[str, LevelTotal] = {}
        reporting = expected = 0
        for lv in self.level_order:
            n, total, lv_counts = 0, None, dict.fromkeys(ind.choices, 0) if choice else {}
            for c in cells:
                if (part := c.levels.get(lv)) is None:
                    continue
                n += part[0]
                if summed and part[1] is not None:
                    total = part[1] if total is None else total + part[1]
                for option, k in part[2].items():
                    lv_counts[option] += k
            good = n - invalid_per_level.get(lv, 0)
            scope = self._scope(allowed, lv, n, bad_per_level)
            if scope:
                by_level[lv] = LevelTotal(total, good, scope, lv_counts)
            for option, k in lv_counts.items():
                counts[option] += k
            reporting += good
            expected += scope
        texts = {u: t for c in cells for u, t in c.texts.items()}
        by_unit = {} if ind.kind is Kind.TEXT else {u: v for c in cells for u, v in c.own.items()}
        parts = [t.value for t in by_level.values() if t.value is not None]
        return IndicatorTotal(
            form=key[0],
            code=key[1],
            kind=ind.kind,
            value=sum(parts, _ZERO) if parts else None,
            units_reporting=reporting,
            units_expected=expected,
            missing=self._missing(allowed, cells),
            unreadable=self._ordered(unreadable),
            invalid=self._ordered(invalid),
            by_level=by_level,
            by_unit=by_unit,
            counts=counts,
            notes=notes_of(texts, {u: n for c in cells for u, n in c.notes.items()}, self.order),
        )

    def _derived(self, key: Key, ind: Indicator) -> IndicatorTotal:
        formula = ind.formula
        assert formula is not None
        refs = [(r.form or key[0], r.code) for r in formula.refs]
        cells = self._cells(key)
        allowed = self._allowed(ind)
        unreadable = [u for c in cells for u in c.unreadable]
        bad_per_level = self._per_level(unreadable)
        totals: dict[Key, Decimal] = dict.fromkeys(refs, _ZERO)
        by_level: dict[str, LevelTotal] = {}
        reporting = expected = 0
        for lv in self.level_order:
            n, sums = 0, dict.fromkeys(refs, _ZERO)
            for c in cells:
                if (part := c.levels.get(lv)) is None:
                    continue
                n += part[0]
                for ref, s in part[3].items():
                    sums[ref] += s
            scope = self._scope(allowed, lv, n, bad_per_level)
            if scope:
                by_level[lv] = LevelTotal(self._apply(formula, key, sums) if n else None, n, scope)
            for ref, part_sum in sums.items():
                totals[ref] += part_sum
            reporting += n
            expected += scope
        operands = formula_operands(formula, refs, totals, self.results, self.computed)
        return IndicatorTotal(
            form=key[0],
            code=key[1],
            kind=ind.kind,
            value=self._apply(formula, key, totals) if reporting else None,
            units_reporting=reporting,
            units_expected=expected,
            missing=self._missing(allowed, cells),
            unreadable=self._ordered(unreadable),
            by_level=by_level,
            by_unit={u: v for c in cells for u, v in c.own.items()},
            notes=notes_of({}, {u: n for c in cells for u, n in c.notes.items()}, self.order),
            operands={k: v for k, v in operands.items() if v is not None} if reporting else {},
        )


@dataclass(frozen=True)
class _Branches:
    """Lets a merged consolidation break down by the branches it was merged from."""

    template: ReportTemplate
    root: str
    branches: Mapping[str, tuple[Tally, Sequence[TallyUnit]]]

    def breakdown(self, parent: str | None) -> dict[str, Consolidation]:
        """Only the consolidating unit's own branches are stored."""
        if parent not in (None, self.root):
            raise ValueError(f"Số liệu lưu sẵn chỉ chia theo đơn vị trực thuộc {self.root}.")
        return {
            b: consolidation_from_tallies(self.template, [t], units)
            for b, (t, units) in self.branches.items()
        }
