"""Stored consolidation: a branch's reports reduced to a few figures per indicator.

A national round holds ~500.000 values, but its consolidation needs only, per
branch (a direct child of the consolidating unit), level and indicator: how many
units gave a value, their sum (or, for a rate, the sums of its operands over the
units that gave every operand), the count per coded answer, and the few units
that stand out (unreadable, not an option, submitted without the value, a
note). A `Tally` is that reduction; `consolidation_from_tallies` merges any
number of them into the very `Consolidation` that `consolidate` computes from
all the values, since every figure of it is a sum over units and units do not
share branches (merge.py). Per-unit figures (`by_unit`) are kept only for the units
asked for (see web/reporting/consolidation/totals.py: every unit of a province
round, only the provinces of a national one).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.consolidation.figures import (
    choice_counts,
)
from cchc.core.consolidation.result import UnitReport
from cchc.core.consolidation.running import RunningTotals
from cchc.core.consolidation.summary import Summary
from cchc.core.consolidation.version_mapping import Key, VersionMapping
from cchc.core.formulas import Expression
from cchc.core.templates import Indicator, Kind, ReportTemplate

__all__ = ["DIGEST", "Cell", "Tally", "TallyUnit", "combined", "content_digest", "tally_reports"]

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
    # The digest of the stored content it was read from (`from_data`), else empty.
    digest: str = field(default="", compare=False)

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
        data: dict[str, Any] = {
            "cells": cells,
            "not_comparable": [[*k, n] for k, n in self.not_comparable.items()],
        }
        return {**data, DIGEST: content_digest(data)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Tally:
        """The tally back from `to_data`; a national round reads 34 × 150 cells of it,
        most with one level, no answers and no operands, so the empty parts are skipped."""
        cells = {}
        for key, item in data["cells"].items():
            levels = {
                lv: (
                    n,
                    None if total is None else Decimal(total),
                    {int(k): v for k, v in counts.items()} if counts else {},
                    {_key(k): Decimal(s) for k, s in sums.items()} if sums else {},
                )
                for lv, (n, total, counts, sums) in item["l"].items()
            }
            if len(item) == 1:
                cells[_key(key)] = Cell(levels)
                continue
            own = item.get("own")
            cells[_key(key)] = Cell(
                levels,
                item.get("unreadable", []),
                item.get("invalid", []),
                item.get("lacking", []),
                item.get("notes", {}),
                item.get("texts", {}),
                {u: None if v is None else Decimal(v) for u, v in own.items()} if own else {},
            )
        not_comparable = {(s, f, c): n for s, f, c, n in data["not_comparable"]}
        return cls(cells, not_comparable, data.get(DIGEST, ""))


DIGEST = "digest"  # the key of `to_data` naming its content


def content_digest(data: Mapping[str, Any]) -> str:
    """A digest of a tally's stored content (without its own digest): a reader may keep a
    decoded tally by it, since the same digest means the same figures."""
    text = json.dumps({k: v for k, v in data.items() if k != DIGEST}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def combined(base: Tally, one: Tally, *, remove: bool = False) -> Tally:
    """`base` with the tally of one more report added (or, with `remove`, taken away).

    Every figure of a tally is a sum over units or a list of units, so a report
    submitted costs one report's work, not its branch's, and a report returned
    takes away exactly what it brought. `one` must not share units with `base`
    when adding, and must be a part of it when removing.
    """
    sign = -1 if remove else 1
    cells = {key: _cell_copy(c) for key, c in base.cells.items()}
    for key, part in one.cells.items():
        cell = cells.setdefault(key, Cell())
        for lv, (n, total, counts, sums) in part.levels.items():
            m, t, c, s = cell.levels.get(lv, (0, None, {}, {}))
            if total is not None:
                t = total if t is None else t + sign * total
            c = {k: c.get(k, 0) + sign * counts.get(k, 0) for k in c.keys() | counts.keys()}
            s = {r: s.get(r, _ZERO) + sign * sums.get(r, _ZERO) for r in s.keys() | sums.keys()}
            if m + sign * n:
                cell.levels[lv] = (m + sign * n, t, {k: v for k, v in c.items() if v}, s)
            else:
                cell.levels.pop(lv, None)
        for name in ("unreadable", "invalid", "lacking"):
            units: list[str] = getattr(cell, name)
            given = getattr(part, name)
            setattr(cell, name, [u for u in units if u not in given] if remove else units + given)
        for name in ("notes", "texts", "own"):
            held: dict[str, Any] = getattr(cell, name)
            for unit, value in getattr(part, name).items():
                if remove:
                    held.pop(unit, None)
                else:
                    held[unit] = value
    not_comparable = dict(base.not_comparable)
    for k, n in one.not_comparable.items():
        if left := not_comparable.get(k, 0) + sign * n:
            not_comparable[k] = left
        else:
            not_comparable.pop(k, None)
    return Tally(cells, not_comparable)


def _cell_copy(c: Cell) -> Cell:
    levels = {lv: (n, t, dict(cs), dict(ss)) for lv, (n, t, cs, ss) in c.levels.items()}
    lists = (list(c.unreadable), list(c.invalid), list(c.lacking))
    return Cell(levels, *lists, dict(c.notes), dict(c.texts), dict(c.own))


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
