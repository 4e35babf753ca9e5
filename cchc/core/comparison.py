"""Comparisons (so sánh): a unit across periods, units side by side, values to look at twice.

The rules, and why (DHIS2's data-quality tools are the reference, `reference/
peer-systems.md` §1.5):

- **Change** is against the previous period of the series, absolute and
  relative. A rate's change is in percentage points only: "78% → 80%" is +2
  points, and a "relative change of a rate" (+2,6%) reads as if it were the
  points. Each period's rate is the unit's own, recomputed from its numerator
  and denominator by the consolidation, never an average of rates.
- **Trend** is the sign of the Theil–Sen slope (the median of the slopes
  between every pair of periods), from three values on: one unusual period
  cannot turn it, unlike a least-squares line; two values are only a change.
- **Ranking** uses competition ranks (1, 2, 2, 4): tied units share a rank
  and the next rank is skipped, as league tables do. Units without a value
  come last, marked, without a rank. Whether higher is better comes from the
  caller, or else from the indicator's name: counts of late, overdue or
  unfinished work rank lower-is-better.
- **Far from the unit's own history**: the modified z-score of the value
  against the unit's earlier periods, 0,6745 × (x − median) / MAD
  (Iglewicz & Hoaglin), flagged above 3,5 and only with at least three earlier
  values. DHIS2 offers the same `MOD_Z_SCORE` beside the mean ± k·sd of its
  min-max check, and its docs warn the latter fails on skewed or short
  series: with a handful of periods one wild value inflates the standard
  deviation enough to hide itself (with 5 values no z-score can exceed 1,79),
  while the median and MAD do not move.
- **Far from its peers**: the same score against every unit of the round for
  that indicator (the unit included), from five units on.
- When MAD is 0 (more than half the values equal), the mean absolute
  deviation stands in, 1,253314 × MeanAD (the usual fallback); when every
  compared value is the same, a value is flagged when it differs from them by
  at least half of their value (any non-zero value against zeros).
- **Earlier versions** of a template join a unit's history through the
  indicators they share by name, unit and kind (`mapping_by_name`): the same
  row under a new form number is still the same figure; a name written twice
  is left out rather than guessed.

Pure: figures in, figures and Vietnamese sentences out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cchc.core.consolidation import VersionMapping
from cchc.core.figures import format_figure
from cchc.core.numbers import format_number
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate

__all__ = [
    "Flag",
    "Point",
    "RankRow",
    "Series",
    "Trend",
    "comparable",
    "higher_is_better",
    "history_flag",
    "indicator_label",
    "mapping_by_name",
    "modified_z",
    "peer_flags",
    "rank_units",
    "shown",
    "shown_change",
    "unit_series",
]

THRESHOLD = Decimal("3.5")
MIN_HISTORY = 3
MIN_PEERS = 5
_MAD_FACTOR = Decimal("0.6745")
_MEANAD_FACTOR = Decimal("1.253314")
_HUNDRED = Decimal(100)
_HALF = Decimal("0.5")

# Words that make "more" worse: overdue, late, unfinished, violations, complaints.
_WORSE_WORDS = (
    "quá hạn",
    "trễ hạn",
    "chậm",
    "chưa hoàn thành",
    "chưa giải quyết",
    "tồn đọng",
    "vi phạm",
    "sai sót",
    "khiếu nại",
    "tố cáo",
    "kỷ luật",
)


def comparable(ind: Indicator) -> bool:
    """Whether an indicator has a figure to compare: not a heading, coded answer or text."""
    return ind.kind in (Kind.COUNT, Kind.AMOUNT, Kind.RATE)


def indicator_label(form: Form, ind: Indicator) -> str:
    """`Biểu mẫu 1, chỉ tiêu 5.1 «Số phiếu khảo sát»`: where a figure is, as an office says it."""
    return f"{form.label or form.code}, chỉ tiêu {ind.code} «{ind.name}»"


def higher_is_better(ind: Indicator) -> bool:
    """Guessed from the name: more overdue files is worse, more of anything else better."""
    if not comparable(ind):
        raise ValueError(f"Chỉ tiêu {ind.code} «{ind.name}» không có số liệu để xếp hạng.")
    name = ind.name.casefold()
    return not any(word in name for word in _WORSE_WORDS)


def shown(value: Decimal | None, kind: Kind) -> str:
    """A figure as the consolidation page writes it: `1.234,5`, a rate `78,95%`; blank for None."""
    return format_figure(value, kind)


def shown_change(change: Decimal | None, kind: Kind) -> str:
    """`+2`, `-1,5`, a rate's `+2,50 điểm %` (percentage points); blank for None."""
    if change is None:
        return ""
    sign = "+" if change > 0 else ""
    if kind is Kind.RATE:
        return f"{sign}{format_number(change, 2)} điểm %"
    return sign + format_number(change, None if change == change.to_integral() else 2)


