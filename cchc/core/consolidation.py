"""Consolidation (tổng hợp): roll the reports of subordinate units up to the unit above.

DESIGN §9: counts and amounts are summed; rates are recomputed from the summed
numerators and denominators, never averaged (1/2 and 99/100 make 100/102 =
98,04%, not 74,5%); coded answers become counts per option; text and notes are
listed per unit; completeness and timeliness come with every consolidation.
Every figure says over how many units it stands and which are missing, since a
total over 2 of 3 communes is not a total over 3.

The caller resolves the unit tree valid at the round's period and gives each
report its path; the core never reads the tree, so a commune that moved between
parents in 2025 rolls up along the tree of its own report's period.

A national round is ~3.321 reports × ~150 values: each raw text is read once per
kind through a cache (the same texts repeat), kept per level and unit in plain
dicts, and summed only when a result is asked for. `RunningTotals` holds that
state, so totals can follow reports as they are accepted, and removing a report
undoes exactly what adding it did.

Version mappings live in version_mapping.py; the reduction of a branch's reports
to a few stored figures per indicator, merged back into the same result, in
consolidation_tally.py.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.formulas import Expression, Ref, parse_expression
from cchc.core.levels import fills_row
from cchc.core.templates import Indicator, Kind, ReportTemplate
from cchc.core.validation import read_value
from cchc.core.values import ReportValues
from cchc.core.version_mapping import Key, VersionMapping, mapping_from_data

__all__ = [
    "Consolidation",
    "ExpectedUnit",
    "IndicatorTotal",
    "LevelTotal",
    "RunningTotals",
    "UnitReport",
    "VersionMapping",
    "branch_of",
    "consolidate",
    "mapping_from_data",
]

ExpectedUnit = tuple[str, str, tuple[str, ...]]  # (unit, level, path)

_ZERO = Decimal(0)
_HUNDRED = Decimal("100")
_UNSEEN = object()
_BAD = object()  # unreadable, or readable two ways: never summed
_NO_PLAN: dict[str, Any] = {}


@dataclass(frozen=True)
class UnitReport:
    """One unit's report in a round, placed in the tree valid at the round's period.

    `path` runs from the consolidating unit down to this unit's parent (empty for
    the consolidating unit's own report). An unsubmitted report counts for
    completeness only: a draft's figures are never consolidated.
    """

    unit: str
    level: str
    path: tuple[str, ...]
    values: ReportValues
    submitted: bool = True
    late: bool = False
    template_id: str = ""


@dataclass(frozen=True)
class LevelTotal:
    """An indicator's figure over the units of one level (tỉnh, huyện, xã)."""

    value: Decimal | None
    units_reporting: int
    units_expected: int
    counts: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorTotal:
    """One indicator consolidated, with the units it stands over.

    The expected units split into those counted (`units_reporting`), those whose
    value could not be read (`unreadable`), those whose coded answer is not an
    option (`invalid`), and those that gave nothing (`missing`).
    """

    form: str
    code: str
    kind: Kind
    value: Decimal | None
    units_reporting: int
    units_expected: int
    missing: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()
    by_level: Mapping[str, LevelTotal] = field(default_factory=dict)
    by_unit: Mapping[str, Decimal | None] = field(default_factory=dict)
    counts: Mapping[int, int] = field(default_factory=dict)
    notes: Mapping[str, str] = field(default_factory=dict)
    reported_values: Mapping[str, Decimal] = field(default_factory=dict)
    operands: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def coverage(self) -> str:
        """What the figure stands over, as the office writes it: `2/3 đơn vị`."""
        return f"{self.units_reporting}/{self.units_expected} đơn vị"


# ---------------------------------------------------------------- reading plans


# Raw text → what `_reader` made of it, per (kind, choices): reading depends on nothing
# else, and the same few thousand texts come back in every round. Cleared when full.
_READ_CACHES: dict[Any, dict[str, Any]] = {}
_CACHE_LIMIT = 100_000


