"""What a group of sentences states: each figure with its context, which figure
is a whole and which are its parts, which percentage is whose rate.

"đã giải quyết 12.100, trong đó đúng hạn 11.950 (98,76%), quá hạn 160;
đang giải quyết 380" reads as: 12.100 (resolved) with parts 11.950 (on time,
rate 98,76%) and 160 (late); 380 (pending) is a sibling of 12.100, not a
part, because a pending file is not a kind of resolved one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.core.narrative.figures import Figure, read_figures
from cchc.core.narrative.lexicon import LEAVES, Context, read_context
from cchc.core.narrative.sentences import Sentence
from cchc.core.text import fold

__all__ = ["Fact", "read_group"]

_MARKER = re.compile(r"(?<![a-z])(trong do|bao gom|gom|cu the|chia ra)(?![a-z])")
_CLAUSE_END = re.compile(r"[,;.()]")
_WINDOW = 160  # characters of context read on each side of a figure
_RATE_WORDS = re.compile(r"(?<![a-z])(dat|chiem|bang|ty le|dat ty le)\s*$")


@dataclass(eq=False)
class Fact:
    """One figure read in its sentence."""

    figure: Figure
    sentence: Sentence
    context: Context
    label: str  # folded words before the figure, back to the previous figure
    after: str  # folded words after its noun, up to the next punctuation
    noun: str
    depth: int
    parent: Fact | None = None
    how: str = ""  # how this fact's parts are introduced: "trong do", "gom", "paren"
    parts: list[Fact] = field(default_factory=list)
    rate: Fact | None = None
    rate_of: Fact | None = None

    @property
    def stage(self) -> str | None:
        return self.context.stage

    @property
    def value(self) -> Decimal:
        return self.figure.value


def _depths(text: str) -> list[int]:
    """The parenthesis depth at each character: figures inside "( … )" belong to the one before."""
    depth, out = 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        out.append(depth)
        if ch == ")":
            depth = max(0, depth - 1)
    return out


def _facts_of(sentence: Sentence) -> list[Fact]:
    """Each figure of a sentence with the words before it (back to the previous figure)
    and after its noun (up to the next punctuation), both bounded."""
    text = sentence.text
    depths = _depths(text)
    out: list[Fact] = []
    boundary = 0
    figures = read_figures(text)
    for i, fig in enumerate(figures):
        label = fold(text[max(boundary, fig.start - _WINDOW) : fig.start])
        stop = figures[i + 1].start if i + 1 < len(figures) else len(text)
        tail = _CLAUSE_END.split(text[fig.noun_end : min(stop, fig.noun_end + _WINDOW)], 1)[0]
        after = fold(tail)
        ctx = read_context(label)
        if ctx.stage is None or not ctx.words:
            extra = read_context(f"{label} {after}")
            ctx = Context(
                ctx.stage or extra.stage,
                ctx.qualifiers | extra.qualifiers,
                ctx.level or extra.level,
                ctx.words | extra.words,
            )
        else:
            extra = read_context(after)
            ctx = Context(ctx.stage, ctx.qualifiers | extra.qualifiers, ctx.level, ctx.words)
        depth = depths[fig.start] if fig.start < len(depths) else 0
        out.append(Fact(fig, sentence, ctx, label, after, fig.noun, depth))
        boundary = max(fig.noun_end, fig.end)
    return out


def _is_child_stage(part: Fact, whole: Fact) -> bool:
    """Whether `part` can be a kind of `whole` (late of resolved: yes; pending of resolved: no)."""
    if part.stage is None or whole.stage is None:
        return True
    if part.stage == whole.stage:
        return False
    p, w = LEAVES.get(part.stage), LEAVES.get(whole.stage)
    if p is None or w is None:
        return True
    return bool(p & w) and (p & w) != w


def read_group(group: list[Sentence]) -> list[Fact]:
    """Every fact of a sentence group, with wholes, parts and rates linked."""
    facts: list[Fact] = []
    base: list[Fact] = []  # the facts that are not percentages
    open_whole: Fact | None = None  # the whole whose parts are being read (same depth)
    pending_marker = ""
    for sentence in group:
        sentence_facts = _facts_of(sentence)
        for fact in sentence_facts:
            prev = facts[-1] if facts else None
            if not fact.noun and prev is not None and not fact.figure.percent:
                fact.noun = (open_whole.noun if open_whole else "") or prev.noun
            if fact.figure.percent and not fact.figure.denominator:
                _attach_rate(fact, facts)
                facts.append(fact)
                continue
            marker = _MARKER.search(fact.label)
            if fact.depth > 0:
                owner = next(
                    (
                        f
                        for f in reversed(base)
                        if f.depth == fact.depth - 1 and f.sentence is fact.sentence
                    ),
                    None,
                )
                if owner is not None:
                    if not owner.how:
                        owner.how = "trong do" if marker else "paren"
                    fact.parent = owner
                    owner.parts.append(fact)
                    facts.append(fact)
                    base.append(fact)
                    continue
            if marker or pending_marker:
                whole = next((f for f in reversed(base) if f.depth == fact.depth), None)
                how = _how(marker.group(1)) if marker else pending_marker
                if whole is not None and whole.parent is None and whole is not open_whole:
                    open_whole, whole.how = whole, how
                elif whole is not None and open_whole is not None and whole in open_whole.parts:
                    open_whole, whole.how = whole, how  # a part broken down further
                pending_marker = ""
            if open_whole is not None and fact.depth == open_whole.depth:
                if _is_child_stage(fact, open_whole) and "tong" not in fact.label.split():
                    fact.parent = open_whole
                    open_whole.parts.append(fact)
                else:
                    open_whole = open_whole.parent if open_whole.parent else None
                    if open_whole is not None and _is_child_stage(fact, open_whole):
                        fact.parent = open_whole
                        open_whole.parts.append(fact)
                    else:
                        open_whole = None
            facts.append(fact)
            base.append(fact)
        tail_start = max((f.figure.noun_end for f in sentence_facts), default=0)
        tail = _MARKER.search(fold(sentence.text[tail_start:]))
        if tail:
            pending_marker = _how(tail.group(1))
    return facts


def _how(marker: str) -> str:
    """How a breakdown is introduced: "trong do" (may be partial), "gom" (lists all)…"""
    return "gom" if marker == "bao gom" else marker


def _attach_rate(rate: Fact, facts: list[Fact]) -> None:
    """A percentage right after a figure ("11.950 (98,76%)", "09/11 … đạt 81,8%") is its rate."""
    candidates = [
        f for f in facts if not f.figure.percent and f.sentence is rate.sentence and f.rate is None
    ]
    if not candidates:
        return
    last = candidates[-1]
    adjacent = rate.depth == last.depth + 1 and rate.label.strip() in ("", "dat")
    said = bool(_RATE_WORDS.search(rate.label)) and rate.depth >= last.depth
    if adjacent or said:
        last.rate, rate.rate_of = rate, last
