"""The one rule every spreadsheet writer follows: text stays text, numbers stay numbers."""

from __future__ import annotations

import codecs
import io

import openpyxl
import pytest

from cchc.documents.cells import csv_bytes, csv_row, put, sheet_title, starts_like_formula
from tests.csv_files import read_csv

HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("text", "formula_like"),
    [
        (HYPERLINK, True),
        (DDE, True),
        ("+1+cmd|' /C calc'!A0", True),
        ("-2+3+cmd|' /C calc'!A0", True),
        ("@SUM(1+1)*cmd|' /C calc'!A0", True),
        ("\t=1+1", True),
        ("\r=1+1", True),
        ("  =1+1", True),  # spreadsheets may trim the spaces
        ("- Như trên;", True),
        ("-5", False),
        ("-1.234,5", False),
        ("+20,5%", False),
        ("78,95%", False),
        ("Xã An", False),
        ("1 - Có", False),
        ("", False),
    ],
)
def test_a_text_starts_like_a_formula_when_a_spreadsheet_could_run_it(text, formula_like) -> None:
    assert starts_like_formula(text) is formula_like


def test_csv_fields_that_start_like_a_formula_get_a_quote_and_numbers_stay_as_they_are() -> None:
    assert csv_row([HYPERLINK, DDE, "-5", -5, 2.5, "Xã An", "+25,00 điểm %", "", None]) == [
        "'" + HYPERLINK,
        "'" + DDE,
        "-5",
        -5,
        2.5,
        "Xã An",
        "'+25,00 điểm %",
        "",
        None,
    ]


def test_a_text_put_into_a_workbook_cell_reads_back_as_that_text_and_a_number_as_a_number():
    book = openpyxl.Workbook()
    sheet = book.active
    values = [HYPERLINK, DDE, "-x", -5, -2.5, "Xã An", "bad\x00byte"]
    for row, value in enumerate(values, start=1):
        put(sheet.cell(row, 1), value)
    buffer = io.BytesIO()
    book.save(buffer)
    cells = [row[0] for row in openpyxl.load_workbook(buffer).active.iter_rows()]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        (HYPERLINK, "s", True),
        (DDE, "s", True),
        ("-x", "s", True),
        (-5, "n", False),
        (-2.5, "n", False),
        ("Xã An", "s", False),
        ("bad\ufffdbyte", "s", False),  # XML cannot carry a NUL: the workbook is still written
    ]


def test_sheet_names_survive_hostile_unit_names_and_stay_unique() -> None:
    used: set[str] = set()
    names = [
        DDE,
        "Xu hướng: UBND xã A/B? [tạm] * và một cái tên rất dài",
        "Xu hướng: UBND xã A/B? [tạm] * và một cái tên rất dài khác",
        "'quoted'",
        "***",
        "history",
        "XU HƯỚNG- UBND XÃ A-B- -TẠM- - VÀ",
    ]
    titles = [sheet_title(n, used) for n in names]
    assert titles == [
        "=cmd|' -C calc'!A0",
        "Xu hướng- UBND xã A-B- -tạm- -",
        "Xu hướng- UBND xã A-B- -tạm (2)",
        "quoted",
        "---",
        "history (1)",  # Excel keeps «History» for itself
        "XU HƯỚNG- UBND XÃ A-B- -TẠM (3)",  # the same as the first without regard to case
    ]
    book = openpyxl.Workbook()
    for title in titles:
        book.create_sheet(title)
    buffer = io.BytesIO()
    book.save(buffer)
    assert openpyxl.load_workbook(buffer).sheetnames[1:] == titles


def test_a_csv_file_opens_in_vietnamese_excel_bom_first_and_semicolons_between_fields() -> None:
    body = csv_bytes([["Chỉ tiêu", "Giá trị"], ["Tỷ lệ; lũy kế", "78,95"], [DDE, -5]])
    assert body.startswith(codecs.BOM_UTF8 + "Chỉ tiêu;Giá trị\r\n".encode())
    assert b'"T\xe1\xbb\xb7 l\xe1\xbb\x87; l\xc5\xa9y k\xe1\xba\xbf";78,95\r\n' in body  # quoted
    rows = [["Chỉ tiêu", "Giá trị"], ["Tỷ lệ; lũy kế", "78,95"], ["'" + DDE, "-5"]]
    assert read_csv(body) == rows
    with pytest.raises(AssertionError, match="no UTF-8 BOM"):
        read_csv(body[3:])  # the reader the tests use refuses a file Excel would garble
