"""So sánh: a round's units ranked on one indicator, values to review, a unit's trend.

Figures come from the stored consolidation (submitted reports only, each unit's
rate recomputed from its own numerator and denominator); history from the stored
consolidations of the earlier rounds that included the same units, on the same
template or an older version matched by indicator name. A national round compares
its provinces, each by its summed figures (comparison_figures.py). The web page
and `cchc compare` both read `compare_round` and the same `tables`, so they cannot
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core import comparison as cmp
from cchc.core.numbers import format_number
from cchc.core.periods import Window, same_span
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate
from cchc.documents.tables import Table
from cchc.web.reporting.comparison_figures import (
    Figures,
    Key,
    Past,
    by_branch,
    comparable_figures,
    compared,
    past_rounds,
    period_label,
)
from cchc.web.reporting.consolidation import consolidate_round
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.template_versions.store import template_of

__all__ = ["Comparison", "Past", "compare_round", "past_rounds", "period_label", "tables"]

TABLES = {"xep-hang": "Xếp hạng", "canh-bao": "Cần xem lại", "xu-huong": "Xu hướng"}


@dataclass
class Comparison:
    round: ReportingRound
    template: ReportTemplate
    form: Form
    indicator: Indicator
    higher_is_better: bool
    names: dict[str, str]
    units: list[str]
    ranking: list[cmp.RankRow]
    previous: dict[str, Decimal | None]
    flags: list[cmp.Flag]
    past: list[Past]
    unit: str | None = None
    series: cmp.Series | None = None
    choices: list[tuple[Form, Indicator]] = field(default_factory=list)
    by_branch: bool = False  # a national round: its provinces compared, not its communes

    @property
    def kind(self) -> Kind:
        return self.indicator.kind


def parse_indicator(template: ReportTemplate, text: str) -> tuple[Form, Indicator] | None:
    """`BM1.2.1` → (form BM1, indicator 2.1), when it has a figure to compare."""
    form_code, _, code = text.strip().partition(".")
    form = template.form(form_code)
    ind = form.get(code) if form else None
    return (form, ind) if form and ind and cmp.comparable(ind) else None


def _window(rnd: ReportingRound) -> Window:
    return Window(rnd.window_start, rnd.window_end)


def same_span_rounds(past: list[Past], rnd: ReportingRound, ind: Indicator) -> list[Past]:
    """The earlier rounds whose figures of `ind` can stand beside this round's: a
    non-cumulative figure of a quarter is not compared with a year-to-date half."""
    here = _window(rnd)
    return [p for p in past if same_span(_window(p.round), here, cumulative=ind.cumulative)]


def _history(past: list[Past], key: Key, unit: str) -> list[tuple[str, Decimal]]:
    return [(p.label, v) for p in past if (v := p.figures.get(key, {}).get(unit)) is not None]


def _flags(
    rnd: ReportingRound,
    template: ReportTemplate,
    current: Figures,
    past: list[Past],
    names: dict[str, str],
) -> list[cmp.Flag]:
    flags: list[cmp.Flag] = []
    for form in template.forms:
        for ind in form.indicators:
            values = current.get((form.code, ind.code), {})
            if not cmp.comparable(ind) or not values:
                continue
            flags += cmp.peer_flags(form=form, ind=ind, values=values, names=names)
            comparable = same_span_rounds(past, rnd, ind)
            for unit, value in values.items():
                flag = cmp.history_flag(
                    unit=unit,
                    unit_name=names.get(unit, unit),
                    form=form,
                    ind=ind,
                    value=value,
                    history=_history(comparable, (form.code, ind.code), unit),
                )
                if flag:
                    flags.append(flag)
    return flags


def default_indicator(template: ReportTemplate) -> tuple[Form, Indicator]:
    """The first rate (what offices compare first), else the first figure."""
    pairs = [(f, i) for f in template.forms for i in f.indicators if cmp.comparable(i)]
    if not pairs:
        raise ValueError(f"Mẫu {template.id} không có chỉ tiêu số liệu để so sánh.")
    return next(((f, i) for f, i in pairs if i.kind is Kind.RATE), pairs[0])


def compare_round(
    rnd: ReportingRound,
    *,
    indicator: str = "",
    unit: str = "",
    higher_is_better: bool | None = None,
) -> Comparison:
    """Everything the page and the command show; ValueError for an unknown indicator or unit."""
    template = template_of(rnd.template)
    chosen = parse_indicator(template, indicator) if indicator else default_indicator(template)
    if chosen is None:
        raise ValueError(
            f"Mẫu {template.id} không có chỉ tiêu số liệu «{indicator}» "
            "(dạng BIỂU.MÃ, ví dụ BM1.2)."
        )
    form, ind = chosen
    result, names = consolidate_round(rnd)
    branches = by_branch(result)
    present, figures = compared(result, branches)
    units = sorted(present, key=lambda u: names.get(u, u))
    if unit and unit not in present:
        raise ValueError(
            f"Đơn vị {unit} không phải một tỉnh của đợt {rnd.title}: đợt toàn quốc so sánh "
            "theo tỉnh, từng xã so sánh trong đợt của tỉnh."
            if branches
            else f"Đơn vị {unit} không có báo cáo trong đợt {rnd.title}."
        )
    current = comparable_figures(template, figures)
    past = past_rounds(rnd, template, present, branches=branches)
    key = (form.code, ind.code)
    values = current.get(key, {})
    better = cmp.higher_is_better(ind) if higher_is_better is None else higher_is_better
    ranking = cmp.rank_units({u: values.get(u) for u in units}, higher_is_better=better)
    spanned = same_span_rounds(past, rnd, ind)
    previous = {u: next((v for _, v in reversed(_history(spanned, key, u))), None) for u in units}
    chosen_unit = unit or next((r.unit for r in ranking), None)
    series = None
    if chosen_unit:
        points = [
            (p.label, p.figures.get(key, {}).get(chosen_unit))
            for p in spanned
            if chosen_unit in p.units
        ]
        points.append((period_label(rnd.period_key), values.get(chosen_unit)))
        series = cmp.unit_series(points, kind=ind.kind)
    return Comparison(
        round=rnd,
        template=template,
        form=form,
        indicator=ind,
        higher_is_better=better,
        names=names,
        units=units,
        ranking=ranking,
        previous=previous,
        flags=_flags(rnd, template, current, past, names),
        past=past,
        unit=chosen_unit,
        series=series,
        choices=[(f, i) for f in template.forms for i in f.indicators if cmp.comparable(i)],
        by_branch=branches,
    )


# ---------------------------------------------------------------- tables and files


def tables(c: Comparison) -> dict[str, Table]:
    """The three tables of the page, as the page, the files and the command show them."""
    k = c.kind
    rank = Table(
        f"Xếp hạng theo {cmp.indicator_label(c.form, c.indicator)}",
        ["Hạng", "Đơn vị", "Giá trị", "Kỳ trước", "Thay đổi", "Ghi chú"],
        [],
        [None, None, k, k, None, None],
    )
    for r in c.ranking:
        before = c.previous.get(r.unit)
        change = r.value - before if r.value is not None and before is not None else None
        note = "chưa có số liệu" if r.missing else "đồng hạng" if r.tied else ""
        rank.rows.append(
            [
                r.rank,
                c.names.get(r.unit, r.unit),
                r.value,
                before,
                cmp.shown_change(change, k),
                note,
            ]
        )
    flags = Table(
        "Số liệu cần xem lại",
        ["Đơn vị", "Biểu", "Chỉ tiêu", "Giá trị", "So với", "Lý do"],
        [
            [
                c.names.get(f.unit, f.unit),
                f.form,
                f.code,
                cmp.shown(f.value, _kind(c.template, f.form, f.code)),
                "các kỳ trước của đơn vị" if f.basis == "history" else "các đơn vị cùng đợt",
                f.reason,
            ]
            for f in c.flags
        ],
        [None] * 6,
    )
    trend = Table(
        f"Xu hướng: {c.names.get(c.unit or '', c.unit or '')}",
        ["Kỳ báo cáo", "Giá trị", "Thay đổi", "Thay đổi (%)"],
        [
            [
                p.period,
                p.value,
                cmp.shown_change(p.change, k),
                _percent(p.relative),
            ]
            for p in (c.series.points if c.series else ())
        ],
        [None, k, None, None],
    )
    return {"xep-hang": rank, "canh-bao": flags, "xu-huong": trend}


def _percent(relative: Decimal | None) -> str:
    """A relative change, `+20,0%`."""
    if relative is None:
        return ""
    return ("+" if relative > 0 else "") + format_number(relative, 1) + "%"


def _kind(template: ReportTemplate, form: str, code: str) -> Kind:
    """A flagged figure's kind; a flag only names the template's own indicators."""
    ind = template.indicator(form, code)
    return ind.kind if ind is not None else Kind.AMOUNT
