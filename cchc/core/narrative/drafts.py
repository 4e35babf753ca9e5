"""«Gợi ý nội dung»: a section's text drafted from the report's own figures, for
the person to accept or edit — never saved by itself.

The sentences follow the reports' own style ("Trong kỳ, tổng số hồ sơ TTHC đã
giải quyết xong là 1.230 hồ sơ, số hồ sơ TTHC giải quyết đúng hạn là 1.226 hồ
sơ (đạt 99,67%)"): one sentence per block of the form (`sections_map`), a
rate after its operands, a total before its parts ("trong đó"), a yes/no or
coded answer by its label. Rows the report's level does not fill, and rows
left empty, are left out. The narrative checks read these sentences back
without a finding (tested), so a draft never contradicts its own table.

For an upper unit, `draft_upper` puts the consolidated figures first, then what
each subordinate wrote in that section, attributed ("UBND xã An: …"), with
the sentences that state table figures left out: those figures are the
subordinate's own, and the consolidated ones above replace them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core.narrative.linking import link_facts
from cchc.core.narrative.sections_map import Block, section_blocks
from cchc.core.narrative.sentences import SectionText, groups, sentences_of
from cchc.core.narrative.statements import read_group
from cchc.core.numbers import format_number, format_percent
from cchc.core.templates import Indicator, Kind, ReportTemplate
from cchc.core.text import fold

__all__ = [
    "Figure",
    "SectionDraft",
    "Subordinate",
    "draft_numbers",
    "draft_own",
    "draft_upper",
]

Key = tuple[str, str]
_QUIET_UNITS = {"so luong", "%", ""}  # units not repeated after the figure


@dataclass(frozen=True)
class Figure:
    """A figure the draft used, shown beside it: the row and its value as written."""

    form: str
    code: str
    name: str
    shown: str


@dataclass(frozen=True)
class Subordinate:
    """A subordinate unit's text of one section, for the upper unit's draft."""

    unit: str
    text: str


@dataclass
class SectionDraft:
    code: str
    title: str
    sentences: list[str] = field(default_factory=list)
    gathered: list[tuple[str, str]] = field(default_factory=list)  # (unit, its kept text)
    figures: list[Figure] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The draft as the section text it proposes: the figures' paragraph, then
        one paragraph per subordinate."""
        paragraphs = [" ".join(self.sentences)] if self.sentences else []
        paragraphs += [f"{unit}: {text}" for unit, text in self.gathered]
        return "\n\n".join(paragraphs)


def draft_numbers(
    values: Mapping[Key, Decimal], computed: Mapping[Key, Decimal | None]
) -> dict[Key, Decimal]:
    """The figures a draft states: every value read, each rate as the core computes
    it from its operands (a typed rate that disagrees is not repeated)."""
    return {**values, **{k: v for k, v in computed.items() if v is not None}}


def _lower_first(name: str) -> str:
    """`Số hồ sơ` → `số hồ sơ`; `TTHC …`, `UBND …` stay as written."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _count(ind: Indicator, value: Decimal) -> str:
    unit = ind.measure.strip()
    shown = format_number(value)
    if fold(unit) in _QUIET_UNITS:
        return f"{shown}%" if unit == "%" else shown
    return f"{shown} {_lower_first(unit)}"


def _phrase(ind: Indicator, value: Decimal) -> str:
    """One row in running text: `số văn bản đã ban hành là 13 văn bản`."""
    name = _lower_first(ind.name.strip().rstrip("."))
    if ind.kind is Kind.RATE:
        return f"{name} đạt {format_percent(value)}"
    if ind.kind is Kind.CHOICE:
        label = ind.choices[int(value)]
        return f"{name}: {label[:1].lower()}{label[1:]}"
    return f"{name} là {_count(ind, value)}"


def _operands(block: Block) -> tuple[Indicator, Indicator] | None:
    """(numerator, denominator) of a rate `a / b * 100` among its parts."""
    formula = block.root.formula
    if block.root.kind is not Kind.RATE or formula is None or len(formula.refs) != 2:
        return None
    if "/" not in formula.source or any(r.form for r in formula.refs):
        return None
    parts = {p.code: p for p in block.parts}
    num, den = (parts.get(r.code) for r in formula.refs)
    return (num, den) if num is not None and den is not None else None


def _sentence(block: Block, numbers: Mapping[Key, Decimal], level: str | None) -> str:
    form = block.form.code

    def fills(ind: Indicator) -> bool:
        """A value to state: present, at the report's level, and not a bare zero count."""
        value = numbers.get((form, ind.code))
        if value is None or (level and ind.levels and level not in ind.levels):
            return False
        if ind.kind is Kind.CHOICE:  # an answer outside the list is the table's finding
            return value == value.to_integral() and int(value) in ind.choices
        return bool(value) or ind.kind is not Kind.COUNT

    if not fills(block.root) and not any(fills(p) for p in block.parts):
        return ""
    operands = _operands(block)
    if operands and all(fills(i) for i in operands) and numbers[(form, operands[1].code)]:
        num, den = operands
        rate = numbers[(form, num.code)] / numbers[(form, den.code)] * 100
        text = f"{_phrase(den, numbers[(form, den.code)])}, "
        text += f"{_phrase(num, numbers[(form, num.code)])} (đạt {format_percent(rate)})"
        rest = [p for p in block.parts if p not in operands and fills(p)]
        if rest:
            text += "; " + "; ".join(_phrase(p, numbers[(form, p.code)]) for p in rest)
        return text
    if not fills(block.root):
        return "; ".join(_phrase(p, numbers[(form, p.code)]) for p in block.parts if fills(p))
    text = _phrase(block.root, numbers[(form, block.root.code)])
    parts = [p for p in block.parts if fills(p)]
    if parts:
        joined = "; ".join(_phrase(p, numbers[(form, p.code)]) for p in parts)
        text += f", trong đó: {joined}" if block.root.kind is Kind.COUNT else f"; {joined}"
    return text


