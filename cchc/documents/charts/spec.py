"""What a chart shows, apart from how it is drawn: one specification, two drawings.

The page draws a `Chart` as SVG (`charts.svg`), the Word report as a PNG picture
(`charts.png`, matplotlib), so a figure, its label and its words are decided
here once and the two drawings cannot disagree. A chart holds text as it was
given (a unit may be named `<b>` or `$x$`): each drawing makes it harmless in
its own medium.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cchc.core.numbers import format_number

__all__ = [
    "BAR",
    "LATE",
    "MISSING",
    "NO_FIGURES",
    "ON_TIME",
    "Chart",
    "ChartKind",
    "Series",
    "short",
]

ON_TIME, LATE, MISSING, BAR = "#1f7a3a", "#a35d00", "#cfd6de", "#8b1a1a"
NO_FIGURES = "chưa có số liệu"
# A longer label is cut, «…» at its end: a bar's beside it, a period's under its point.
LABEL_CHARS = {"bar": 28, "completeness": 28, "trend": 24}


class ChartKind(StrEnum):
    BAR = "bar"  # one bar per label, its value written at the end
    COMPLETENESS = "completeness"  # stacked bars: on time, late, not yet sent
    TREND = "trend"  # a line over the periods, oldest left


@dataclass(frozen=True)
class Series:
    """One set of values over the chart's labels (a stacked chart has one per colour)."""

    name: str
    values: tuple[Decimal | None, ...]
    colour: str = BAR


@dataclass(frozen=True)
class Chart:
    """`labels` name the bars or periods; every series has one value per label (None:
    no figures). `suffix` follows each value (`%`); `maximum` fixes the scale's end."""

    kind: ChartKind
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    suffix: str = ""
    maximum: Decimal | None = None

    def __post_init__(self) -> None:
        if any(len(s.values) != len(self.labels) for s in self.series):
            raise ValueError("every series needs one value per label")

    @property
    def values(self) -> tuple[Decimal | None, ...]:
        """The first series: the only one of a bar chart or a trend."""
        return self.series[0].values if self.series else ()

    @property
    def shown_labels(self) -> tuple[str, ...]:
        """The labels as both drawings write them, long ones cut."""
        return tuple(short(label, LABEL_CHARS[self.kind]) for label in self.labels)

    def text(self, value: Decimal | None) -> str:
        """A value as both drawings write it: `78,95%`, `1.234`, or that there is none."""
        if value is None:
            return NO_FIGURES
        return format_number(value, 2 if self.suffix == "%" else None) + self.suffix


def short(text: str, width: int) -> str:
    """`text` in at most `width` characters, «…» where it was cut."""
    return text if len(text) <= width else text[: width - 1] + "…"
