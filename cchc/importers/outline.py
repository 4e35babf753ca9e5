"""Put the narrative of an imported report into the sections of a template's outline.

An office's old Word report follows the outline of its time, not always the
template's: headings renumbered (seed 002 numbers the parts of 2.3 as «3.1.»,
«3.2.»), retitled («PHƯƠNG HƯỚNG … 6 THÁNG CUỐI NĂM 2024» for «… KỲ TỚI»), or a
title that carries its text («V. KIẾN NGHỊ, ĐỀ XUẤT: Không có»). A part is matched
by its code when the titles agree well enough, else by its title alone among the
sections still free; what matches nothing is offered to a person to place or skip,
never guessed. Pure: no Django, the web's review screen and tests call it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from cchc.core.templates import ReportTemplate, Section
from cchc.core.text import fold
from cchc.importers.seed_text import NarrativeSection

__all__ = ["CODE_AND_TITLE", "TITLE_ONLY", "SectionMatch", "match_sections", "title_similarity"]

CODE_AND_TITLE = 60  # a part whose code is the section's needs only this title similarity
TITLE_ONLY = 85  # a part placed by its title alone needs this much
PREVIEW_CHARS = 280


@dataclass(frozen=True)
class SectionMatch:
    """One part of the file's narrative and where it goes (`section` None: nowhere yet)."""

    part: NarrativeSection
    text: str  # what would be saved: the part's text, with a title's own text first
    section: Section | None
    how: str  # "code", "title" or "" (not matched)
    score: float

    @property
    def heading(self) -> str:
        """The part's heading as printed in the file (`2.1. Cải cách thể chế`)."""
        if not self.part.code:
            return "Phần mở đầu (trước mục đầu tiên)"
        number = self.part.number.rstrip(".")
        return f"{number}. {self.part.title}"

    @property
    def preview(self) -> str:
        return preview(self.text)


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The start of a text on one line, cut at a word, for a review screen."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def title_similarity(a: str, b: str) -> float:
    """How alike two headings are (0–100), folded; word order and a trailing
    period («6 THÁNG CUỐI NĂM 2024» for «KỲ TỚI») weigh less than the words."""
    fa, fb = fold(a).strip(" .:"), fold(b).strip(" .:")
    if not fa or not fb:
        return 0.0
    return max(fuzz.ratio(fa, fb), fuzz.token_sort_ratio(fa, fb))


def _own_text(part: NarrativeSection, section: Section | None) -> tuple[str, str]:
    """A heading like «KIẾN NGHỊ, ĐỀ XUẤT: Không có»: the title before the colon, and
    the words after it, which are the section's text."""
    title, colon, rest = part.title.partition(":")
    if not colon or not rest.strip() or len(rest) > 200:
        return part.title, ""
    if section is not None and title_similarity(title, section.title) < title_similarity(
        part.title, section.title
    ):
        return part.title, ""
    return title.strip(), rest.strip()


def match_sections(
    narrative: list[NarrativeSection], template: ReportTemplate
) -> list[SectionMatch]:
    """Every part of `narrative` that has text, in the file's order, with its section.

    First by code (the same code, titles at least CODE_AND_TITLE alike), then by title
    alone (TITLE_ONLY) among the sections no part took; a section gets one part.
    """
    sections = template.all_sections()
    by_code = {s.code: s for s in sections}
    parts = [p for p in narrative if p.text.strip() or ":" in p.title]
    found: dict[int, tuple[Section, str, float]] = {}
    used: set[str] = set()
    for n, part in enumerate(parts):
        section = by_code.get(part.code) if part.code else None
        if section is None or section.code in used:
            continue
        title = _own_text(part, section)[0]
        score = title_similarity(title, section.title)
        if score >= CODE_AND_TITLE:
            found[n] = (section, "code", score)
            used.add(section.code)
    for n, part in enumerate(parts):
        if n in found or not part.code:
            continue
        title = _own_text(part, None)[0]
        scored = [
            (title_similarity(title, s.title), -i, s)
            for i, s in enumerate(sections)
            if s.code not in used
        ]
        best = max(scored, key=lambda x: (x[0], x[1]), default=None)
        if best is not None and best[0] >= TITLE_ONLY:
            found[n] = (best[2], "title", best[0])
            used.add(best[2].code)
    out: list[SectionMatch] = []
    for n, part in enumerate(parts):
        section, how, score = found.get(n, (None, "", 0.0))
        own = _own_text(part, section)[1]
        text = "\n\n".join(t for t in (own, part.text.strip()) if t)
        if text:
            out.append(SectionMatch(part, text, section, how, round(score, 1)))
    return out
