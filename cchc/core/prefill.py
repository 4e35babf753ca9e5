"""What an upper unit's own report takes from the consolidation of the round it issued.

A province reports upward on the same forms its communes filled; its figures are
the consolidation of theirs, and so on up the tree. The rules follow DESIGN §9:

- counts and amounts are the sums. A row that stands for one level (`levels`:
  the province and district rows of pl-2024, and the commune row beside them)
  takes the figure of the lowest of its levels present: the province's "UBND
  cấp huyện" row is the districts' sum, never the districts' plus a commune's;
  the ministry, whose units are provinces, takes the provinces' own row;
- rates are never written: one with a formula is recomputed by the core from the
  prefilled operands (never averaged), one without operands gets only a note;
- coded answers are not invented: left empty, the count per option in the note;
- a figure over fewer units than expected says so in its note ("23/25 đơn vị").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from cchc.core.consolidation import Consolidation, IndicatorTotal
from cchc.core.numbers import format_number
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate
from cchc.core.text import fold

__all__ = [
    "LEVEL_NAMES",
    "Proposal",
    "level_groups",
    "level_rows",
    "merge_proposals",
    "propose",
    "raw_number",
    "row_level",
]

Key = tuple[str, str]
LEVEL_NAMES = {"tinh": "cấp tỉnh", "huyen": "cấp huyện", "xa": "cấp xã"}
_NAMES_SHOWN = 5


@dataclass(frozen=True)
class Proposal:
    """One row of the upper report as the consolidation proposes it.

    `value` is set for counts and amounts only; `counts` for coded answers;
    `unit_rates` for rates that have no operands to recompute them from.
    """

    form: str
    code: str
    kind: Kind
    value: Decimal | None = None
    reporting: int = 0
    expected: int = 0
    missing: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()
    by_level: tuple[tuple[str, Decimal], ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    unit_rates: tuple[tuple[str, Decimal], ...] = ()

    @property
    def coverage(self) -> str:
        return f"{self.reporting}/{self.expected} đơn vị"

    @property
    def complete(self) -> bool:
        return self.reporting >= self.expected

    @property
    def raw(self) -> str | None:
        """The text to write in the value cell; None leaves the cell as it is."""
        return None if self.value is None else raw_number(self.value)

    @property
    def note(self) -> str:
        """Ghi chú: what the figure stands over, per level, per option."""
        if self.kind is Kind.CHOICE:
            options = "; ".join(f"{label}: {n}" for label, n in self.counts)
            return f"Chưa điền (câu trả lời mã hóa không cộng được). {self.coverage}: {options}."
        if self.value is None:
            rates = "; ".join(f"{u} {format_number(v, 2)}%" for u, v in self.unit_rates[:5])
            more = "; …" if len(self.unit_rates) > 5 else ""
            return (
                "Tỷ lệ không có tử số, mẫu số trên biểu nên không tổng hợp được; "
                f"{self.coverage} có số liệu: {rates}{more}."
            )
        parts = []
        if len(self.by_level) > 1:
            parts.append(
                ", ".join(f"{level_name(lv)} {format_number(v)}" for lv, v in self.by_level)
            )
        if not self.complete:
            text = f"Tổng hợp {self.coverage}"
            if self.missing:
                text += f"; chưa có: {_names(self.missing)}"
            if self.unreadable:
                text += f"; không đọc được số liệu của: {_names(self.unreadable)}"
            parts.append(text)
        return (". ".join(parts) + ".") if parts else ""


def level_name(level: str) -> str:
    return LEVEL_NAMES.get(level, level)


def _names(names: tuple[str, ...]) -> str:
    shown = ", ".join(names[:_NAMES_SHOWN])
    left = len(names) - _NAMES_SHOWN
    return f"{shown} và {left} đơn vị khác" if left > 0 else shown


def raw_number(value: Decimal) -> str:
    """A figure as a person would type it, readable one way only: `213936`, `3887,50`.

    No thousands dots, and never exactly three decimals (`3,887` reads two ways).
    """
    if value == value.to_integral():
        return str(int(value))
    whole, _, frac = f"{abs(value.normalize()):f}".partition(".")
    if len(frac) == 3:
        frac += "0"
    return f"{'-' if value < 0 else ''}{whole},{frac}"


def is_level_row(template: ReportTemplate, ind: Indicator) -> bool:
    """A row only some levels fill (pl-2024's province and district rows)."""
    return bool(ind.levels) and not set(template.levels) <= set(ind.levels)


def level_groups(template: ReportTemplate, form: Form) -> list[list[Indicator]]:
    """Figures split into a row per level under the same name and unit (pl-2024's
    "Tổng số hồ sơ" of the departments, the districts and the communes)."""
    groups: dict[tuple[str, str], list[Indicator]] = {}
    for ind in form.indicators:
        if ind.kind is not Kind.HEADING:
            groups.setdefault((fold(ind.name), fold(ind.measure)), []).append(ind)
    return [g for g in groups.values() if len({row_level(template, i) for i in g}) > 1]


def level_rows(template: ReportTemplate, form: Form) -> set[str]:
    """Codes of the rows that stand for one level: those with `levels`, and those
    of a figure split by level."""
    split = {i.code for group in level_groups(template, form) for i in group}
    return split | {i.code for i in form.indicators if is_level_row(template, i)}


def row_level(template: ReportTemplate, ind: Indicator) -> str:
    """The level whose figures a row stands for: the lowest level that fills it."""
    known = [lv for lv in template.levels if not ind.levels or lv in ind.levels]
    return known[-1] if known else ""


def propose(
    template: ReportTemplate, result: Consolidation, names: Mapping[str, str]
) -> dict[Key, Proposal]:
    """Every row the consolidation has something to say about, in template order."""
    out: dict[Key, Proposal] = {}
    for form in template.forms:
        by_level = level_rows(template, form)
        for ind in form.indicators:
            total = result.totals.get((form.code, ind.code))
            if total is None or ind.formula is not None or ind.kind is Kind.TEXT:
                continue  # headings have no total; formulas are the core's to compute
            proposal = _proposal(
                ind, total, result, names, template if ind.code in by_level else None
            )
            if proposal is not None:
                out[(form.code, ind.code)] = proposal
    return out


def _proposal(
    ind: Indicator,
    total: IndicatorTotal,
    result: Consolidation,
    names: Mapping[str, str],
    level_of: ReportTemplate | None,
) -> Proposal | None:
    """`level_of` is the template when the row stands for one level."""
    base = Proposal(
        form=total.form,
        code=total.code,
        kind=ind.kind,
        reporting=total.units_reporting,
        expected=total.units_expected,
        missing=tuple(names.get(u, u) for u in total.missing),
        unreadable=tuple(names.get(u, u) for u in total.unreadable),
    )
    if total.units_reporting == 0:
        return None
    if ind.kind is Kind.CHOICE:
        counts = tuple((ind.choices.get(k, str(k)), n) for k, n in sorted(total.counts.items()))
        return replace(base, counts=counts)
    if ind.kind is Kind.RATE:
        rates = tuple((names.get(u, u), v) for u, v in total.by_unit.items() if v is not None)
        return replace(base, unit_rates=rates)
    if level_of is None:
        levels = tuple((lv, t.value) for lv, t in total.by_level.items() if t.value is not None)
        return replace(base, value=total.value, by_level=levels)
    return _level_figure(level_of, ind, total, result, base)


def _level_figure(
    template: ReportTemplate,
    ind: Indicator,
    total: IndicatorTotal,
    result: Consolidation,
    base: Proposal,
) -> Proposal | None:
    """A level row: the lowest of its levels present, or the levels the template
    does not know (the core expects those everywhere)."""
    present = [lv for lv in template.levels if lv in ind.levels and lv in total.by_level]
    chosen = present[-1:] or [lv for lv in total.by_level if lv not in template.levels]
    parts = [total.by_level[lv] for lv in chosen if total.by_level[lv].units_expected]
    values = [p.value for p in parts if p.value is not None]
    if not values:
        return None
    in_level = {u for u, lv in result.levels.items() if lv in chosen}
    missing = tuple(m for m, u in zip(base.missing, total.missing, strict=True) if u in in_level)
    return replace(
        base,
        value=sum(values, Decimal(0)),
        reporting=sum(p.units_reporting for p in parts),
        expected=sum(p.units_expected for p in parts),
        missing=missing,
        unreadable=(),
    )


def merge_proposals(rounds: Iterable[Mapping[Key, Proposal]]) -> dict[Key, Proposal]:
    """Proposals of several rounds the unit issued for one period, added up
    (its communes in one round, its departments in another)."""
    out: dict[Key, Proposal] = {}
    for proposals in rounds:
        for key, p in proposals.items():
            q = out.get(key)
            out[key] = p if q is None else _add(q, p)
    return out


def _add(a: Proposal, b: Proposal) -> Proposal:
    def summed(x: Iterable[tuple[str, object]], y: Iterable[tuple[str, object]]) -> tuple:
        merged: dict[str, object] = dict(x)
        for k, v in y:
            merged[k] = merged[k] + v if k in merged else v  # type: ignore[operator]
        return tuple(merged.items())

    return replace(
        a,
        value=None if a.value is None or b.value is None else a.value + b.value,
        reporting=a.reporting + b.reporting,
        expected=a.expected + b.expected,
        missing=a.missing + b.missing,
        unreadable=a.unreadable + b.unreadable,
        by_level=summed(a.by_level, b.by_level),
        counts=summed(a.counts, b.counts),
        unit_rates=a.unit_rates + b.unit_rates,
    )
