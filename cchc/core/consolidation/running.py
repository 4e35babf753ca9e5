"""Consolidation state that reports are added to and removed from, and `consolidate`.

Raw texts are read through the shared cache (reading.py), kept per level and unit
in plain dicts, and summed only when a result is asked for (summary.py), so
totals can follow reports as they are accepted, and removing a report undoes
exactly what adding it did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cchc.core.consolidation.reading import BAD, CACHE_LIMIT, NO_PLAN, Plans
from cchc.core.consolidation.result import (
    Consolidation,
    ExpectedUnit,
    UnitReport,
    branch_of,
    unit_metas,
)
from cchc.core.consolidation.summary import Summary
from cchc.core.consolidation.version_mapping import Key, VersionMapping
from cchc.core.templates import ReportTemplate

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
        _plans: Plans | None = None,
    ) -> None:
        self.template = template
        self.expected_units = None if expected_units is None else tuple(expected_units)
        self._plans = _plans or Plans(template, mapping)
        self._reports: dict[str, UnitReport] = {}
        self._stores: dict[str, dict[Key, dict[str, Any]]] = {}
        self._unreadable: dict[Key, dict[str, None]] = {k: {} for k in self._plans.kinds}
        self._notes: dict[Key, dict[str, str]] = {k: {} for k in self._plans.kinds}
        self._not_comparable: dict[tuple[str, str, str], dict[str, None]] = {}
        self._bound: dict[tuple[str, str], dict[str, dict[str, _Slot]]] = {}

    def __len__(self) -> int:
        return len(self._reports)

    @property
    def reports(self) -> Mapping[str, UnitReport]:
        """The reports held, by unit."""
        return self._reports

    @property
    def not_comparable(self) -> Mapping[tuple[str, str, str], Mapping[str, None]]:
        """(template, form, code) of values no indicator takes → the units that gave them."""
        return self._not_comparable

    def notes_of(self, key: Key) -> Mapping[str, str]:
        """Each unit's note (Ghi chú) on one indicator."""
        return self._notes.get(key, {})

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
            plan = plans.get(form_code, NO_PLAN)
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
                        if len(cache) >= CACHE_LIMIT:
                            cache.clear()
                        value = cache[raw] = read(raw)  # type: ignore[misc]
                    if value is not None:
                        if value is BAD:
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
        snapshot = Snapshot(self.template, self.expected_units, dict(self._reports), self._plans)
        return Summary(self).consolidation(snapshot)


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


@dataclass(frozen=True)
class Snapshot:
    """What a result was computed from, kept so `breakdown` can split it by branch."""

    template: ReportTemplate
    expected_units: tuple[ExpectedUnit, ...] | None
    reports: Mapping[str, UnitReport]
    plans: Plans

    def breakdown(self, parent: str | None) -> dict[str, Consolidation]:
        metas = unit_metas(self.expected_units, self.reports)
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
