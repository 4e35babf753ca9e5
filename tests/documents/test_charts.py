"""One chart specification, two drawings: the page's SVG and the Word report's PNG show the
same labels and figures, and neither lets a unit's name do anything but be read."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document
from matplotlib.text import Text

from cchc.core.templates import Kind
from cchc.documents.charts import (
    Chart,
    ChartKind,
    bars,
    submissions,
    submissions_by_branch,
    svg,
    trend,
)
from cchc.documents.charts.png import DPI, WIDTH_INCHES, figure, height_inches, png
from cchc.documents.consolidated_report import render_consolidated_report
from tests.documents.province import NAMES, province

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = {
    "S": '<script>alert("x")</script>',
    "H": "Huyện & <b>Đông</b>",
    "X1": r"$\invalid$ xã",  # matplotlib would read $…$ as a formula and stop
    "X2": 'Xã "Hai" \' =cmd',
    "T": "Tỉnh",
}


def _rate(names: dict[str, str]) -> Chart:
    """The communes' on-time rate by unit, as the Word report and the page chart it."""
    _, result, _ = province(names)
    total = result.totals["PL4", "3.3"]
    values = [(names[u], total.by_unit.get(u)) for u in result.expected]
    return bars("Tỷ lệ hồ sơ giải quyết đúng hạn", values, kind=Kind.RATE)


def _specs(names: dict[str, str]) -> list[Chart]:
    _, result, _ = province(names)
    periods = [("6 tháng đầu năm 2023", Decimal(90)), (names["H"], None)]
    return [
        submissions_by_branch(result, names),
        submissions(result),
        _rate(names),
        trend(names["X1"], [*periods, ("6 tháng đầu năm 2024", Decimal("95.61"))], kind=Kind.RATE),
    ]


def _svg_texts(chart: Chart) -> list[str]:
    root = ET.fromstring(svg(chart))  # well-formed: every text escaped
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _png_texts(chart: Chart) -> list[str]:
    """Every text of the figure, a period's label unwrapped."""
    texts = (t.get_text() for t in figure(chart).findobj(Text))
    return [" ".join(t.split()) for t in texts if t]


def _words(chart: Chart) -> set[str]:
    """What both drawings must write: every label, every value, every series of a stack."""
    if chart.kind is ChartKind.COMPLETENESS:
        return {label for label in chart.shown_labels if label} | {s.name for s in chart.series}
    return {*chart.shown_labels, *(chart.text(v) for v in chart.values)}


def _size(picture: bytes) -> tuple[int, int]:
    assert picture.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", picture[16:24])  # the IHDR chunk: width, height


@pytest.mark.parametrize("names", [NAMES, HOSTILE], ids=["seed", "hostile"])
def test_the_svg_and_the_png_draw_the_same_spec(names: dict[str, str]) -> None:
    for chart in _specs(names):
        in_svg, in_png = _svg_texts(chart), " | ".join(_png_texts(chart))
        for word in _words(chart):
            assert any(word in t for t in in_svg), (chart.kind, word)
            assert " ".join(word.split()) in in_png, (chart.kind, word)
        assert _size(png(chart)) == (
            round(WIDTH_INCHES * DPI),
            round(height_inches(chart) * DPI),
        )


def test_the_rate_spec_holds_the_seed_figures() -> None:
    chart = _rate(NAMES)
    assert chart.labels == ("Sở Nội vụ", "Huyện Đông", "Xã Một", "Xã Hai")
    # only the communes fill row 3.3: 160.000 / 167.344; Xã Hai sent nothing
    assert [chart.text(v) for v in chart.values] == [
        "chưa có số liệu",
        "chưa có số liệu",
        "95,61%",
        "chưa có số liệu",
    ]
    assert (chart.suffix, chart.maximum) == ("%", Decimal(100))


def test_hostile_unit_names_are_text_in_both_drawings() -> None:
    for chart in _specs(HOSTILE):
        drawn = svg(chart)
        assert "<script" not in drawn and "<b>" not in drawn
        assert "&lt;script&gt;" in drawn or chart.kind is not ChartKind.BAR
    rate = _rate(HOSTILE)
    assert set(HOSTILE[u] for u in ("S", "H", "X2")) <= set(_svg_texts(rate))
    # the PNG writes `$\invalid$` as it is typed, not as a formula
    assert r"$\invalid$ xã" in _png_texts(rate)
    assert _size(png(rate))[0] == round(WIDTH_INCHES * DPI)


def test_the_word_report_embeds_the_png_of_the_spec() -> None:
    template, result, names = province()
    data = render_consolidated_report(
        template, result, names, issuer="UBND Tỉnh Thử", title="Báo cáo 6 tháng", period="2024-H1"
    )
    doc = Document(BytesIO(data))
    pictures = [
        doc.part.related_parts[s._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        for s in doc.inline_shapes
    ]
    assert pictures[0] == png(submissions_by_branch(result, names))