def _figures(block: Block, numbers: Mapping[Key, Decimal], level: str | None) -> list[Figure]:
    """The block's figures shown beside the draft: those of the report's level."""
    out = []
    for ind in (block.root, *block.parts):
        value = numbers.get((block.form.code, ind.code))
        if value is None or (level and ind.levels and level not in ind.levels):
            continue
        shown = format_percent(value) if ind.kind is Kind.RATE else _count(ind, value)
        if ind.kind is Kind.CHOICE:
            if value != value.to_integral() or int(value) not in ind.choices:
                continue
            shown = ind.choices[int(value)]
        out.append(Figure(block.form.code, ind.code, ind.name, shown))
    return out


def draft_own(
    template: ReportTemplate, numbers: Mapping[Key, Decimal], level: str | None = None
) -> dict[str, SectionDraft]:
    """Section code → its draft from the report's figures (`numbers`: every value
    read, rates as the core computes them), for the sections that have figures."""
    titles = {s.code: s.title for s in template.all_sections()}
    out: dict[str, SectionDraft] = {}
    for code, blocks in section_blocks(template).items():
        draft = SectionDraft(code, titles[code])
        for block in blocks:
            sentence = _sentence(block, numbers, level)
            if sentence:
                lead = "Trong kỳ, " if not draft.sentences else ""
                draft.sentences.append(
                    f"{lead}{sentence}." if lead else f"{_upper_first(sentence)}."
                )
                draft.figures += _figures(block, numbers, level)
        if draft.sentences:
            out[code] = draft
    return out


def _without_table_figures(text: str, template: ReportTemplate) -> str:
    """The text with the sentences that state a figure of the table left out —
    any row's, whether or not the upper report has a value for it yet."""
    rows = {(f.code, i.code): Decimal(0) for f in template.forms for i in f.indicators}
    section = SectionText("", "", text)
    stating: set[tuple[int, int]] = set()
    for group in groups(sentences_of(section)):
        facts = read_group(group)
        for fact, _, links in link_facts(facts, template, rows, None):
            if links:
                stating.add((fact.sentence.start, fact.sentence.end))
    kept, at = [], 0
    for start, end in sorted(stating):
        kept.append(text[at:start])
        at = end
    kept.append(text[at:])
    return " ".join(" ".join(kept).split())


def draft_upper(
    template: ReportTemplate,
    numbers: Mapping[Key, Decimal],
    texts: Mapping[str, Iterable[Subordinate]],
    level: str | None = None,
) -> dict[str, SectionDraft]:
    """Section code → the upper unit's draft: the consolidated figures' sentences
    (`numbers`) and, for each subordinate that wrote the section (`texts`), its
    text without the sentences stating table figures, attributed."""
    titles = {s.code: s.title for s in template.all_sections()}
    out = draft_own(template, numbers, level)
    for code, subordinates in texts.items():
        if code not in titles:
            continue
        for sub in subordinates:
            kept = _without_table_figures(sub.text, template)
            if kept:
                out.setdefault(code, SectionDraft(code, titles[code])).gathered.append(
                    (sub.unit, kept)
                )
    order = list(titles)
    return {code: out[code] for code in order if code in out}
