"""How a cell of a table no template knows is read: nil markers, ticks, unit words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.core.cell_reading import ReadValue, read_value
from cchc.core.reading import read_report
from cchc.core.templates import Kind, build_template
from cchc.core.values import Entry

TEMPLATE = build_template(
    {
        "id": "t",
        "title": "Mẫu thử",
        "levels": ["xa"],
        "forms": [
            {
                "code": "B1",
                "title": "Bảng",
                "indicators": [
                    {"code": "1", "name": "Số hồ sơ đã tiếp nhận", "unit": "Hồ sơ"},
                    {
                        "code": "2",
                        "name": "Có tổ chức đối thoại",
                        "unit": "Có/không",
                        "choices": {1: "Có", 0: "Không"},
                    },
                    {"code": "3", "name": "Kinh phí", "unit": "Triệu đồng"},
                ],
            }
        ],
    }
)
FORM = TEMPLATE.form("B1")


@pytest.mark.parametrize("raw", ["-", "—", "–", "x", "không có", "Không có", "--"])
def test_a_nil_marker_in_a_count_cell_is_blank_not_unreadable(raw: str) -> None:
    assert read_value(FORM.get("1"), raw) == ReadValue(None)


@pytest.mark.parametrize(
    ("raw", "code"), [("Có", 1), ("x", 1), ("✓", 1), ("X", 1), ("Không", 0), ("1", 1)]
)
def test_a_mark_in_a_yes_no_cell_answers_it(raw: str, code: int) -> None:
    assert FORM.get("2").kind is Kind.CHOICE
    assert read_value(FORM.get("2"), raw) == ReadValue(Decimal(code))


def test_a_unit_word_or_thousands_word_in_a_cell_is_read_with_an_info_finding() -> None:
    result = read_report(TEMPLATE, {"B1": {"1": Entry("2.362 hồ sơ"), "3": Entry("3,2 nghìn")}})
    assert result.values == {("B1", "1"): Decimal(2362), ("B1", "3"): Decimal("3200.0")}
    assert [(f.rule, f.severity.value, f.message) for f in result.findings] == [
        (
            "value-with-unit",
            "info",
            "B1, chỉ tiêu 1 «Số hồ sơ đã tiếp nhận»: «2.362 hồ sơ» được đọc là 2.362 "
            "(bỏ chữ, đơn vị tính ở cột riêng).",
        ),
        (
            "value-with-unit",
            "info",
            "B1, chỉ tiêu 3 «Kinh phí»: «3,2 nghìn» được đọc là 3.200 "
            "(bỏ chữ, đơn vị tính ở cột riêng).",
        ),
    ]


def test_a_word_that_is_not_the_unit_stays_unreadable() -> None:
    (finding,) = read_report(TEMPLATE, {"B1": {"1": Entry("12 văn bản")}}).findings
    assert (finding.rule, finding.values) == ("unreadable-value", {"1": "12 văn bản"})