def mapping_by_name(source: ReportTemplate, target: ReportTemplate) -> VersionMapping:
    """Which figures of another template version are the target's: the same name, unit and
    kind. A name written twice in either template is left out: it cannot be told apart."""

    def index(t: ReportTemplate) -> dict[tuple[str, str, Kind], tuple[str, str] | None]:
        out: dict[tuple[str, str, Kind], tuple[str, str] | None] = {}
        for form in t.forms:
            for ind in form.indicators:
                if comparable(ind):
                    key = (_fold(ind.name), _fold(ind.measure), ind.kind)
                    out[key] = None if key in out else (form.code, ind.code)
        return out

    theirs, ours = index(source), index(target)
    return VersionMapping(
        target.id,
        {(source.id, *old): new for key, old in theirs.items() if old and (new := ours.get(key))},
    )


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


# ---------------------------------------------------------------- a unit across periods


class Trend(StrEnum):
    UP = "tăng"
    DOWN = "giảm"
    FLAT = "ổn định"
    UNKNOWN = "chưa đủ số liệu"


@dataclass(frozen=True)
class Point:
    """One period of a series: the value and its change from the period before."""

    period: str
    value: Decimal | None
    change: Decimal | None = None
    relative: Decimal | None = None  # per cent of the previous value; never for rates


@dataclass(frozen=True)
class Series:
    points: tuple[Point, ...]
    trend: Trend
    slope: Decimal | None = None  # Theil–Sen, per period


def unit_series(values: Sequence[tuple[str, Decimal | None]], *, kind: Kind) -> Series:
    """(period label, value) in period order → changes and the trend.

    A blank period breaks the change (nothing to compare with) but not the trend.
    """
    points: list[Point] = []
    previous: Decimal | None = None
    for period, value in values:
        change = relative = None
        if value is not None and previous is not None:
            change = value - previous
            if kind is not Kind.RATE and previous != 0:
                relative = change / previous * _HUNDRED
        points.append(Point(period, value, change, relative))
        previous = value
    known = [(i, v) for i, (_, v) in enumerate(values) if v is not None]
    if len(known) < 3:
        return Series(tuple(points), Trend.UNKNOWN)
    slopes = [(vj - vi) / (j - i) for n, (i, vi) in enumerate(known) for j, vj in known[n + 1 :]]
    slope = _median(slopes)
    trend = Trend.UP if slope > 0 else Trend.DOWN if slope < 0 else Trend.FLAT
    return Series(tuple(points), trend, slope)


# ---------------------------------------------------------------- units side by side


@dataclass(frozen=True)
class RankRow:
    unit: str
    value: Decimal | None
    rank: int | None  # None: no value, listed last
    tied: bool = False

    @property
    def missing(self) -> bool:
        return self.value is None


def rank_units(values: Mapping[str, Decimal | None], *, higher_is_better: bool) -> list[RankRow]:
    """Best first, competition ranks (1, 2, 2, 4); units without a value last, in given order."""
    known = [(u, v) for u, v in values.items() if v is not None]
    known.sort(key=lambda uv: -uv[1] if higher_is_better else uv[1])
    counts: dict[Decimal, int] = {}
    for _, v in known:
        counts[v] = counts.get(v, 0) + 1
    rows: list[RankRow] = []
    for position, (unit, value) in enumerate(known, 1):
        rank = rows[-1].rank if rows and rows[-1].value == value else position
        rows.append(RankRow(unit, value, rank, counts[value] > 1))
    rows += [RankRow(u, None, None) for u, v in values.items() if v is None]
    return rows


