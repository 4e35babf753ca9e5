"""A chart as SVG for the pages: drawn on the server, no script, prints and exports as it shows.

Every text of the chart (titles, unit names, periods) is escaped here, so the
page may insert the result as it is.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from cchc.documents.charts.spec import Chart, ChartKind

__all__ = ["svg"]

_MUTED = "#888"


def svg(chart: Chart, *, width: int = 640) -> str:
    """The chart as one `<svg>` element, `width` pixels wide."""
    if chart.kind is ChartKind.BAR:
        return _bars(chart, width)
    if chart.kind is ChartKind.COMPLETENESS:
        return _completeness(chart, width)
    return _trend(chart, width)


def _open(chart: Chart, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(chart.title)}" '
        'font-family="sans-serif" font-size="12">',
        f'<text x="0" y="14" font-weight="bold">{escape(chart.title)}</text>',
    ]


def _bars(chart: Chart, width: int) -> str:
    """Horizontal bars, one per label, the value written at the end (blank units say so)."""
    row, label_w = 22, 190
    height = 30 + row * len(chart.labels)
    top = (
        chart.maximum
        or max((v for v in chart.values if v is not None), default=Decimal(1))
        or Decimal(1)
    )
    colour = chart.series[0].colour if chart.series else ""
    parts = _open(chart, width, height)
    span = width - label_w - 80
    for n, (label, value) in enumerate(zip(chart.shown_labels, chart.values, strict=True)):
        y = 24 + n * row
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{label_w}" y="{y + 13}" fill="{_MUTED}">{chart.text(None)}</text>'
            )
            continue
        length = max(1, int(span * float(value / top))) if top else 1
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{length}" height="{row - 8}" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{label_w + length + 4}" y="{y + 13}">{escape(chart.text(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _completeness(chart: Chart, width: int) -> str:
    """Stacked bars: sent on time, late, not yet. The whole round alone (one unlabelled
    row) is a bare bar over the legend; branches get their names and a title."""
    bare = chart.labels == ("",)
    label_w, top, row = (0, 0, 0) if bare else (190, 24, 22)
    bar_h = 20 if bare else row - 8
    totals = [sum(int(s.values[n] or 0) for s in chart.series) for n in range(len(chart.labels))]
    scale = max([*totals, 1])
    legend_y = top + row * len(chart.labels) + (30 if bare else 6)
    height = legend_y + 18
    parts = (
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
            f'aria-label="{escape(chart.title)}" font-family="sans-serif" font-size="12">'
        ]
        if bare
        else _open(chart, width, height)
    )
    span = width - label_w
    for n, label in enumerate(chart.shown_labels):
        y = top + n * row
        if not bare:
            parts.append(
                f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
            )
        x = float(label_w)
        for s in chart.series:
            w = span * int(s.values[n] or 0) / (max(totals[n], 1) if bare else scale)
            if w:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y + (0 if bare else 2)}" width="{w:.1f}" '
                    f'height="{bar_h}" fill="{s.colour}"/>'
                )
            x += w
    legend = 0
    for s in chart.series:
        count = sum(int(v or 0) for v in s.values)
        parts.append(
            f'<rect x="{legend}" y="{legend_y}" width="10" height="10" fill="{s.colour}"/>'
            f'<text x="{legend + 14}" y="{legend_y + 9}">{escape(s.name)}: {count}</text>'
        )
        legend += 150
    parts.append("</svg>")
    return "".join(parts)


def _trend(chart: Chart, width: int) -> str:
    """A line over the periods, oldest left; a blank period breaks the line and says so.

    The axis starts at zero (or below, for a negative value) so that a small
    change does not look like a collapse.
    """
    # Side margins of half a period label, so the first and last labels are not cut.
    height, left, right, top, bottom = 210, 80, 80, 34, 160
    points = list(zip(chart.shown_labels, chart.values, strict=True))
    known = [v for v in chart.values if v is not None]
    low = min([Decimal(0), *known])
    high = max([*known, Decimal(100) if chart.suffix else Decimal(1)])
    span = (high - low) or Decimal(1)
    step = (width - left - right) / max(len(points) - 1, 1)

    def xy(n: int, value: Decimal) -> tuple[float, float]:
        x = left + step * n if len(points) > 1 else (left + width - right) / 2
        return x, bottom - (bottom - top) * float((value - low) / span)

    parts = _open(chart, width, height)
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="{_MUTED}"/>'
    )
    colour = chart.series[0].colour if chart.series else ""
    previous: tuple[float, float] | None = None
    for n, (label, value) in enumerate(points):
        x = xy(n, Decimal(0))[0]
        below = bottom + 18 + (14 * (n % 2) if step < 130 else 0)  # crowded: two rows of labels
        parts.append(f'<text x="{x:.1f}" y="{below}" text-anchor="middle">{escape(label)}</text>')
        if value is None:
            parts.append(
                f'<text x="{x:.1f}" y="{bottom - 6}" text-anchor="middle" fill="{_MUTED}">'
                f"{chart.text(None)}</text>"
            )
            previous = None
            continue
        x, y = xy(n, value)
        if previous:
            parts.append(
                f'<line x1="{previous[0]:.1f}" y1="{previous[1]:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle">'
            f"{escape(chart.text(value))}</text>"
        )
        previous = (x, y)
    parts.append("</svg>")
    return "".join(parts)
