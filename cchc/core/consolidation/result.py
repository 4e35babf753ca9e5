"""What a consolidation is: the units' reports going in, the totals coming out.

Every figure says over how many units it stands and which are missing, since a
total over 2 of 3 communes is not a total over 3.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.consolidation.version_mapping import Key
from cchc.core.templates import Kind
from cchc.core.values import ReportValues

ExpectedUnit = tuple[str, str, tuple[str, ...]]  # (unit, level, path)


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
    operands: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def coverage(self) -> str:
        """What the figure stands over, as the office writes it: `2/3 đơn vị`."""
        return f"{self.units_reporting}/{self.units_expected} đơn vị"


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


def unit_metas(
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