# ---------------------------------------------------------------- values to look at twice


def modified_z(value: Decimal, sample: Sequence[Decimal]) -> Decimal | None:
    """How far `value` lies from the sample's median in robust units; None when the
    sample does not vary at all."""
    median = _median(sample)
    deviations = [abs(x - median) for x in sample]
    mad = _median(deviations)
    if mad:
        return _MAD_FACTOR * (value - median) / mad
    mean_ad = sum(deviations, Decimal(0)) / len(deviations)
    if mean_ad:
        return (value - median) / (_MEANAD_FACTOR * mean_ad)
    return None


def _far(value: Decimal, sample: Sequence[Decimal], threshold: Decimal) -> Decimal | bool:
    """The score when it passes the threshold; True for a flat sample left; False otherwise."""
    z = modified_z(value, sample)
    if z is not None:
        return z if abs(z) > threshold else False
    median = sample[0]
    return abs(value - median) >= abs(median) * _HALF and value != median


@dataclass(frozen=True)
class Flag:
    """A value to look at twice, with the sentence that says why."""

    unit: str
    form: str
    code: str
    value: Decimal
    basis: str  # "history" (the unit's earlier periods) or "peers" (the round's other units)
    median: Decimal
    score: Decimal | None
    reason: str


def _why(z: Decimal | bool, median: Decimal, kind: Kind, threshold: Decimal) -> str:
    if isinstance(z, bool):
        return f"đều bằng {shown(median, kind)}"
    return (
        f"trung vị {shown(median, kind)}; điểm lệch chuẩn hóa "
        f"{format_number(z, 1)}, vượt ngưỡng ±{format_number(threshold)}"
    )


def history_flag(
    *,
    unit: str,
    unit_name: str,
    form: Form,
    ind: Indicator,
    value: Decimal,
    history: Sequence[tuple[str, Decimal]],
    threshold: Decimal = THRESHOLD,
    min_history: int = MIN_HISTORY,
) -> Flag | None:
    """A flag when `value` is far from the unit's own earlier (period label, value) pairs."""
    if len(history) < min_history:
        return None
    sample = [v for _, v in history]
    z = _far(value, sample, threshold)
    if z is False:
        return None
    median = _median(sample)
    side = "cao" if value > median else "thấp"
    earlier = "; ".join(f"{p}: {shown(v, ind.kind)}" for p, v in history)
    reason = (
        f"{unit_name}, {indicator_label(form, ind)}: {shown(value, ind.kind)} {side} bất "
        f"thường so với các kỳ trước của chính đơn vị ({earlier}; "
        f"{_why(z, median, ind.kind, threshold)})."
    )
    score = None if isinstance(z, bool) else z
    return Flag(unit, form.code, ind.code, value, "history", median, score, reason)


def peer_flags(
    *,
    form: Form,
    ind: Indicator,
    values: Mapping[str, Decimal],
    names: Mapping[str, str],
    threshold: Decimal = THRESHOLD,
    min_peers: int = MIN_PEERS,
) -> list[Flag]:
    """Flags for the units of a round whose value is far from all the round's units' values."""
    if len(values) < min_peers:
        return []
    sample = list(values.values())
    median = _median(sample)
    low, high = min(sample), max(sample)
    flags = []
    for unit, value in values.items():
        z = _far(value, sample, threshold)
        if z is False:
            continue
        side = "cao" if value > median else "thấp"
        reason = (
            f"{names.get(unit, unit)}, {indicator_label(form, ind)}: {shown(value, ind.kind)} "
            f"{side} bất thường so với {len(sample)} đơn vị cùng đợt (từ "
            f"{shown(low, ind.kind)} đến {shown(high, ind.kind)}; "
            f"{_why(z, median, ind.kind, threshold)})."
        )
        score = None if isinstance(z, bool) else z
        flags.append(Flag(unit, form.code, ind.code, value, "peers", median, score, reason))
    return flags
