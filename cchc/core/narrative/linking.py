"""Link narrative figures to the table's indicators, with a confidence, and say
when the text and the table disagree.

A figure links to an indicator when they count the same thing (noun class and
the table's unit), at the same stage (received, resolved, on time…), through
the same channel (online, level 3…), at a level the report fills, and when
most of the indicator's own words are in the figure's sentence. A figure
that equals any indicator it links to is consistent. Otherwise the best link
decides: a confident one is an error, an uncertain one only a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from cchc.core.narrative.checks import finding
from cchc.core.narrative.lexicon import STOP_WORDS, level_of, read_context, unit_noun
from cchc.core.narrative.statements import Fact
from cchc.core.numbers import format_number
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate, Severity
from cchc.core.text import fold
from cchc.core.validation import Finding

__all__ = ["Link", "link_facts", "table_findings", "table_group_sizes"]

T = TypeVar("T")

MIN_OVERLAP = 0.5  # share of an indicator's own words the sentence must contain
CONFIDENT = 0.75  # from this confidence a disagreement is an error
GENERIC = 0.6  # a row named by its noun and stage alone ("Số TTHC cấp xã") links, uncertainly
_SAME_STAGE = {"early_or_on_time": "on_time"}  # a table's "đúng hạn" includes early files


@dataclass(frozen=True)
class Link:
    form: Form
    indicator: Indicator
    value: Decimal
    confidence: float


@dataclass(frozen=True)
class _Row:
    form: Form
    indicator: Indicator
    noun: str
    stage: str | None
    qualifiers: frozenset[str]
    level: str | None
    words: frozenset[str]


# Built once per template and level: a save's answer links every figure again, and
# reading each row's name is the larger part of that work. The template is kept
# beside its rows so that its id cannot be reused by another object.
_Kind = tuple[str, str | None, frozenset[str]]  # what a row counts: noun, stage, qualifiers
_KINDS: dict[tuple, tuple[ReportTemplate, dict[_Kind, list[_Row]]]] = {}
_GROUPS: dict[tuple, tuple[ReportTemplate, tuple[tuple[str, str, str], ...]]] = {}
_CAP = 64


def _kept(store: dict, key: tuple, template: ReportTemplate, build: Callable[[], T]) -> T:
    """`build()`, kept in `store` under `key` beside the template it was built from."""
    cached = store.get(key)
    if cached is None or cached[0] is not template:
        if len(store) >= _CAP:
            store.clear()
        cached = store[key] = (template, build())
    return cached[1]


def _rows_by_kind(template: ReportTemplate, level: str | None) -> dict[_Kind, list[_Row]]:
    """The rows by what they count, the first test of a link."""

    def build() -> dict[_Kind, list[_Row]]:
        kinds: dict[_Kind, list[_Row]] = {}
        for row in _read_rows(template, level):
            kinds.setdefault((row.noun, row.stage, row.qualifiers), []).append(row)
        return kinds

    return _kept(_KINDS, (id(template), level), template, build)


def _read_rows(template: ReportTemplate, level: str | None) -> list[_Row]:
    out = []
    for form in template.forms:
        for ind in form.indicators:
            if ind.kind not in (Kind.COUNT, Kind.RATE):
                continue
            if level and ind.levels and level not in ind.levels:
                continue
            ctx = read_context(fold(ind.name))
            chain = [ind.name]
            parent = form.get(ind.parent) if ind.parent else None
            while parent is not None:
                chain.append(parent.name)
                parent = form.get(parent.parent) if parent.parent else None
            row_level = next((lv for n in chain if (lv := level_of(fold(n)))), None)
            noun = "%" if ind.kind is Kind.RATE else unit_noun(fold(ind.measure))
            if not noun or noun == "dong":
                continue
            out.append(
                _Row(
                    form,
                    ind,
                    noun,
                    _SAME_STAGE.get(ctx.stage or "", ctx.stage),
                    ctx.qualifiers,
                    row_level,
                    ctx.words - STOP_WORDS,
                )
            )
    return out


def _stage(fact: Fact) -> str | None:
    stage = fact.stage
    if stage is None and fact.parent is not None:
        stage = fact.parent.stage
    return _SAME_STAGE.get(stage or "", stage)


def _value(fact: Fact) -> Decimal | None:
    """The figure as the table would hold it ("trước hạn 256, đúng hạn 20" → 276 on time)."""
    siblings = fact.parent.parts if fact.parent else []
    if fact.stage == "on_time" and any(s.stage == "early" for s in siblings):
        return None  # strictly on time: the table has no such row
    if fact.stage == "early":
        on_time = [s for s in siblings if s.stage == "on_time"]
        return fact.value + on_time[0].value if len(on_time) == 1 else None
    return fact.value


def link_facts(
    facts: list[Fact],
    template: ReportTemplate,
    values: Mapping[tuple[str, str], Decimal],
    level: str | None,
) -> list[tuple[Fact, Decimal, list[Link]]]:
    """Each linkable figure with the value it states and its links, best first."""
    rows = _rows_by_kind(template, level)
    out = []
    for fact in facts:
        fig = fact.figure
        noun = "%" if fig.percent and fig.denominator is None else fact.noun
        value = _value(fact) if not fig.percent else fig.value
        if not noun or noun == "dong" or value is None or fig.denominator is not None:
            continue
        if fact.parent is not None and _stage(fact) is None:
            continue  # a category the table does not break down ("lĩnh vực đất đai 01 thủ tục")
        stage, words = _stage(fact), fact.context.words
        named_level = fact.context.level
        candidates = []
        for row in rows.get((noun, stage, fact.context.qualifiers), ()):
            if named_level and row.level and named_level != row.level:
                continue
            key = (row.form.code, row.indicator.code)
            if key not in values:
                continue
            overlap = len(row.words & words) / len(row.words) if row.words else GENERIC
            if overlap >= MIN_OVERLAP:
                candidates.append((overlap, row, values[key]))
        if not candidates:
            continue
        candidates.sort(key=lambda c: -c[0])
        share = 1.0 if len(candidates) == 1 else 0.8
        links = [Link(r.form, r.indicator, v, round(o * share, 2)) for o, r, v in candidates]
        out.append((fact, value, links))
    return out


def table_findings(linked: list[tuple[Fact, Decimal, list[Link]]]) -> list[Finding]:
    out = []
    for fact, value, links in linked:
        if any(link.value == value or fact.figure.matches(link.value) for link in links):
            continue
        best = links[0]
        sure = best.confidence >= CONFIDENT and not fact.figure.ambiguous
        ind = best.indicator
        where = f"{best.form.label or best.form.code}, chỉ tiêu {ind.stt.rstrip('.') or ind.code}"
        pct = "%" if fact.figure.percent else ""
        out.append(
            finding(
                "narrative-table-mismatch",
                Severity.ERROR if sure else Severity.WARNING,
                fact,
                f"nội dung ghi {format_number(value)}{pct} nhưng {where} «{ind.name}» là "
                f"{format_number(best.value)}{pct}"
                + ("" if sure else f" (liên kết chưa chắc chắn, độ tin cậy {best.confidence:.2f})"),
                {"narrative": value, "table": best.value, "confidence": best.confidence},
                codes=(ind.code,),
                labels=(ind.name,),
                form=best.form.code,
            )
        )
    return out


_GROUP_ROW = re.compile(r"^tong so (cong chuc|can bo|vien chuc) co mat")


def table_group_sizes(
    template: ReportTemplate, values: Mapping[tuple[str, str], Decimal]
) -> dict[str, Decimal]:
    """Group sizes the table states ("Tổng số công chức có mặt …" = 9)."""
    rows = _kept(
        _GROUPS,
        (id(template),),
        template,
        lambda: tuple(
            (m.group(1), form.code, ind.code)
            for form in template.forms
            for ind in form.indicators
            if (m := _GROUP_ROW.match(fold(ind.name)))
        ),
    )
    return {group: values[(form, code)] for group, form, code in rows if (form, code) in values}
