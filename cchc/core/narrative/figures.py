"""Figures in Vietnamese prose: `12.480 hồ sơ`, `97,3%`, `01 cuộc`, `415/1.203`, `3,2 nghìn`.

Each number is read by `cchc.core.numbers.parse_number`; this module only
finds where numbers are in a sentence and which of them are figures at all.
Dates, document symbols (`85/KH-UBND`, `34/2020/NĐ-CP`), years, the "6" of
"6 tháng", the "3" of "mức độ 3", list numbering and slogans in quotes
(“4 tăng, 2 giảm, 3 không”) are masked first, keeping every offset, so that
what is left is what the report counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from cchc.core.narrative.lexicon import noun_at
from cchc.core.numbers import NumberError, parse_number
from cchc.core.text import fold

__all__ = ["Figure", "read_figures"]

_MASK = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
            r"“[^”]*”|\"[^\"]*\"",  # quoted slogans and titles
            r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)",  # dates
            r"\bngày\s+\d{1,2}(?:\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?)?",
            r"\b(?:từ|đến)\s+\d{1,2}/\d{1,2}\b",
            r"\btháng\s+\d{1,2}(?:\s*/\s*\d{4})?",
            r"\b(?:năm|giai đoạn|nhiệm kỳ)\s+\d{4}(?:\s*[-–]\s*\d{4})?",
            r"(?<!\d)\d{4}\s*[-–]\s*\d{4}(?!\d)",
            r"(?<![\d/])\d+(?:\s*/\s*\d+)*+\s*/\s*[A-ZĐa-zđ][\w.-]*",  # 85/KH-UBND, 34/2020/NĐ-CP
            r"\d+\s*-\s*[A-ZĐ]+[\w/.-]*",  # 147-KH/HU
            r"\b(?:ISO|TCVN)[\s\d:.]*",
            r"\bmức\s+độ\s+\d(?:\s*(?:,|và|hoặc)\s*\d(?!\d))*",  # "mức độ 3 và 4"
            r"\b(?:phụ lục|biểu mẫu|biểu|mục|phần|điều|khoản|điểm|chương|quý|thứ|lớp)\s+\d+",
            r"\b(?:nghị định|quyết định|thông tư|chỉ thị|công văn|nghị quyết|luật)\s+(?:số\s+)?\d+",
            r"(?<![\w.,])\d+\s+(?:tháng|giờ|phút|ngày|tuần|năm|cấp|thôn|tổ)(?!\w)",
            r"^\s*[-+*•]*\s*\d+(?:\.\d+)*[.)]\s",  # list numbering at the start of a line
            r"\d+:\d+",
        )
    ),
    re.IGNORECASE,
)
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_FIGURE = re.compile(
    rf"(?<![\w.,/:%-])(?P<a>{_NUMBER})(?:\s*/\s*(?P<b>{_NUMBER}))?(?![\w/]|[.,:]\d)"
    r"(?P<mult>\s*(?:nghìn|ngàn|triệu|tỷ(?!\s*lệ))(?!\w))?"
    r"(?P<pct>\s*%)?",
    re.IGNORECASE,
)
_MULTIPLIER = {"nghin": 1000, "ngan": 1000, "trieu": 1_000_000, "ty": 1_000_000_000}


@dataclass(frozen=True)
class Figure:
    """One figure of a sentence: its value, how it was written, what it counts."""

    value: Decimal
    raw: str
    start: int
    end: int
    percent: bool = False
    denominator: Decimal | None = None  # "15/19": value 15, denominator 19
    noun: str = ""
    noun_end: int = 0  # offset after the counted noun (after the number when there is none)
    ambiguous: bool = False
    readings: tuple[Decimal, ...] = ()

    def matches(self, other: Decimal) -> bool:
        """Whether the figure can be `other` (any of its readings, when ambiguous)."""
        return other == self.value or other in self.readings


def _masked(text: str) -> str:
    """The text with every non-figure number blanked out, offsets kept."""
    return _MASK.sub(lambda m: " " * len(m.group()), text)


def _read(token: str, count: bool) -> tuple[Decimal, bool, tuple[Decimal, ...]]:
    parsed = parse_number(token)
    readings = parsed.readings
    if parsed.ambiguous and count:
        whole = [r for r in readings if r == r.to_integral()]
        if len(whole) == 1:
            return whole[0], False, ()
    return parsed.value, parsed.ambiguous, readings


def read_figures(text: str) -> list[Figure]:
    """Every figure of one sentence, in order."""
    masked = _masked(text)
    out: list[Figure] = []
    for m in _FIGURE.finditer(masked):
        a, b = m.group("a"), m.group("b")
        if b is None and re.fullmatch(r"(?:19|20)\d\d", a):
            continue  # a year written on its own
        percent = bool(m.group("pct"))
        after = fold(text[m.end() : m.end() + 40])
        noun, words = ("", "") if percent and not b else noun_at(after)
        if percent:
            noun_after, words = noun_at(after)
            noun = noun or noun_after
        try:
            value, ambiguous, readings = _read(a, count=not percent and noun != "dong")
            denominator = _read(b, count=True)[0] if b else None
        except NumberError:
            continue
        if m.group("mult"):
            factor = _MULTIPLIER[fold(m.group("mult"))]
            value, readings = value * factor, tuple(r * factor for r in readings)
        noun_end = m.end() + _span_of(text[m.end() :], words)
        out.append(
            Figure(
                value=value,
                raw=text[m.start() : m.end()].strip(),
                start=m.start(),
                end=m.end(),
                percent=percent,
                denominator=denominator,
                noun=noun,
                noun_end=noun_end,
                ambiguous=ambiguous,
                readings=readings,
            )
        )
    return out


def _span_of(after: str, folded_words: str) -> int:
    """How many characters of `after` the folded words of a noun take."""
    if not folded_words:
        return 0
    n = len(folded_words.split())
    m = re.match(r"\s*" + r"\s+".join([r"[^\s,;.:()]+"] * n), after)
    return m.end() if m else 0
