"""The checks a careful reader makes on the figures of a text, without the table:
parts against their whole, a rate against its own parts, a rate above 100 %,
the files received against those resolved and pending.

Every finding quotes its sentence and gives its line; a breakdown whose
parts may be partial ("trong đó") is only held to "not more than the whole".
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cchc.core.narrative.lexicon import LEAVES
from cchc.core.narrative.sentences import Sentence
from cchc.core.narrative.statements import Fact
from cchc.core.numbers import decimals_of, format_number
from cchc.core.templates import Severity
from cchc.core.validation import Finding

__all__ = ["breakdown_findings", "finding", "flow_findings", "rate_findings"]

_QUOTE_MAX = 300
_NOUN_FAMILY = {"ho so": "ho so", "thu tuc": "ho so"}  # "1102 hồ sơ. Trong đó: … 1102 thủ tục"
# Which way a qualifier cuts a whole: parts cut two ways at once may overlap.
_DIMENSION = {
    "truc tuyen": "kenh",
    "muc do 2": "kenh",
    "muc do 3": "kenh",
    "muc do 4": "kenh",
    "truc tiep": "kenh",
    "buu chinh": "kenh",
    "toan trinh": "dich vu",
    "mot phan": "dich vu",
    "dat dai": "linh vuc",
    "xay dung": "linh vuc",
    "lien thong": "lien thong",
}
_GROWTH = re.compile(
    r"(?<![a-z])(so voi|tang|vuot|du toan|cung ky|ke hoach|giam|chi tieu)(?![a-z])"
)


def quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1].rstrip() + "…"


def finding(
    rule: str,
    severity: Severity,
    at: Fact | Sentence,
    what: str,
    values: dict[str, Any] | None = None,
    codes: tuple[str, ...] = (),
    labels: tuple[str, ...] = (),
    form: str = "",
) -> Finding:
    """A narrative finding: where (section, line), the sentence quoted, then what is wrong."""
    s = at.sentence if isinstance(at, Fact) else at
    section = s.section
    where = f"Mục {section.code} «{section.title}»" if section.code else "Phần mở đầu"
    return Finding(
        rule,
        severity,
        f"{where}: «{quote(s.text)}» — {what}.",
        form=form,
        codes=codes,
        labels=labels,
        values={
            "section": section.code,
            "sentence": quote(s.text),
            "start": s.start,
            "end": s.end,
            **(values or {}),
        },
        line=s.line,
    )


def _n(v: Decimal) -> str:
    return format_number(v)


def _same_noun(a: Fact, b: Fact) -> bool:
    if not a.noun or not b.noun:
        return True
    return _NOUN_FAMILY.get(a.noun, a.noun) == _NOUN_FAMILY.get(b.noun, b.noun)


def _leaves(part: Fact, whole: Fact, siblings: list[Fact]) -> frozenset[str] | None:
    if part.stage is None or whole.stage is None:
        return None
    p, w = LEAVES.get(part.stage), LEAVES.get(whole.stage)
    if p is None or w is None:
        return None
    if part.stage == "on_time" and any(s.stage == "early" for s in siblings):
        p = frozenset("O")  # "trước hạn …, đúng hạn …": on time means exactly on time here
    return p & w


def is_exhaustive(whole: Fact, parts: list[Fact]) -> bool:
    """Parts that cover their whole exactly: on time + late = resolved, and the like."""
    seen: set[str] = set()
    for part in parts:
        leaves = _leaves(part, whole, parts)
        if not leaves or leaves & seen:
            return False
        seen |= leaves
    return whole.stage is not None and seen == LEAVES.get(whole.stage)


def breakdown_findings(facts: list[Fact]) -> list[Finding]:
    out: list[Finding] = []
    for whole in facts:
        parts = [p for p in whole.parts if not p.figure.percent and _same_noun(p, whole)]
        if len(parts) < 2 or len(parts) != len([p for p in whole.parts if not p.figure.percent]):
            continue
        if any(p.figure.ambiguous for p in parts) or whole.figure.ambiguous:
            continue
        staged = [p.stage is not None for p in parts]
        if any(staged) and not all(staged):
            continue  # parts along different dimensions (online, on time…): no sum to check
        total = sum((p.value for p in parts), Decimal(0))
        shown = " + ".join(_n(p.value) for p in parts)
        values = {"whole": whole.value, "parts": [p.value for p in parts], "sum": total}
        if is_exhaustive(whole, parts):
            if total != whole.value:
                out.append(
                    finding(
                        "narrative-parts-sum",
                        Severity.ERROR,
                        whole,
                        f"các phần {shown} = {_n(total)}, không bằng tổng {_n(whole.value)} "
                        "nêu cùng câu (các phần này phải cộng đúng bằng tổng)",
                        values,
                    )
                )
        elif total > whole.value:
            cuts = {_DIMENSION[q] for p in parts for q in p.context.qualifiers if q in _DIMENSION}
            overlap = "" if len(cuts) <= 1 else " (chia theo nhiều cách, có thể trùng nhau)"
            out.append(
                finding(
                    "narrative-parts-exceed",
                    Severity.ERROR if len(cuts) <= 1 else Severity.WARNING,
                    whole,
                    f"các phần {shown} = {_n(total)}, lớn hơn tổng {_n(whole.value)}{overlap}",
                    values,
                )
            )
        elif total < whole.value and whole.how in ("gom", "paren") and not any(staged):
            out.append(
                finding(
                    "narrative-parts-fewer",
                    Severity.WARNING,
                    whole,
                    f"liệt kê {shown} = {_n(total)}, ít hơn tổng {_n(whole.value)}; "
                    "kiểm tra còn thiếu phần nào",
                    values,
                )
            )
    return out


def _unique(facts: list[Fact], stage: str) -> Fact | None:
    found = [
        f
        for f in facts
        if f.stage == stage
        and not f.figure.percent
        and f.noun in ("ho so", "")
        and not f.context.qualifiers
        and not f.figure.ambiguous
    ]
    values = {f.value for f in found}
    return found[0] if len(values) == 1 else None


def flow_findings(facts: list[Fact]) -> list[Finding]:
    """Files received = resolved + still pending, when a group states all three."""
    received, resolved, pending = (_unique(facts, s) for s in ("received", "resolved", "pending"))
    if not (received and resolved and pending):
        return []
    if resolved.parent is received and pending.parent is received:
        return []  # the breakdown check has said it
    total = resolved.value + pending.value
    if total == received.value:
        return []
    return [
        finding(
            "narrative-flow",
            Severity.ERROR,
            received,
            f"đã tiếp nhận {_n(received.value)} hồ sơ nhưng đã giải quyết {_n(resolved.value)} "
            f"+ đang giải quyết {_n(pending.value)} = {_n(total)}",
            {"received": received.value, "resolved": resolved.value, "pending": pending.value},
        )
    ]


def _bases(fact: Fact, facts: list[Fact]) -> list[tuple[Decimal, Decimal, str]]:
    """(numerator, denominator, how) pairs the rate of `fact` may be computed from."""
    fig = fact.figure
    if fig.denominator is not None:
        return [(fig.value, fig.denominator, f"{_n(fig.value)}/{_n(fig.denominator)}")]
    out = []
    if fact.parent is not None and not fact.parent.figure.percent:
        out.append((fact.value, fact.parent.value, f"{_n(fact.value)}/{_n(fact.parent.value)}"))
        received = _unique(facts, "received")
        if received is not None and received is not fact.parent:
            out.append((fact.value, received.value, f"{_n(fact.value)}/{_n(received.value)}"))
    return out


def rate_findings(facts: list[Fact]) -> list[Finding]:
    out: list[Finding] = []
    for fact in facts:
        fig = fact.figure
        if fig.percent and fig.value > 100 and not _GROWTH.search(f"{fact.label} {fact.after}"):
            sure = fact.rate_of is not None or "ty le" in fact.label
            out.append(
                finding(
                    "narrative-rate-over-100",
                    Severity.ERROR if sure else Severity.WARNING,
                    fact,
                    f"tỷ lệ {_n(fig.value)}% vượt quá 100%",
                    {"rate": fig.value},
                )
            )
        if fact.rate is None or fact.figure.ambiguous:
            continue
        rate = fact.rate.value
        bases = [b for b in _bases(fact, facts) if b[1] != 0]
        if not bases:
            continue
        places = decimals_of(rate)
        step = Decimal(1).scaleb(-places)
        results = []
        for num, den, how in bases:
            computed = num / den * 100
            rounded = computed.quantize(step, rounding=ROUND_HALF_UP)
            results.append((abs(rounded - rate), computed, rounded, how))
        best = min(results, key=lambda r: r[0])
        diff, computed, rounded, how = best
        if diff == 0:
            continue
        values = {"rate": rate, "computed": computed.quantize(Decimal("0.0001"))}
        if abs(computed - rate) < step:
            out.append(
                finding(
                    "narrative-rate-rounding",
                    Severity.WARNING,
                    fact.rate,
                    f"tỷ lệ ghi {_n(rate)}%, tính từ {how} được "
                    f"{format_number(computed, places + 2)}%, làm tròn đúng là {_n(rounded)}%",
                    values,
                )
            )
        else:
            out.append(
                finding(
                    "narrative-rate-mismatch",
                    Severity.ERROR,
                    fact.rate,
                    f"tỷ lệ ghi {_n(rate)}% nhưng tính từ {how} được "
                    f"{format_number(computed, places + 2)}%",
                    values,
                )
            )
    return out
