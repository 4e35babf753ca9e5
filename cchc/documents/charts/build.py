"""Charts made from the consolidation and comparison figures: the one place that decides
what a chart of a round shows, for the page and the Word report alike."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from cchc.core.consolidation import Consolidation
from cchc.core.templates import Kind
from cchc.documents.charts.spec import BAR, LATE, MISSING, ON_TIME, Chart, ChartKind, Series

__all__ = ["SUBMISSIONS", "bars", "submissions", "submissions_by_branch", "trend"]

SUBMISSIONS = "Tình hình gửi báo cáo"
Values = Sequence[tuple[str, Decimal | None]]


def _scale(kind: Kind) -> tuple[str, Decimal | None]:
    """A rate is written with `%` on a 0–100 scale; other figures on their own."""
    return ("%", Decimal(100)) if kind is Kind.RATE else ("", None)


def bars(title: str, values: Values, *, kind: Kind) -> Chart:
    """One bar per (label, value): units ranked, or each branch's rate."""
    suffix, maximum = _scale(kind)
    return Chart(
        ChartKind.BAR,
        title,
        tuple(label for label, _ in values),
        (Series(title, tuple(v for _, v in values), BAR),),
        suffix=suffix,
        maximum=maximum,
    )


def trend(title: str, points: Values, *, kind: Kind) -> Chart:
    """(period label, value) from the oldest period; None breaks the line."""
    chart = bars(title, points, kind=kind)
    return Chart(ChartKind.TREND, title, chart.labels, chart.series, suffix=chart.suffix)


def _completeness(labels: list[str], rows: list[tuple[int, int, int]]) -> Chart:
    columns = list(zip(*rows, strict=True)) if rows else [(), (), ()]
    return Chart(
        ChartKind.COMPLETENESS,
        SUBMISSIONS,
        tuple(labels),
        tuple(
            Series(name, tuple(Decimal(n) for n in counts), colour)
            for (name, colour), counts in zip(
                (("Đúng hạn", ON_TIME), ("Muộn", LATE), ("Chưa gửi", MISSING)),
                columns,
                strict=True,
            )
        ),
    )


def _counts(result: Consolidation) -> tuple[int, int, int]:
    return len(result.on_time), len(result.late), len(result.not_submitted)


def submissions(result: Consolidation) -> Chart:
    """The whole round in one stacked bar (unlabelled): sent on time, late, not yet."""
    return _completeness([""], [_counts(result)])


def submissions_by_branch(result: Consolidation, names: Mapping[str, str]) -> Chart:
    """One stacked bar per direct branch (a district and its communes, or a commune)."""
    labels, rows = [], []
    for branch, part in result.breakdown().items():
        size = len(part.expected)
        labels.append(names.get(branch, branch) + (f" ({size} đơn vị)" if size > 1 else ""))
        rows.append(_counts(part))
    return _completeness(labels, rows)
