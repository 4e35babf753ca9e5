"""Which figures a narrative section speaks of: the forms and rows behind each
section of a template, found from their words (templates do not say it).

A section takes the form whose title shares most of its words ("Về cải cách
thể chế" → the form "… CẢI CÁCH THỂ CHẾ"), or its parent's; sections that look
ahead or judge (phương hướng, kiến nghị, đánh giá chung…) take none. Each
*block* of a form — a row with the rows that break it down (a rate and its
operands, a total and its parts) — goes to the one section of that form whose
own title shares most words with the block, else to the section the form was
found for. So every figure is drafted once, in the section that speaks of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cchc.core.templates import Form, Indicator, Kind, ReportTemplate, Section
from cchc.core.text import fold

__all__ = ["Block", "section_blocks"]

# Phrases every title carries: they say nothing about which part it is.
_COMMON = re.compile(
    r"\b(bieu mau|thong ke so lieu|bao cao|cai cach hanh chinh|cai cach|ket qua|cong tac"
    r"|thuc hien|tong hop|cap nhat)\b"
)
_EXPAND = {
    "tthc": "thu tuc hanh chinh",
    "cchc": "",
    "vbqppl": "van ban quy pham phap luat",
    "dvc": "dich vu cong",
    "pakn": "phan anh kien nghi",
}
_STOP = frozenset(
    re.findall(
        r"[a-z]+",
        "ve va cac cua trong tai theo so tong luong da duoc la co mot nhung voi cho den tu do "
        "nay ty le ubnd cap",
    )
)
_NO_FIGURES = (
    "phuong huong",
    "kien nghi, de xuat",
    "kien nghi de xuat",
    "danh gia chung",
    "kho khan",
    "ton tai",
    "tich cuc",
    "uu diem",
    "nhiem vu ky toi",
    "trong tam",
)
# A section whose title names one of these speaks only of rows that name it too
# ("số hóa hồ sơ" is not where the files resolved on time are told).
_TOPICS = ("so hoa", "phan anh", "danh gia chat luong", "tuyen truyen")
_FORM_SHARE = 0.5  # share of a form title's words a section title must have


@dataclass(frozen=True)
class Block:
    """A row with the rows that break it down, in the form's order."""

    form: Form
    root: Indicator
    parts: tuple[Indicator, ...]


def _words(text: str) -> frozenset[str]:
    folded = _COMMON.sub(" ", fold(text))
    words: list[str] = []
    for word in re.findall(r"[a-z0-9]+", folded):
        words += _EXPAND.get(word, word).split()
    return frozenset(w for w in words if w not in _STOP and not w.isdigit())


def _blocks(form: Form) -> list[Block]:
    """The form's blocks: every row not under a non-heading row starts one."""
    out: list[Block] = []
    for ind in form.indicators:
        if ind.kind is Kind.HEADING:
            continue
        parent = form.get(ind.parent) if ind.parent else None
        if parent is not None and parent.kind is not Kind.HEADING:
            continue
        parts = tuple(i for i in form.indicators if _under(form, i, ind.code))
        out.append(Block(form, ind, parts))
    return out


def _under(form: Form, ind: Indicator, code: str) -> bool:
    parent = ind.parent
    while parent:
        if parent == code:
            return True
        above = form.get(parent)
        parent = above.parent if above is not None else None
    return False


def _block_words(block: Block) -> frozenset[str]:
    heading = block.form.get(block.root.parent) if block.root.parent else None
    names = [block.root.name, *(p.name for p in block.parts)]
    if heading is not None:
        names.append(heading.name)
    return frozenset().union(*(_words(n) for n in names))


def _form_of_sections(template: ReportTemplate) -> dict[str, Form]:
    """Section code → the form it speaks of. Forms stand for the main areas, so a
    section of the first two outline levels is matched to one (most shared words,
    at least two or half the form's); deeper sections take their parent's."""
    titles = {f.code: _words(f.title) for f in template.forms}
    out: dict[str, Form] = {}

    def visit(section: Section, inherited: Form | None, score: tuple[int, float]) -> None:
        if any(p in fold(section.title) for p in _NO_FIGURES):
            return
        best, top = inherited, score
        if section.code.count(".") <= 1:
            words = _words(section.title)
            for form in template.forms:
                shared = len(words & titles[form.code])
                share = shared / len(titles[form.code]) if titles[form.code] else 0.0
                if (shared >= 2 or share >= _FORM_SHARE) and (shared, share) > top:
                    best, top = form, (shared, share)
        if best is not None:
            out[section.code] = best
        for item in section.items:
            visit(item, best, top)  # a subsection changes form only on a closer match

    for section in template.sections:
        visit(section, None, (0, 0.0))
    return out


def _figure_sections(template: ReportTemplate) -> list[str]:
    """Codes of the sections that report results (not plans, judgements or requests)."""
    out: list[str] = []

    def visit(section: Section) -> None:
        if any(p in fold(section.title) for p in _NO_FIGURES):
            return
        out.append(section.code)
        for item in section.items:
            visit(item)

    for section in template.sections:
        visit(section)
    return out


def section_blocks(template: ReportTemplate) -> dict[str, list[Block]]:
    """Section code → the blocks drafted in it, in the form's order. A block of a
    form no section matched goes to the result section sharing most words with
    it, or to none."""
    forms = _form_of_sections(template)
    sections = {s.code: s for s in template.all_sections()}
    order = list(sections)
    out: dict[str, list[Block]] = {}
    for form in template.forms:
        mine = [code for code, f in forms.items() if f.code == form.code]
        top = min(mine, key=lambda c: (c.count("."), order.index(c))) if mine else None
        candidates = mine or _figure_sections(template)
        form_words = _words(form.title)
        own = {c: _words(sections[c].title) - form_words for c in candidates}
        topics = {c: {t for t in _TOPICS if t in fold(sections[c].title)} for c in candidates}
        for block in _blocks(form):
            words = _block_words(block) - form_words
            names = fold(" ".join(i.name for i in (block.root, *block.parts)))
            scored = [
                (len(words & own[c]), len(words & own[c]) / (len(own[c]) or 1), c.count("."), c)
                for c in candidates
                if all(t in names for t in topics[c])
            ]
            if not scored:
                continue
            best = max(scored, key=lambda s: s[:3])  # most words, then most of its own
            target = best[3] if best[0] > 0 else top
            if target is not None:
                out.setdefault(target, []).append(block)
    return {code: out[code] for code in order if code in out}
