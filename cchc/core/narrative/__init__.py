"""The narrative is data too: read every figure of the section texts, link it to
the table, and check it as a careful reader does.

`check_narrative` is the one entry point, shared by `cchc validate` (text and
Word reports, and reports with no table at all) and the web's section editor
and report page. Its findings are `cchc.core.validation.Finding`s whose
`values` carry the section code, the sentence and its offsets in the section
text, so a page can highlight the sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from cchc.core.narrative.checks import breakdown_findings, flow_findings, rate_findings
from cchc.core.narrative.consistency import group_findings, level_findings, period_findings
from cchc.core.narrative.linking import Link, link_facts, table_findings, table_group_sizes
from cchc.core.narrative.sentences import SectionText, Sentence, groups, sentences_of
from cchc.core.narrative.statements import Fact, read_group
from cchc.core.periods import Period, PeriodError
from cchc.core.report_content import NarrativePart, ReportContent
from cchc.core.templates import ReportTemplate
from cchc.core.text import fold
from cchc.core.validation import Finding

__all__ = [
    "Fact",
    "Link",
    "NarrativeResult",
    "SectionText",
    "check_narrative",
    "check_report_narrative",
    "report_level",
    "sections_of",
]


@dataclass
class NarrativeResult:
    findings: list[Finding]
    facts: list[Fact]
    links: list[tuple[Fact, Decimal, list[Link]]] = field(default_factory=list)


def report_level(unit: str) -> str | None:
    """The level a reporting unit fills (`UBND xã Hương Sơn` → `xa`), or None."""
    words = fold(unit).split()
    for word, level in (("xa", "xa"), ("phuong", "xa"), ("huyen", "huyen"), ("tinh", "tinh")):
        if word in words[:3]:
            return level
    return "tinh" if words[:1] == ["so"] else None


@dataclass(frozen=True)
class _TextReading:
    """What the texts say on their own, before any figure is compared with the table."""

    facts: tuple[Fact, ...]
    findings: tuple[Finding, ...]


@lru_cache(maxsize=32)
def _read_texts(
    sections: tuple[SectionText, ...], period: Period | None, level: str | None
) -> _TextReading:
    """Read once per distinct text: saving figures does not change the texts, yet every
    save through the API answers with the narrative findings, and reading the
    sentences is most of their cost. The facts are not changed once read."""
    sentences: list[Sentence] = []
    for section in sections:
        sentences.extend(sentences_of(section))
    facts: list[Fact] = []
    findings: list[Finding] = []
    for group in groups(sentences):
        group_facts = read_group(group)
        facts.extend(group_facts)
        findings += breakdown_findings(group_facts)
        findings += flow_findings(group_facts)
        findings += rate_findings(group_facts)
    titles = [Sentence(s, s.title, s.line, -1, -1) for s in sections if s.title]
    findings += period_findings(titles + sentences, period)
    findings += level_findings(facts, level)
    return _TextReading(tuple(facts), tuple(findings))


def check_narrative(
    sections: Iterable[SectionText],
    *,
    period: Period | None = None,
    level: str | None = None,
    template: ReportTemplate | None = None,
    values: Mapping[tuple[str, str], Decimal] | None = None,
) -> NarrativeResult:
    """Every narrative finding of a report, in the order of its text."""
    read = _read_texts(tuple(sections), period, level)
    facts, findings = list(read.facts), list(read.findings)
    links: list[tuple[Fact, Decimal, list[Link]]] = []
    sizes: dict[str, Decimal] = {}
    if template is not None and values:
        links = link_facts(facts, template, values, level)
        findings += table_findings(links)
        sizes = table_group_sizes(template, values)
    findings += group_findings(facts, sizes)
    findings.sort(key=lambda f: (f.line or 0, f.values.get("start", 0)))
    return NarrativeResult(findings=findings, facts=facts, links=links)


def sections_of(parts: Iterable[NarrativePart]) -> list[SectionText]:
    """A report's narrative parts as the texts the checks read."""
    return [SectionText(p.code, p.title, p.text, tuple(p.lines), p.line) for p in parts]


def check_report_narrative(
    content: ReportContent,
    template: ReportTemplate | None = None,
    values: Mapping[tuple[str, str], Decimal] | None = None,
) -> NarrativeResult:
    """The narrative findings of a whole report: its period and level from the report itself."""
    try:
        period = Period.from_key(content.period) if content.period else None
    except PeriodError:
        period = None
    return check_narrative(
        sections_of(content.narrative),
        period=period,
        level=report_level(content.unit),
        template=template,
        values=values,
    )
