"""Charts as PNG pictures for Word, which shows no SVG: drawn with matplotlib's Agg.

Agg draws without a display and the `Figure` API keeps no global state, so web
workers can draw at once. DejaVu Sans ships with matplotlib and has every
Vietnamese letter (Times New Roman is not installable here).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from cchc.core.numbers import format_number

__all__ = ["Completeness", "completeness_png", "rate_png", "trend_png"]

FONT = "DejaVu Sans"
ON_TIME, LATE, MISSING, BAR = "#1f7a3a", "#a35d00", "#cfd6de", "#8b1a1a"
_DPI = 150
_WIDTH_IN = 6.3  # the text width of an A4 page in the Decree 30 margins (165 mm)


@dataclass(frozen=True)
class Completeness:
    """One unit or branch: how many of its units sent on time, late, not at all."""

    label: str
    on_time: int
    late: int
    missing: int


def _figure(rows: int) -> Figure:
    fig = Figure(figsize=(_WIDTH_IN, 0.9 + 0.32 * max(rows, 1)), dpi=_DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    out = BytesIO()
    fig.savefig(out, format="png", bbox_inches="tight")
    return out.getvalue()


def _short(label: str, width: int = 32) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def completeness_png(rows: list[Completeness], *, title: str) -> bytes:
    """Stacked horizontal bars: units that sent on time, late, not yet, per branch."""
    fig = _figure(len(rows))
    ax = fig.add_subplot()
    labels = [_short(r.label) for r in rows][::-1]
    left = [0] * len(rows)
    for name, colour, attr in (
        ("Đúng hạn", ON_TIME, "on_time"),
        ("Muộn", LATE, "late"),
        ("Chưa gửi", MISSING, "missing"),
    ):
        widths = [getattr(r, attr) for r in rows][::-1]
        ax.barh(labels, widths, left=left, color=colour, label=name)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_title(title, fontfamily=FONT, fontsize=11, loc="left")
    ax.set_xlabel("Số đơn vị", fontfamily=FONT, fontsize=9)
    ax.xaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # MaxNLocator
    ax.legend(
        prop={"family": FONT, "size": 8},
        ncols=3,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
    )
    _tidy(ax)
    return _png(fig)


def rate_png(bars: list[tuple[str, Decimal | None]], *, title: str) -> bytes:
    """One bar per unit on a 0–100% scale, its rate written at the end; a unit
    without figures says so instead of showing an empty bar as 0%."""
    fig = _figure(len(bars))
    ax = fig.add_subplot()
    labels = [_short(label) for label, _ in bars][::-1]
    values = [v for _, v in bars][::-1]
    ax.barh(labels, [float(v) if v is not None else 0 for v in values], color=BAR)
    for y, v in enumerate(values):
        text = "chưa có số liệu" if v is None else f"{format_number(v, 2)}%"
        x = 1 if v is None else float(v) + 1
        ax.text(x, y, text, va="center", fontfamily=FONT, fontsize=8, color="#555")
    ax.set_xlim(0, 115)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_title(_short(title, 90), fontfamily=FONT, fontsize=11, loc="left")
    _tidy(ax)
    return _png(fig)


def trend_png(points: list[tuple[str, Decimal | None]], *, title: str, suffix: str = "") -> bytes:
    """A line over the periods, oldest left, each value written above its point; a period
    without figures breaks the line rather than dropping to zero."""
    fig = Figure(figsize=(_WIDTH_IN, 2.6), dpi=_DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = list(range(len(points)))
    ys = [float(v) if v is not None else float("nan") for _, v in points]
    ax.plot(xs, ys, color=BAR, marker="o", linewidth=2)
    for x, (_, v) in zip(xs, points, strict=True):
        if v is None:
            ax.text(x, 0, "chưa có số liệu", ha="center", va="bottom", fontsize=8, color="#555")
        else:
            text = format_number(v, 2 if suffix == "%" else None) + suffix
            ax.annotate(
                text,
                (x, float(v)),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontfamily=FONT,
                fontsize=8,
            )
    known = [float(v) for _, v in points if v is not None]
    top = max([*known, 100.0 if suffix == "%" else 1.0])
    ax.set_ylim(min([0.0, *known]), top * 1.15)  # from zero: a small change stays small
    ax.set_xticks(xs, [textwrap.fill(_short(label, 30), 12) for label, _ in points])
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda y, _: format_number(Decimal(str(y)), None) + suffix)
    )
    ax.set_xlim(-0.5, len(points) - 0.5)
    ax.set_title(_short(title, 90), fontfamily=FONT, fontsize=11, loc="left")
    _tidy(ax)
    return _png(fig)


def _tidy(ax) -> None:  # type: ignore[no-untyped-def]
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for label in (*ax.get_yticklabels(), *ax.get_xticklabels()):
        label.set_fontfamily(FONT)
        label.set_fontsize(8)
