"""A chart as a PNG picture for Word, which shows no SVG: drawn with matplotlib's Agg.

Agg draws without a display and the `Figure` API keeps no global state, so web
workers can draw at once. DejaVu Sans ships with matplotlib and has every
Vietnamese letter (Times New Roman is not installable here). Matplotlib reads
`$…$` in a text as a formula (a unit named `$\\x$` would stop the drawing), so
every text is drawn as written. The picture has a fixed size, the text width of
the page by a height that grows with the rows.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal
from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from cchc.core.numbers import format_number
from cchc.documents.charts.spec import Chart, ChartKind, short

__all__ = ["DPI", "WIDTH_INCHES", "figure", "png"]

FONT = "DejaVu Sans"
DPI = 150
WIDTH_INCHES = 6.3  # the text width of an A4 page in the Decree 30 margins (165 mm)
TREND_INCHES = 2.6
_TITLE_CHARS = 72  # of 11-point DejaVu Sans in the picture's width


def height_inches(chart: Chart) -> float:
    """Bars get a third of an inch each; a trend has its one height."""
    if chart.kind is ChartKind.TREND:
        return TREND_INCHES
    return 0.9 + 0.32 * max(len(chart.labels), 1)


def png(chart: Chart) -> bytes:
    """The picture's bytes, `WIDTH_INCHES` × `height_inches` at `DPI`."""
    out = BytesIO()
    figure(chart).savefig(out, format="png")
    return out.getvalue()


def figure(chart: Chart) -> Figure:
    """The drawn figure, before it is saved: its texts are the chart's."""
    fig = Figure(figsize=(WIDTH_INCHES, height_inches(chart)), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if chart.kind is ChartKind.BAR:
        _bars(ax, chart)
    elif chart.kind is ChartKind.COMPLETENESS:
        _completeness(ax, chart)
    else:
        _trend(ax, chart)
    # Over the whole width, in lines that fit it: the picture keeps its size.
    title = textwrap.fill(short(chart.title, 140), _TITLE_CHARS)
    fig.suptitle(title, x=0.01, ha="left", fontfamily=FONT, fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for label in (*ax.get_yticklabels(), *ax.get_xticklabels()):
        label.set_fontfamily(FONT)
        label.set_fontsize(8)
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    return fig


def _completeness(ax: Axes, chart: Chart) -> None:
    """Stacked horizontal bars, first label on top: units sent on time, late, not yet."""
    labels = list(chart.shown_labels)[::-1]
    left = [0] * len(labels)
    for s in chart.series:
        widths = [int(v or 0) for v in s.values][::-1]
        ax.barh(labels, widths, left=left, color=s.colour, label=s.name)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_xlabel("Số đơn vị", fontfamily=FONT, fontsize=9)
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # MaxNLocator
    ax.legend(
        prop={"family": FONT, "size": 8},
        ncols=3,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
    )


def _bars(ax: Axes, chart: Chart) -> None:
    """One bar per label, first on top, its value written at the end; a label without
    figures says so instead of showing an empty bar as zero."""
    labels = list(chart.shown_labels)[::-1]
    values = list(chart.values)[::-1]
    known = [float(v) for v in values if v is not None]
    top = float(chart.maximum) if chart.maximum else max([*known, 1.0])
    colour = chart.series[0].colour if chart.series else None
    ax.barh(labels, [float(v) if v is not None else 0 for v in values], color=colour)
    for y, v in enumerate(values):
        x = top / 100 if v is None else float(v) + top / 100
        ax.text(x, y, chart.text(v), va="center", fontfamily=FONT, fontsize=8, color="#555")
    ax.set_xlim(0, top * 1.15)
    ticks = [top * n / 4 for n in range(5)]
    ax.set_xticks(ticks, [_tick(Decimal(str(t)), chart.suffix) for t in ticks])


def _tick(value: Decimal, suffix: str) -> str:
    return format_number(value.normalize(), None) + suffix


def _trend(ax: Axes, chart: Chart) -> None:
    """A line over the periods, oldest left, each value written above its point; a period
    without figures breaks the line rather than dropping to zero."""
    points = list(zip(chart.shown_labels, chart.values, strict=True))
    xs = list(range(len(points)))
    ys = [float(v) if v is not None else float("nan") for _, v in points]
    colour = chart.series[0].colour if chart.series else None
    ax.plot(xs, ys, color=colour, marker="o", linewidth=2)
    for x, (_, v) in zip(xs, points, strict=True):
        if v is None:
            ax.text(x, 0, chart.text(v), ha="center", va="bottom", fontsize=8, color="#555")
        else:
            ax.annotate(
                chart.text(v),
                (x, float(v)),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontfamily=FONT,
                fontsize=8,
            )
    known = [float(v) for _, v in points if v is not None]
    top = max([*known, 100.0 if chart.suffix == "%" else 1.0])
    ax.set_ylim(min([0.0, *known]), top * 1.15)  # from zero: a small change stays small
    ax.set_xticks(xs, [textwrap.fill(label, 12) for label, _ in points])
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda y, _: format_number(Decimal(str(y)), None) + chart.suffix)
    )
    ax.set_xlim(-0.5, len(points) - 0.5)
