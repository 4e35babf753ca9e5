"""Stored consolidation: a branch's reports reduced to a few figures per indicator.

A national round holds ~500.000 values, but its consolidation needs only, per
branch (a direct child of the consolidating unit), level and indicator: how many
units gave a value, their sum (or, for a rate, the sums of its operands over the
units that gave every operand), the count per coded answer, and the few units
that stand out (unreadable, not an option, submitted without the value, a
note). A `Tally` is that reduction; `consolidation_from_tallies` merges any
number of them into the very `Consolidation` that `consolidate` computes from
all the values, since every figure of it is a sum over units and units do not
share branches. Per-unit figures (`by_unit`) are kept only for the units asked
for — the branches that are units themselves — so a province round keeps each
commune's figures and a national round only the provinces' sums.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.consolidation.figures import (
    allowed_levels,
    apply_formula,
    choice_counts,
    formula_operands,
    notes_of,
)
from cchc.core.consolidation.result import Consolidation, IndicatorTotal, LevelTotal, UnitReport
from cchc.core.consolidation.running import RunningTotals
from cchc.core.consolidation.summary import Summary
from cchc.core.consolidation.version_mapping import Key, VersionMapping
from cchc.core.formulas import Expression
from cchc.core.templates import Indicator, Kind, ReportTemplate

__all__ = ["Cell", "Tally", "TallyUnit", "consolidation_from_tallies", "tally_reports"]

_ZERO = Decimal(0)

# (unit, level, submitted, late), in the order the consolidation lists units
TallyUnit = tuple[str, str, bool, bool]


@dataclass
class Cell:
    """One indicator over one branch: per level (units with a value, their sum or the
    operands' sums, answers per option) and the units that stand out."""

    levels: dict[str, tuple[int, Decimal | None, dict[int, int], dict[Key, Decimal]]] = field(
        default_factory=dict
    )
    unreadable: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    lacking: list[str] = field(default_factory=list)  # submitted, yet gave nothing usable
    notes: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    own: dict[str, Decimal | None] = field(default_factory=dict)  # by_unit of the kept units


@dataclass
class Tally:
    """A branch's submitted reports reduced to what a consolidation needs."""

    cells: dict[Key, Cell] = field(default_factory=dict)
    not_comparable: dict[tuple[str, str, str], int] = field(default_factory=dict)

    def to_data(self) -> dict[str, Any]:
        """Plain JSON: Decimals as text, keys joined by `|`."""
        cells = {}
        for (form, code), c in self.cells.items():
            item: dict[str, Any] = {
                "l": {
                    lv: [
                        n,
                        None if total is None else str(total),
                        {str(k): v for k, v in counts.items()},
                        {f"{f}|{c_}": str(s) for (f, c_), s in sums.items()},
                    ]
                    for lv, (n, total, counts, sums) in c.levels.items()
                }
            }
            for name in ("unreadable", "invalid", "lacking", "notes", "texts"):
                if value := getattr(c, name):
                    item[name] = value
            if c.own:
                item["own"] = {u: None if v is None else str(v) for u, v in c.own.items()}
            cells[f"{form}|{code}"] = item
        return {
            "cells": cells,
            "not_comparable": [[*k, n] for k, n in self.not_comparable.items()],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Tally:
        cells = {}
        for key, item in data["cells"].items():
            levels = {
                lv: (
                    n,
                    None if total is None else Decimal(total),
                    {int(k): v for k, v in counts.items()},
                    {_key(k): Decimal(s) for k, s in sums.items()},
                )
                for lv, (n, total, counts, sums) in item["l"].items()
            }
            own = {u: None if v is None else Decimal(v) for u, v in item.get("own", {}).items()}
            cells[_key(key)] = Cell(
                levels,
                item.get("unreadable", []),
                item.get("invalid", []),
                item.get("lacking", []),
                item.get("notes", {}),
                item.get("texts", {}),
                own,
            )
        return cls(cells, {(s, f, c): n for s, f, c, n in data["not_comparable"]})


def _key(text: str) -> Key:
    form, _, code = text.partition("|")
    return (form, code)


# ---------------------------------------------------------------- reducing reports


def tally_reports(
    template: ReportTemplate,
    reports: Iterable[UnitReport],
    *,
    keep: Collection[str] = (),
    mapping: VersionMapping | None = None,
) -> Tally:
    """Reduce a branch's reports; `keep` names the units whose own figures are kept.

    The reading, the coded-answer checks and each unit's rate are those of
    `consolidate` itself: the branch is consolidated once and its state read off.
    """
    totals = RunningTotals(template, mapping=mapping)
    for report in reports:
        totals.add(report)
    summary = Summary(totals)
    summary.consolidation()
    submitted = [u for u, r in totals.reports.items() if r.submitted]
    out = Tally(not_comparable={k: len(v) for k, v in totals.not_comparable.items()})
    for key, result in summary.results.items():
        ind = template.indicator(*key)
        assert ind is not None
        cell = Cell(
            notes=dict(totals.notes_of(key)),
            unreadable=list(result.unreadable),
            invalid=list(result.invalid),
            own={u: v for u, v in result.by_unit.items() if u in keep},
        )
        gave: set[str] = set(result.unreadable)
        if ind.formula is None:
            _plain_cell(summary, key, ind, cell, gave)
        else:
            _derived_cell(summary, key, ind.formula, cell, gave)
        cell.lacking = [u for u in submitted if u not in gave]
        out.cells[key] = cell
    return out


def _plain_cell(summary: Summary, key: Key, ind: Indicator, cell: Cell, gave: set[str]) -> None:
    for lv in summary.level_order:
        values = summary.stores[lv].get(key, {})
        if not values:
            continue
        gave.update(values)
        counts = choice_counts(ind, values)[0] if ind.kind is Kind.CHOICE else {}
        total = summary.level_sums.get((key, lv))
        cell.levels[lv] = (len(values), total, {k: n for k, n in counts.items() if n}, {})
        if ind.kind is Kind.TEXT:
            cell.texts.update(values)


def _derived_cell(
    summary: Summary, key: Key, formula: Expression, cell: Cell, gave: set[str]
) -> None:
    refs = [(r.form or key[0], r.code) for r in formula.refs]
    for lv in summary.level_order:
        columns = [summary.column(ref, lv) for ref in refs]
        complete = set(columns[0]).intersection(*columns[1:]) if columns else set()
        if not complete:
            continue
        gave.update(complete)
        sums = {
            ref: summary.sum_over(ref, lv, col, complete)
            for ref, col in zip(refs, columns, strict=True)
            if ref not in summary.computed
        }
        cell.levels[lv] = (len(complete), None, {}, sums)


# ---------------------------------------------------------------- merging tallies


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
            ind = template.indicator(*key)
            if ind is not None and ind.has_value:
                self.results[key] = self._derived(key, ind)
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
        lacking = [u for c in cells for u in c.lacking if self.level_of[u] in levels]
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
            reported_values=dict(by_unit) if ind.kind is Kind.RATE else {},
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
