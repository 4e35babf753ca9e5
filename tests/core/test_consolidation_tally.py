"""Stored tallies merge into the very consolidation of all the values (consolidation/tally.py)."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.consolidation import (
    Consolidation,
    Tally,
    UnitReport,
    branch_of,
    combined,
    consolidate,
    consolidation_from_tallies,
    tally_reports,
)
from tests.core.test_consolidation import MAPPING, TEMPLATE, unit_reports

BRANCHES = {"P", "D", "X3", "X4"}  # the units directly under P, and P


def _stored(reports: list[UnitReport], *, keep_all: bool) -> Consolidation:
    """Tally each branch under P, write it as JSON and read it back, then merge."""
    groups: dict[str, list[UnitReport]] = {}
    for r in reports:
        groups.setdefault(branch_of(r.unit, r.path, "P") or "", []).append(r)
    branches = {}
    for branch, members in groups.items():
        keep = {r.unit for r in members} if keep_all else {branch}
        tally = tally_reports(TEMPLATE, members, keep=keep, mapping=MAPPING)
        tally = Tally.from_data(json.loads(json.dumps(tally.to_data())))
        branches[branch] = (tally, [(r.unit, r.level, r.submitted, r.late) for r in members])
    units = [(r.unit, r.level, r.submitted, r.late) for r in reports]
    return consolidation_from_tallies(
        TEMPLATE, [t for t, _ in branches.values()], units, root="P", branches=branches
    )


def keeping_units(c: Consolidation, keep: set[str]) -> Consolidation:
    """What a stored round drops: the per-unit figures of units below the branches."""
    totals = {
        k: replace(
            t,
            by_unit={u: v for u, v in t.by_unit.items() if u in keep},
        )
        for k, t in c.totals.items()
    }
    return replace(c, totals=totals)


@settings(max_examples=150, deadline=None)
@given(st.lists(unit_reports(), max_size=8, unique_by=lambda r: r.unit))
def test_merged_branch_tallies_equal_a_full_recomputation(reports: list[UnitReport]) -> None:
    expected = [(r.unit, r.level, r.path) for r in reports]
    full = consolidate(TEMPLATE, reports, expected_units=expected, mapping=MAPPING)
    assert _stored(reports, keep_all=True) == full
    stored = _stored(reports, keep_all=False)
    assert stored == keeping_units(full, BRANCHES)
    parts, full_parts = stored.breakdown("P"), full.breakdown("P")
    assert parts.keys() == full_parts.keys()
    for branch, part in parts.items():
        assert part == keeping_units(full_parts[branch], BRANCHES)


def _merged(tally: Tally, reports: list[UnitReport]) -> Consolidation:
    units = [(r.unit, r.level, r.submitted, r.late) for r in reports]
    return consolidation_from_tallies(TEMPLATE, [tally], units)


@settings(max_examples=150, deadline=None)
@given(st.lists(unit_reports(), min_size=1, max_size=8, unique_by=lambda r: r.unit))
def test_one_report_added_to_or_taken_from_a_tally_equals_tallying_again(
    reports: list[UnitReport],
) -> None:
    """What a submission and a return do to a stored branch: one report's work."""
    keep = {r.unit for r in reports}
    *rest, last = [replace(r, submitted=True) for r in reports]
    whole = tally_reports(TEMPLATE, [*rest, last], keep=keep, mapping=MAPPING)
    without = tally_reports(TEMPLATE, rest, keep=keep, mapping=MAPPING)
    one = tally_reports(TEMPLATE, [last], keep=keep, mapping=MAPPING)
    assert _merged(combined(without, one), [*rest, last]) == _merged(whole, [*rest, last])
    taken = combined(whole, one, remove=True)
    assert _merged(taken, rest) == _merged(without, rest)
    # Stored as JSON and read back, the result is the same.
    again = Tally.from_data(json.loads(json.dumps(taken.to_data())))
    assert _merged(again, rest) == _merged(without, rest)
