"""Section text cut into sentences, each with its line and offsets, and sentences
grouped the way a breakdown runs over them.

A breakdown often spans sentences: "… trong kỳ 1102 hồ sơ. Trong đó:" followed
by bullet lines, or "… là 20 đồng chí. Trong đó, cán bộ là 11 …". A *group*
is a lead sentence with the sentences that continue it, so a whole and its
parts are read together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from cchc.core.text import fold

__all__ = ["SectionText", "Sentence", "groups", "sentences_of"]

_END = re.compile(r"(?<=[.!?])\s+|(?<=:)\s+(?=[-+•*]\s)")
_BULLET = re.compile(r"^\s*[-+•*]")


@dataclass(frozen=True)
class SectionText:
    """The text of one outline section as the reader has it.

    `lines` gives the source line of each non-empty line of `text` (the text
    reader joins source paragraphs); without it, lines are counted in `text`.
    """

    code: str
    title: str
    text: str
    lines: tuple[int, ...] = ()
    line: int | None = None  # the heading's line


@dataclass(frozen=True)
class Sentence:
    section: SectionText
    text: str
    line: int | None
    start: int  # offsets in the section text
    end: int
    bullet: bool = False

    @property
    def folded(self) -> str:
        return fold(self.text)


def sentences_of(section: SectionText) -> list[Sentence]:
    """Every sentence of a section, a bullet line being a sentence of its own."""
    out: list[Sentence] = []
    offset, nonempty = 0, 0
    for number, raw in enumerate(section.text.split("\n"), start=1):
        start_of_line = offset
        offset += len(raw) + 1
        if not raw.strip():
            continue
        if section.lines:
            line = section.lines[nonempty] if nonempty < len(section.lines) else section.lines[-1]
        else:
            line = number if section.line is None else section.line + number
        nonempty += 1
        bullet = bool(_BULLET.match(raw))
        for a, b in _pieces(raw):
            piece = raw[a:b]
            if piece.strip():
                s = start_of_line + a
                out.append(Sentence(section, piece, line, s, s + len(piece), bullet))
            bullet = bool(_BULLET.match(raw[b:].lstrip()))
    return out


def _pieces(raw: str) -> list[tuple[int, int]]:
    """Spans of a line cut after `.`, `!`, `?` where the next word starts with a
    capital or a bullet ("… 1102 hồ sơ. Trong đó:"), never inside "TP. Huế"."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(raw):
        rest = raw[m.end() :]
        first = rest.lstrip(' -+•*“"(')[:1]
        if first.isupper() or _BULLET.match(rest):
            spans.append((start, m.start()))
            start = m.end()
    spans.append((start, len(raw)))
    return spans


def _continues(prev: Sentence, s: Sentence) -> bool:
    lead = prev.folded
    if s.bullet and (prev.text.rstrip().endswith(":") or lead.endswith("trong do")):
        return True
    return s.folded.startswith(("trong do", "bao gom", "gom "))


def groups(sentences: Iterable[Sentence]) -> list[list[Sentence]]:
    """Sentences grouped: a lead and what continues its breakdown."""
    out: list[list[Sentence]] = []
    lead: Sentence | None = None
    for s in sentences:
        if out and lead is not None and s.section is lead.section and _continues(lead, s):
            out[-1].append(s)
            if not s.bullet:
                lead = s
            continue
        out.append([s])
        lead = s
    return out