class _Plans:
    """How each indicator's raw text is read, and which (form, code) of each template
    version feeds which indicator; shared by a result's breakdowns."""

    def __init__(self, template: ReportTemplate, mapping: VersionMapping | None) -> None:
        if mapping is not None and mapping.target != template.id:
            raise ValueError(
                f"Bảng chuyển đổi dành cho mẫu {mapping.target}, không phải mẫu {template.id}."
            )
        self.template = template
        self.mapping = mapping or VersionMapping(template.id, {})
        self.readers: dict[Key, tuple[dict[str, Any] | None, Callable[[str], Any] | None]] = {}
        self.kinds: dict[Key, str] = {}
        native: dict[str, dict[str, Key]] = {}
        for form in template.forms:
            for ind in form.indicators:
                key = (form.code, ind.code)
                native.setdefault(form.code, {})[ind.code] = key
                self.kinds[key] = _slot_kind(ind)
                if self.kinds[key] == "number":
                    reading = (ind.kind, tuple(sorted(ind.choices.items())))
                    cache = _READ_CACHES.setdefault(reading, {})
                    self.readers[key] = (cache, _reader(ind))
        self._codes: dict[str, dict[str, dict[str, Key]]] = {template.id: native}

    def codes_for(self, template_id: str) -> dict[str, dict[str, Key]]:
        """Form → code → indicator, for reports of `template_id` (native, or mapped)."""
        template_id = template_id or self.template.id
        if template_id not in self._codes:
            codes: dict[str, dict[str, Key]] = {}
            for (source, form, code), target in self.mapping.indicators.items():
                if source == template_id and target in self.kinds:
                    codes.setdefault(form, {})[code] = target
            self._codes[template_id] = codes
        return self._codes[template_id]


def _slot_kind(ind: Indicator) -> str:
    """What `add` does with a raw text: read a number, keep a text, or nothing."""
    if ind.kind is Kind.HEADING or ind.formula is not None:
        return "none"  # a computed figure is recomputed from its operands, never read
    return "text" if ind.kind is Kind.TEXT else "number"


def _reader(ind: Indicator) -> Callable[[str], Any]:
    """A raw text → a Decimal, None when blank, or _BAD when unreadable or ambiguous."""

    def read(raw: str) -> Any:
        r = read_value(ind, raw)
        if r.value is None:
            return _BAD if r.problem else None
        return _BAD if r.ambiguous else r.value

    return read


# ---------------------------------------------------------------- running totals

# One indicator as `add` sees it: where values go, the read cache and reader
# (None for text and computed figures), where unreadable units and notes go.
_Slot = tuple[
    dict[str, Any] | None,
    dict[str, Any] | None,
    Callable[[str], Any] | None,
    dict[str, None],
    dict[str, str],
]


class RunningTotals:
    """Consolidation state that reports can be added to and removed from.

    `result()` equals `consolidate()` over the reports currently held; adding a
    report for a unit already held replaces it (a report returned and resubmitted).
    """

    def __init__(
        self,
        template: ReportTemplate,
        *,
        expected_units: Sequence[ExpectedUnit] | None = None,
        mapping: VersionMapping | None = None,
        _plans: _Plans | None = None,
    ) -> None:
        self.template = template
        self.expected_units = None if expected_units is None else tuple(expected_units)
        self._plans = _plans or _Plans(template, mapping)
        self._reports: dict[str, UnitReport] = {}
        self._stores: dict[str, dict[Key, dict[str, Any]]] = {}
        self._unreadable: dict[Key, dict[str, None]] = {k: {} for k in self._plans.kinds}
        self._notes: dict[Key, dict[str, str]] = {k: {} for k in self._plans.kinds}
        self._not_comparable: dict[tuple[str, str, str], dict[str, None]] = {}
        self._bound: dict[tuple[str, str], dict[str, dict[str, _Slot]]] = {}

    def __len__(self) -> int:
        return len(self._reports)

    def _store(self, level: str) -> dict[Key, dict[str, Any]]:
        if level not in self._stores:
            self._stores[level] = {k: {} for k in self._plans.kinds}
        return self._stores[level]

    def _plan(self, template_id: str, level: str) -> dict[str, dict[str, _Slot]]:
        """Form → code → slot for reports of one template version and level, so that
        `add` writes each value with a single lookup."""
        bound = self._bound.get((template_id, level))
        if bound is None:
            store, kinds, readers = self._store(level), self._plans.kinds, self._plans.readers
            bound = self._bound[(template_id, level)] = {
                form: {
                    code: (
                        None if kinds[key] == "none" else store[key],
                        *readers.get(key, (None, None)),
                        self._unreadable[key],
                        self._notes[key],
                    )
                    for code, key in codes.items()
                }
                for form, codes in self._plans.codes_for(template_id).items()
            }
        return bound

    def add(self, report: UnitReport) -> None:
        """Take in one report: one pass over its values, each raw text read through the cache."""
        if report.unit in self._reports:
            self.remove(report.unit)
        self._reports[report.unit] = report
        if not report.submitted:
            return
        unit = report.unit
        plans = self._plan(report.template_id, report.level)
        for form_code, entries in report.values.items():
            plan = plans.get(form_code, _NO_PLAN)
            for code, entry in entries.items():
                try:
                    target, cache, read, bad, notes = plan[code]
                except KeyError:
                    self._tally(report, form_code, code)
                    continue
                if cache is not None:
                    raw = entry.raw
                    try:
                        value = cache[raw]
                    except KeyError:
                        if len(cache) >= _CACHE_LIMIT:
                            cache.clear()
                        value = cache[raw] = read(raw)  # type: ignore[misc]
                    if value is not None:
                        if value is _BAD:
                            bad[unit] = None
                        else:
                            target[unit] = value  # type: ignore[index]
                elif target is not None and (text := entry.raw.strip()):
                    target[unit] = text
                if entry.note:
                    notes[unit] = entry.note

    def _tally(self, report: UnitReport, form: str, code: str) -> None:
        source = report.template_id or self.template.id
        self._not_comparable.setdefault((source, form, code), {})[report.unit] = None

    def remove(self, report: UnitReport | str) -> None:
        """Undo `add` for a unit; KeyError when the unit has no report here."""
        unit = report if isinstance(report, str) else report.unit
        held = self._reports.pop(unit)
        if not held.submitted:
            return
        store = self._store(held.level)
        codes = self._plans.codes_for(held.template_id)
        for form_code, entries in held.values.items():
            keys = codes.get(form_code, {})
            for code in entries:
                key = keys.get(code)
                if key is not None:
                    store[key].pop(unit, None)
                    self._unreadable[key].pop(unit, None)
                    self._notes[key].pop(unit, None)
                    continue
                tally_key = (held.template_id or self.template.id, form_code, code)
                units = self._not_comparable.get(tally_key, {})
                units.pop(unit, None)
                if not units:
                    self._not_comparable.pop(tally_key, None)

    def result(self) -> Consolidation:
        """The consolidation of the reports held now."""
        return _Summary(self).consolidation()


