"""The report's body in Word: the narrative under the template's outline.

Each narrative part is matched to its outline section (by code, then by folded
title); a part that matches nothing keeps its place after the part before it.
Headings and paragraphs follow Decree 30, Phụ lục I: `I. TITLE` upper bold,
`1. Title` bold, `a) Title` italic; body text 14 pt, justified, with a
first-line indent. Written in the markup of `docx_markup`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.shared import Mm

from cchc.core.report_content import NarrativePart, ReportContent
from cchc.core.templates import ReportTemplate, Section
from cchc.core.text import fold
from cchc.documents import docx_markup as ml
from cchc.documents.docx_markup import BODY_PT

__all__ = ["body", "paragraphs"]

FIRST_LINE_INDENT = Mm(12.7)
LINE_SPACING = 1.15  # within Decree 30's "single to 1.5 lines"

_ROMAN_RE = re.compile(r"^[IVXLC]+$")
_LEAD_IN = re.compile(r"^([a-zđ]\)\s+)([^:]{3,200}:)(.*)$", re.DOTALL)
_CLOSING_PUNCTUATION = (".", ":", ";", "!", "?", "…", ")", '"', "”", "/")


@dataclass
class _Plan:
    """Which narrative part goes under which outline section."""

    intro: list[NarrativePart] = field(default_factory=list)
    matched: dict[str, NarrativePart] = field(default_factory=dict)
    after: dict[str, list[NarrativePart]] = field(default_factory=dict)


def _plan(template: ReportTemplate, narrative: list[NarrativePart]) -> _Plan:
    """Match parts to sections by code, then by folded title; a part that matches
    nothing is kept where it was, after the part before it."""
    plan = _Plan()
    sections = template.all_sections()
    by_code = {s.code: s for s in sections}
    by_title: dict[str, Section] = {}
    for s in sections:
        by_title.setdefault(fold(s.title), s)
    previous = ""
    for n, part in enumerate(narrative):
        if n == 0 and not part.code and not part.title:
            plan.intro.append(part)
            continue
        section = by_code.get(part.code) if part.code else None
        if section is None or section.code in plan.matched:
            section = by_title.get(fold(part.title)) if part.title else None
        if section is not None and section.code not in plan.matched:
            plan.matched[section.code] = part
            previous = section.code
        else:
            plan.after.setdefault(previous, []).append(part)
    return plan


def _has_text(section: Section, plan: _Plan) -> bool:
    part = plan.matched.get(section.code)
    if (part and part.text.strip()) or plan.after.get(section.code):
        return True
    return any(_has_text(item, plan) for item in section.items)


def body(template: ReportTemplate, content: ReportContent) -> list[str]:
    plan = _plan(template, content.narrative)
    out: list[str] = []
    for part in plan.intro:
        out += _text(part.text)
    for part in plan.after.get("", []):
        out += _free_part(part)
    for section in template.sections:
        out += _section(section, 1, plan, covered=False)
    return out


def _section(section: Section, level: int, plan: _Plan, covered: bool) -> list[str]:
    """A section's heading and text, then its items. An empty section is left out
    when the text above it already covers it (a `1.` whose text runs through
    its own `a)`, `b)`…); with no text at all every heading stays, so a draft
    shows the whole outline."""
    part = plan.matched.get(section.code)
    text = part.text if part else ""
    out: list[str] = []
    if _has_text(section, plan) or not covered:
        title = part.title.strip() if part and part.title.strip() else section.title
        out.append(_heading(level, section.stt, title))
        out += _text(text)
    for extra in plan.after.get(section.code, []):
        out += _free_part(extra)
    for item in section.items:
        out += _section(item, level + 1, plan, covered or bool(text.strip()))
    return out


def _free_part(part: NarrativePart) -> list[str]:
    """A narrative part that matches no section of the outline, under its own heading."""
    out: list[str] = []
    if part.title.strip():
        number = part.number.strip()
        if number and not number.endswith((".", ")")):
            number += ")" if number.isalpha() and not _ROMAN_RE.match(number) else "."
        out.append(_heading(max(part.level, 1), number, part.title.strip()))
    return out + _text(part.text)


def _heading(level: int, stt: str, title: str) -> str:
    """Outline headings (Decree 30, Phụ lục I): `I. TITLE` upper bold, `1. Title`
    bold, `a) Title` with the title in italics, `- Title` in italics."""
    label = f"{stt} " if stt else ""
    if level == 1:
        head, colon, rest = title.partition(":")  # "KIẾN NGHỊ, ĐỀ XUẤT: Không có"
        runs = [ml.run(f"{label}{head.upper()}{colon}{rest}", BODY_PT, bold=True)]
    elif level == 2:
        runs = [ml.run(f"{label}{title}", BODY_PT, bold=True)]
    else:
        runs = [ml.run(label, BODY_PT) if label else "", ml.run(title, BODY_PT, italic=True)]
    return ml.par(
        runs,
        align="both",
        before=6 if level == 1 else 0,
        after=6,
        line=LINE_SPACING,
        first_line=FIRST_LINE_INDENT,
        keep_next=True,
        outline=min(level, 9) - 1,
    )


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a narrative text. A paragraph cut in two by a page break
    of the source (no closing punctuation, the next starting in lower case) is
    joined again."""
    out: list[str] = []
    for para in (x.strip() for x in text.replace("\r", "").split("\n")):
        if not para:
            continue
        if out and not out[-1].endswith(_CLOSING_PUNCTUATION) and para[0].islower():
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(para)
    return out


def _text(text: str) -> list[str]:
    """Body paragraphs: 14 pt, justified, 1,27 cm first-line indent, 6 pt after."""
    out = []
    for para in paragraphs(text):
        m = _LEAD_IN.match(para)
        if m:  # "a) Kết quả …: text" — the lead-in in italics, as offices print it
            runs = [
                ml.run(m.group(1), BODY_PT),
                ml.run(m.group(2), BODY_PT, italic=True),
                ml.run(m.group(3), BODY_PT),
            ]
        else:
            runs = [ml.run(para, BODY_PT)]
        out.append(
            ml.par(runs, align="both", after=6, line=LINE_SPACING, first_line=FIRST_LINE_INDENT)
        )
    return out
