"""Charts: one specification (`Chart`), made from a round's figures (`build`), drawn as SVG
for the pages (`svg`) and as PNG for the Word report (`charts.png`, which loads matplotlib
and so is imported on its own)."""

from __future__ import annotations

from cchc.documents.charts.build import bars, submissions, submissions_by_branch, trend
from cchc.documents.charts.spec import NO_FIGURES, Chart, ChartKind, Series
from cchc.documents.charts.svg import svg

__all__ = [
    "NO_FIGURES",
    "Chart",
    "ChartKind",
    "Series",
    "bars",
    "submissions",
    "submissions_by_branch",
    "svg",
    "trend",
]