def consolidate(
    template: ReportTemplate,
    reports: Iterable[UnitReport],
    *,
    expected_units: Sequence[ExpectedUnit] | None = None,
    mapping: VersionMapping | None = None,
) -> Consolidation:
    """Consolidate a round: `expected_units` (unit, level, path) says who should have
    reported; without it, the units that have a report are the expected ones."""
    totals = RunningTotals(template, expected_units=expected_units, mapping=mapping)
    for report in reports:
        if report.unit in totals._reports:
            raise ValueError(f"Đơn vị {report.unit} có hai báo cáo trong cùng một đợt.")
        totals.add(report)
    return totals.result()


# ---------------------------------------------------------------- the result


@dataclass(frozen=True)
class _Snapshot:
    """What a result was computed from, kept so `breakdown` can split it by branch."""

    template: ReportTemplate
    expected_units: tuple[ExpectedUnit, ...] | None
    reports: Mapping[str, UnitReport]
    plans: _Plans

    def breakdown(self, parent: str | None) -> dict[str, Consolidation]:
        metas = _unit_metas(self.expected_units, self.reports)
        root = parent or next((path[0] for _, _, path in metas.values() if path), None)
        branches: dict[str, list[str]] = {}
        for unit, (_, _, path) in metas.items():
            if (branch := branch_of(unit, path, root)) is not None:
                branches.setdefault(branch, []).append(unit)
        out: dict[str, Consolidation] = {}
        for branch, units in branches.items():
            expected = None
            if self.expected_units is not None:
                wanted = set(units)
                expected = [e for e in self.expected_units if e[0] in wanted]
            part = RunningTotals(self.template, expected_units=expected, _plans=self.plans)
            for unit in units:
                if unit in self.reports:
                    part.add(self.reports[unit])
            out[branch] = part.result()
        return out


@dataclass(frozen=True)
class Consolidation:
    """A consolidated round: a total per indicator, plus who submitted and when."""

    template_id: str
    totals: Mapping[Key, IndicatorTotal]
    expected: tuple[str, ...]
    submitted: tuple[str, ...]
    on_time: tuple[str, ...]
    late: tuple[str, ...]
    not_submitted: tuple[str, ...]
    unexpected: tuple[str, ...] = ()
    levels: Mapping[str, str] = field(default_factory=dict)
    not_comparable: Mapping[tuple[str, str, str], int] = field(default_factory=dict)
    _snapshot: Any = field(default=None, compare=False, repr=False)  # has .breakdown(parent)

    def __getitem__(self, key: Key) -> IndicatorTotal:
        return self.totals[key]

    @property
    def units_expected(self) -> int:
        return len(self.expected)

    def breakdown(self, parent: str | None = None) -> dict[str, Consolidation]:
        """The same consolidation for each direct child branch of `parent`.

        `parent` defaults to the consolidating unit (the first unit of the paths):
        a province sees its districts of the old tree, or its communes of the new,
        as the reports' own paths say. Units outside `parent` are left out.
        """
        return {} if self._snapshot is None else self._snapshot.breakdown(parent)


