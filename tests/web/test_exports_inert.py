"""Every workbook and CSV file the web and the command line give out is inert.

A commune named `=cmd|' /C calc'!A0` and a note typed as `=HYPERLINK(…)` come
out of every export as text (a string cell; a CSV field with a leading `'`),
never as a formula a spreadsheet would run; a negative figure stays a number;
the trend workbook is written whatever the unit is called.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from cchc.cli import main
from cchc.web.organisation.models import Membership, Role
from cchc.web.reporting.entry import saving
from cchc.web.reporting.workflow import services
from tests.csv_files import read_csv

HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
LONG = "Xã An: [thử] */? một cái tên dài hơn ba mươi mốt ký tự"


@pytest.fixture
def hostile(world):
    """Xã An (a long name full of characters sheet names refuse) submits BM1 with -5 and a
    note that is a formula; Xã Bình, renamed `=cmd|…`, has not submitted."""
    world.commune_a.name = LONG
    world.commune_a.save()
    world.commune_b.name = DDE
    world.commune_b.save()
    Membership.objects.create(user=world.outsider, unit=world.commune_b, role=Role.LEADER)
    saving.save_values(
        user=world.officer,
        report=world.report_a,
        form="BM1",
        changes={"1": ("-5", None), "2.1": ("4", None), "2.2": ("3", None)},
        notes={"1": (HYPERLINK, None)},
    )
    services.approve_report(user=world.leader, report=world.report_a, reason="thử")
    services.submit_report(user=world.leader, report=world.report_a)
    return world


def _formulas(book) -> list[tuple[str, str, str]]:
    return [
        (ws.title, c.coordinate, c.value)
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def _texts(book) -> dict[str, set[str]]:
    """Each hostile text found in the workbook → the data types of the cells holding it."""
    found: dict[str, set[str]] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                for text in (HYPERLINK, DDE):
                    if isinstance(c.value, str) and c.value.startswith(text):
                        found.setdefault(text, set()).add(c.data_type)
    return found


def _csv(body: bytes) -> list[list[str]]:
    return read_csv(body)


def _formula_fields(rows: list[list[str]]) -> list[str]:
    """Fields a spreadsheet would run: `=`, `@`, tab, CR, or a sign not starting a number."""
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(("=", "@", "\t", "\r"))
        or (cell[:1] in "+-" and cell[:1] and not cell[1:2].isdigit())
    ]


def test_the_report_workbook_holds_the_note_as_text_and_only_its_own_rate_formulas(
    hostile, login
) -> None:
    response = login(hostile.officer).get(
        reverse("report-export", args=[hostile.report_a.pk, "xlsx"])
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {ref[0] for _, ref, _ in _formulas(book)} == {"F"}  # «Tính lại»: cchc's own
    assert all(value.startswith("=IF(COUNT(") for *_, value in _formulas(book))
    assert _texts(book) == {HYPERLINK: {"s"}}
    ws = book["Biểu mẫu 1"]
    assert [(c.value, c.data_type) for c in ws["D9:E9"][0]] == [(-5, "n"), (HYPERLINK, "s")]
    assert ws["A1"].value == f"Đơn vị: {LONG}"


def test_the_consolidated_table_names_the_unit_as_text_and_keeps_minus_five_a_number(
    hostile, login
) -> None:
    client = login(hostile.reviewer)
    url = reverse("round-consolidation", args=[hostile.round.pk])
    rows = _csv(client.get(url, {"tep": "csv"}).content)
    first = rows[1]
    assert first[1:] == ["1.", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "-5",
                         "1/2 đơn vị", "'" + DDE]  # fmt: skip
    assert _formula_fields(rows) == []
    book = openpyxl.load_workbook(io.BytesIO(client.get(url, {"tep": "xlsx"}).content))
    assert (_formulas(book), _texts(book)) == ([], {DDE: {"s"}})
    sheet = book.active
    assert [(c.value, c.data_type) for c in sheet["E2:G2"][0]] == [
        (-5, "n"),
        ("1/2 đơn vị", "s"),
        (DDE, "s"),
    ]


@pytest.mark.parametrize("table", ["xep-hang", "canh-bao", "xu-huong"])
@pytest.mark.parametrize("unit", ["XA", "XB"])
def test_every_comparison_table_is_inert_in_both_files(hostile, login, table, unit) -> None:
    client = login(hostile.reviewer)
    url = reverse("round-comparison", args=[hostile.round.pk])
    params = {"chi-tieu": "BM1.1", "don-vi": unit, "bang": table}
    rows = _csv(client.get(url, {**params, "tep": "csv"}).content)
    assert _formula_fields(rows) == []
    response = client.get(url, {**params, "tep": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert _formulas(book) == []
    assert set(_texts(book)) <= {DDE} and all(t == {"s"} for t in _texts(book).values())
    if table == "xep-hang":
        assert rows[1:] == [
            ["1", LONG, "-5", "", "", ""],
            ["", "'" + DDE, "", "", "", "chưa có số liệu"],
        ]
        values = [[c.value for c in r] for r in book.active.iter_rows(min_row=2)]
        assert values == [[1, LONG, -5, None, None, None], [None, DDE, None, None, None,
                                                            "chưa có số liệu"]]  # fmt: skip
    if table == "xu-huong":
        assert book.sheetnames == [
            "Xu hướng- Xã An- -thử- --- một" if unit == "XA" else "Xu hướng- =cmd|' -C calc'!A0"
        ]


def test_the_command_line_files_are_inert_too(hostile, tmp_path, capsys) -> None:
    rnd = str(hostile.round.pk)
    for name in ("tong-hop.csv", "tong-hop.xlsx"):
        assert main(["consolidate", rnd, "-o", str(tmp_path / name)]) == 0
    for name in ("so-sanh.csv", "so-sanh.xlsx"):
        out = str(tmp_path / name)
        assert main(["compare", rnd, "--indicator", "BM1.1", "-o", out]) == 0
    assert _csv((tmp_path / "tong-hop.csv").read_bytes())[1][4:] == ["-5", "1/2 đơn vị", "'" + DDE]
    assert _csv((tmp_path / "so-sanh.csv").read_bytes())[2][:2] == ["", "'" + DDE]
    for name in ("tong-hop.xlsx", "so-sanh.xlsx"):
        book = openpyxl.load_workbook(tmp_path / name)
        assert (_formulas(book), _texts(book)) == ([], {DDE: {"s"}})
