"""A figure is written by its kind: counts whole, amounts with their decimals, rates with two."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.core.figures import format_figure
from cchc.core.reading import read_report
from cchc.core.report_content import ReportContent, with_computed
from cchc.core.templates import Kind, build_template
from cchc.core.values import Entry


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (Decimal("5.00"), Kind.COUNT, "5"),
        (5, Kind.COUNT, "5"),
        (Decimal("1102"), Kind.COUNT, "1.102"),
        (Decimal("2.5"), Kind.COUNT, "2,5"),  # an average of counts keeps its half
        (Decimal("1234.5"), Kind.AMOUNT, "1.234,5"),
        (Decimal("10") / Decimal("3"), Kind.AMOUNT, "3,33"),  # a computation's tail cut to two
        (Decimal("78.947368"), Kind.RATE, "78,95%"),
        (Decimal("100"), Kind.RATE, "100,00%"),
        (0.5, Kind.RATE, "0,50%"),
        (None, Kind.COUNT, ""),
    ],
)
def test_a_figure_is_written_the_way_its_kind_is_read(value, kind, shown) -> None:
    assert format_figure(value, kind) == shown


def test_a_rate_in_a_form_goes_without_its_percent_sign() -> None:
    assert format_figure(Decimal("78.947"), Kind.RATE, percent=False) == "78,95"


def test_computed_figures_reach_the_writers_by_kind_a_total_whole_and_a_rate_with_decimals():
    template = build_template(
        {
            "id": "t",
            "title": "Thử",
            "levels": ["xa"],
            "forms": [
                {
                    "code": "B1",
                    "title": "Biểu 1",
                    "indicators": [
                        {"code": "1.1", "name": "Giao", "kind": "count"},
                        {"code": "1.2", "name": "Xong", "kind": "count"},
                        {"code": "1.3", "name": "Tổng", "kind": "count", "formula": "1.1 + 1.2"},
                        {"code": "1.4", "name": "Tỷ lệ", "unit": "%", "formula": "1.2 / 1.1 * 100"},
                    ],
                }
            ],
        }
    )
    values = {"B1": {"1.1": Entry(raw="4"), "1.2": Entry(raw="1")}}
    computed = read_report(template, values).computed
    content = with_computed(ReportContent(template_id="t", values=values), computed, template)
    assert {c: e.raw for c, e in content.values["B1"].items()} == {
        "1.1": "4",
        "1.2": "1",
        "1.3": "5",  # never "5,00"
        "1.4": "25,00",
    }