def branch_of(unit: str, path: tuple[str, ...], root: str | None) -> str | None:
    """The direct child of `root` that `unit` lies under (itself when it is that child)."""
    if root is None:
        return None
    if root in path:
        i = path.index(root)
        return path[i + 1] if i + 1 < len(path) else unit
    return unit if unit == root else None


def _unit_metas(
    expected_units: Iterable[ExpectedUnit] | None, reports: Mapping[str, UnitReport]
) -> dict[str, ExpectedUnit]:
    """Every unit in scope, in a stable order: the expected ones as given, then the others.

    A report's own level and path win over the expected list's: the report was
    placed in the tree of its period.
    """
    metas: dict[str, ExpectedUnit] = {}
    for unit, level, path in expected_units or ():
        metas[unit] = (unit, level, tuple(path))
    extra = sorted((r for r in reports.values() if r.unit not in metas), key=_report_order)
    for r in extra:
        metas[r.unit] = (r.unit, r.level, r.path)
    for unit, r in reports.items():
        metas[unit] = (unit, r.level, r.path)
    return metas


def _report_order(report: UnitReport) -> tuple[tuple[str, ...], str]:
    return (report.path, report.unit)


class _Summary:
    """Turns the held state into a Consolidation; built afresh for each result."""

    def __init__(self, totals: RunningTotals) -> None:
        self.t = totals
        self.template = totals.template
        self.metas = _unit_metas(totals.expected_units, totals._reports)
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

    def consolidation(self) -> Consolidation:
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
            ind = self.template.indicator(*key)
            if ind is not None and ind.has_value:
                self.results[key] = self._derived(key, ind)
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
            _snapshot=_Snapshot(self.template, t.expected_units, dict(reports), t._plans),
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
                lv_counts, lv_invalid = _choice_counts(ind, values)
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
            notes=_notes(texts, self.t._notes.get(key, {}), self.order),
            reported_values=dict(by_unit) if ind.kind is Kind.RATE else {},
        )

    # -- rates and other figures computed by a formula

    def _derived(self, key: Key, ind: Indicator) -> IndicatorTotal:
        """Recompute from the operands summed over the units that gave every operand."""
        formula = ind.formula
        assert formula is not None
        refs = [(r.form or key[0], r.code) for r in formula.refs]
        figures = _unit_figures(formula, refs)
        unreadable = {u for ref in refs for u in self.t._unreadable.get(ref, {})}
        allowed = self._allowed(ind)
        per_unit: dict[str, dict[str, Decimal | None]] = {}
        by_level: dict[str, LevelTotal] = {}
        totals: dict[Key, Decimal] = dict.fromkeys(refs, _ZERO)
        scope: set[str] = set()
        for lv in self.level_order:
            columns = [self._column(ref, lv) for ref in refs]
            complete = set(columns[0]).intersection(*columns[1:]) if columns else set()
            sums = {
                ref: self._sum_over(ref, lv, col, complete)
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
            notes=_notes({}, self.t._notes.get(key, {}), self.order),
            operands={k: v for k, v in operands.items() if v is not None} if by_unit else {},
        )

    def _column(self, ref: Key, lv: str) -> Mapping[str, Any]:
        """One operand's values at a level; a computed operand gives its per-unit results."""
        if ref in self.computed:
            return self.computed[ref].get(lv, {})
        return self.stores[lv].get(ref, {})

    def _sum_over(self, ref: Key, lv: str, column: Mapping[str, Any], units: set[str]) -> Decimal:
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


def _choice_counts(
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


def _notes(
    texts: Mapping[str, str], notes: Mapping[str, str], order: Mapping[str, int]
) -> dict[str, str]:
    """A text answer and the unit's note (Ghi chú) side by side, per unit."""
    if not texts and not notes:
        return {}
    units = sorted(texts.keys() | notes.keys(), key=order.__getitem__)
    return {u: "; ".join(x for x in (texts.get(u), notes.get(u)) if x) for u in units}


_RATIO = re.compile(r"\s*(\S+)\s*/\s*(\S+)\s*\*\s*100\s*")
_Figures = Callable[[list[Mapping[str, Any]], set[str]], dict[str, Decimal | None]]


def _unit_figures(formula: Expression, refs: list[Key]) -> _Figures:
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
            result = formula.evaluate(lambda f, c, row=row: row[index[Ref(f, c)]])
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
