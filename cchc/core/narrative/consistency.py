"""Wording that belongs to another report: a period or a level that is not the
report's own, and a count that contradicts the same group counted elsewhere.

Seed 002 is a 9-month report: its plan is for "3 tháng cuối năm", so a closing
sentence about "6 tháng cuối năm" was copied from a 6-month report. It lists
nine civil servants, so "7/8 đạt chuẩn" counts them against the wrong number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from cchc.core.narrative.checks import finding
from cchc.core.narrative.lexicon import group_word
from cchc.core.narrative.sentences import Sentence
from cchc.core.narrative.statements import Fact
from cchc.core.numbers import format_number
from cchc.core.periods import Period, PeriodType
from cchc.core.templates import Severity
from cchc.core.text import fold
from cchc.core.validation import Finding

__all__ = ["group_findings", "level_findings", "period_findings"]

_SPAN = re.compile(r"(?<![a-z0-9])(\d{1,2}|ba|sau|chin) thang (dau|cuoi) nam(?: (\d{4}))?")
_WORD_NUMBER = {"ba": 3, "sau": 6, "chin": 9}
_PLAN = re.compile(r"(?<![a-z])(phuong huong|nhiem vu|ke hoach|trong tam)(?![a-z])")
_COMPARE = re.compile(r"(?<![a-z])(so voi|cung ky|nam truoc)(?![a-z])")
_LEVEL_RANK = {"xa": 0, "huyen": 1, "tinh": 2}
_LEVEL_NAME = {"xa": "cấp xã", "huyen": "cấp huyện", "tinh": "cấp tỉnh"}
_GROUP_NOUNS = ("cong chuc", "can bo", "vien chuc")
_STRICT_LEVEL = re.compile(r"(?<![a-z])cap (tinh|huyen|xa)(?![a-z])")


def _span_label(months: int, first: int) -> str:
    return f"{months} tháng {'đầu' if first == 1 else 'cuối'} năm"


def period_findings(sentences: list[Sentence], period: Period | None) -> list[Finding]:
    """Spans "N tháng đầu/cuối năm" that are neither the report's period nor what remains of it."""
    if period is None or period.type is PeriodType.YEAR:
        return []
    own_span = (period.first_month, period.last_month)
    rest = (period.last_month + 1, 12) if period.last_month < 12 else None
    out: list[Finding] = []
    for s in sentences:
        text = s.folded
        for m in _SPAN.finditer(text):
            n = _WORD_NUMBER.get(m.group(1)) or int(m.group(1))
            year = int(m.group(3)) if m.group(3) else None
            if year not in (None, period.year) or not 1 <= n <= 12:
                continue
            span = (1, n) if m.group(2) == "dau" else (13 - n, 12)
            if span in (own_span, rest) or _COMPARE.search(text):
                continue
            plan = bool(_PLAN.search(text) or _PLAN.search(fold(s.section.title)))
            expected = (
                _span_label(rest[1] - rest[0] + 1, rest[0])
                if plan and rest
                else _span_label(own_span[1] - own_span[0] + 1, own_span[0])
            )
            written = _span_label(n, span[0])
            out.append(
                finding(
                    "narrative-period",
                    Severity.ERROR if plan and rest and span[1] == 12 else Severity.WARNING,
                    s,
                    f"ghi «{written}» nhưng đây là báo cáo {period.label}"
                    f"{f', phần còn lại của năm là «{expected}»' if plan and rest else ''}",
                    {"written": written, "period": period.key},
                )
            )
    return out


def level_findings(facts: list[Fact], level: str | None) -> list[Finding]:
    """A figure about a higher level ("cấp huyện") in a lower unit's report."""
    if level not in _LEVEL_RANK:
        return []
    out = []
    for fact in facts:
        m = _STRICT_LEVEL.search(fact.label)
        if not m or fact.figure.percent or fact.noun not in ("ho so", "thu tuc"):
            continue
        named = m.group(1)
        if _LEVEL_RANK[named] > _LEVEL_RANK[level]:
            out.append(
                finding(
                    "narrative-level",
                    Severity.WARNING,
                    fact,
                    f"số {format_number(fact.value)} nói về {_LEVEL_NAME[named]}, "
                    f"nhưng đây là báo cáo của {_LEVEL_NAME[level]}",
                    {"level": named},
                )
            )
    return out


def _group_sizes(facts: list[Fact]) -> dict[str, list[tuple[Decimal, str]]]:
    """Sizes of person groups the text states: "9 công chức (…)", "công chức là 09 đồng chí"."""
    sizes: dict[str, list[tuple[Decimal, str]]] = defaultdict(list)
    for f in facts:
        if f.figure.percent or f.figure.denominator is not None:
            continue
        words = fold(f.sentence.text[f.figure.end : f.figure.noun_end])
        qualified = f.after.startswith(("co ", "dat", "duoc", "dang", "tham gia", "nghi", "bi "))
        listed = f.sentence.text[f.figure.noun_end :].lstrip().startswith("(")
        if f.parent is None and words in _GROUP_NOUNS and not qualified and (listed or not f.after):
            quoted = f.sentence.text[f.figure.start : f.figure.noun_end].strip()
            sizes[words].append((f.value, f"«{quoted}»"))
            continue
        m = re.search(r"(?:^|\s)(cong chuc|can bo|vien chuc) la$", f.label.strip())
        if m:
            sizes[m.group(1)].append((f.value, f"«{group_label(m.group(1))} là {f.figure.raw}»"))
    return sizes


def group_findings(facts: list[Fact], table_sizes: Mapping[str, Decimal]) -> list[Finding]:
    """A ratio over a group ("Công chức: có 7/8 …") whose denominator is not the group's size."""
    ratios = [f for f in facts if f.figure.denominator is not None]
    if not ratios:
        return []
    sizes = _group_sizes(facts)
    out = []
    for f in ratios:
        den = f.figure.denominator
        group = group_word(f.label)
        if den is None or not group:
            continue
        stated = [v for v, _ in sizes.get(group, [])]
        sources = len(stated) + (group in table_sizes)
        known = set(stated) | ({table_sizes[group]} if group in table_sizes else set())
        if len(known) != 1 or den in known:
            continue
        size = known.pop()
        where = "; ".join(w for _, w in sizes.get(group, []))
        if group in table_sizes:
            where = f"{where}; bảng số liệu {format_number(size)}".strip("; ")
        out.append(
            finding(
                "narrative-count-conflict",
                Severity.ERROR if sources >= 2 else Severity.WARNING,
                f,
                f"tỷ lệ {f.figure.raw} tính trên {format_number(den)} {group_label(group)}, "
                f"nhưng báo cáo ghi có {format_number(size)} {group_label(group)} ({where})",
                {"denominator": den, "size": size},
            )
        )
    return out


def group_label(group: str) -> str:
    return {"cong chuc": "công chức", "can bo": "cán bộ", "vien chuc": "viên chức"}[group]
