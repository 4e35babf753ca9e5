"""A table written as CSV and as a workbook: figures as text in one, as numbers in the other."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from cchc.core.templates import Kind
from cchc.documents.tables import Figure, Table, table_writer, text_rows
from tests.csv_files import read_csv


def _table() -> Table:
    """A column of mixed indicators (its own kind per figure) beside a column of rates."""
    return Table(
        "Tổng hợp: Biểu mẫu 1",
        ["Chỉ tiêu", "Tổng hợp", "Tỷ lệ"],
        [
            ["Kiểm tra CCHC", "", None],
            ["Số văn bản", Figure(Decimal(12), Kind.COUNT), Decimal("78.95")],
            ["Tỷ lệ hoàn thành", Figure(Decimal("80"), Kind.RATE), None],
            ["Chưa có", Figure(None, Kind.AMOUNT), Decimal("0.5")],
        ],
        [None, None, Kind.RATE],
        widths=(30,),
        headings=frozenset({0}),
    )


def test_figures_are_written_by_their_kind_on_the_page_and_in_csv() -> None:
    rows = [["Kiểm tra CCHC", "", ""], ["Số văn bản", "12", "78,95%"]]
    rows += [["Tỷ lệ hoàn thành", "80,00%", ""], ["Chưa có", "", "0,50%"]]
    assert text_rows(_table()) == rows
    writer = table_writer(".CSV")
    assert (writer.extension, writer.media_type) == (".csv", "text/csv; charset=utf-8")
    assert read_csv(writer.render(_table())) == [["Chỉ tiêu", "Tổng hợp", "Tỷ lệ"], *rows]


def test_the_workbook_holds_numbers_bold_headings_and_the_widths_asked_for() -> None:
    writer = table_writer("xlsx")
    sheet = openpyxl.load_workbook(BytesIO(writer.render(_table()))).active
    assert sheet.title == "Tổng hợp- Biểu mẫu 1"  # no «:» in a sheet name
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert values[1:] == [
        ["Số văn bản", 12, 78.95],
        ["Tỷ lệ hoàn thành", 80, None],
        ["Chưa có", None, 0.5],
    ]
    assert sheet["A2"].font.b and not sheet["A3"].font.b
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.column_dimensions["B"].width == 10  # fitted: its text is short


def test_a_format_without_a_writer_is_refused_in_vietnamese() -> None:
    with pytest.raises(ValueError, match=r"chỉ xuất được \.csv và \.xlsx"):
        table_writer("pdf")
