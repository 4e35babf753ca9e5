"""Reading Excel reports: our own workbooks back exactly, hand-made ones like the paper form."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from cchc.documents.xlsx_writer import render_xlsx
from cchc.importers.errors import ImportError_
from cchc.importers.report_file import import_report, period_key, report_content
from cchc.importers.safety import UnsafeFileError
from cchc.importers.seed_text import Row
from cchc.importers.xlsx_cells import cell_text
from cchc.importers.xlsx_reader import read_xlsx_report, xlsx_template_id
from tests.libreoffice import saved_by_libreoffice
from tests.seeds import SEED_001


def _values(values) -> dict[tuple[str, str], tuple[str, str]]:
    return {(f, c): (e.raw, e.note) for f, codes in values.items() for c, e in codes.items()}


@pytest.fixture(scope="module")
def text_import():
    return import_report(SEED_001)


@pytest.fixture(scope="module")
def seed_001_xlsx(text_import) -> bytes:
    return render_xlsx(text_import.template, report_content(text_import))


def test_the_workbook_of_seed_001_reads_back_to_exactly_the_values_of_the_text_report(
    text_import, seed_001_xlsx, tmp_path
):
    path = tmp_path / "x.xlsx"
    path.write_bytes(seed_001_xlsx)
    result = import_report(path)
    assert (result.template.id, result.how, result.score, result.findings) == (
        "pl-2024",
        "auto",
        1.0,
        [],
    )
    assert _values(result.values) == _values(text_import.values)
    assert len(result.values["PL2"]) == 18  # 16 values and the two notes of rows 5 and 6
    content, original = report_content(result), report_content(text_import)
    assert (content.unit, content.period, content.header) == (
        original.unit,
        original.period,
        original.header,
    )


def test_rows_of_our_own_sheets_carry_the_template_codes_and_the_sheet_rows(seed_001_xlsx):
    doc = read_xlsx_report(seed_001_xlsx, "x.xlsx")
    assert [(t.label, t.line, len(t.rows)) for t in doc.tables] == [
        ("Phụ lục 2", 7, 27),
        ("Phụ lục 3", 7, 14),
        ("Phụ lục 4", 7, 25),
        ("Phụ lục 5", 7, 21),
        ("Phụ lục 6", 7, 16),
        ("Phụ lục 7", 7, 13),
        ("Phụ lục 8", 7, 35),
    ]
    assert doc.tables[0].rows[1:4] == [
        Row(10, "2.", "Tỷ lệ hoàn thành Kế hoạch CCHC năm (Lũy kế đến thời điểm báo cáo)",
            "%", "78,94%", "", bold=True),
        Row(11, "2.1.", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "19", ""),
        Row(12, "2.2.", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "15", ""),
    ]  # fmt: skip
    assert xlsx_template_id(seed_001_xlsx) == "pl-2024"


def test_values_changed_offline_are_read_from_the_cells_and_untouched_ones_as_written(
    seed_001_xlsx, tmp_path
):
    wb = openpyxl.load_workbook(io.BytesIO(seed_001_xlsx))
    pl2, pl4 = wb["Phụ lục 2"], wb["Phụ lục 4"]
    pl2["D12"] = 16  # 2.2: 15 → 16
    pl2["D32"] = "0 - Không"  # 7: chosen from the drop-down
    pl2["D17"] = "3"  # 3.3.1 typed as text
    pl2["E9"] = "Có 2 kết luận"
    pl2["D10"] = 78.94  # the same number as written: "78,94%" stays
    pl4["D18"] = 1  # 2.1 still 1: "01" stays
    path = tmp_path / "sua.xlsx"
    wb.save(path)
    values = _values(import_report(path).values)
    changed = {k: values[k] for k in [("PL2", "1"), ("PL2", "2"), ("PL2", "2.2"), ("PL2", "3.3.1")]}
    assert changed == {
        ("PL2", "1"): ("13", "Có 2 kết luận"),
        ("PL2", "2"): ("78,94%", ""),
        ("PL2", "2.2"): ("16", ""),
        ("PL2", "3.3.1"): ("3", ""),
    }
    assert (values[("PL2", "7")], values[("PL4", "2.1")]) == (("0", ""), ("01", ""))


def test_a_sheet_added_to_our_workbook_is_read_as_printed(seed_001_xlsx):
    wb = openpyxl.load_workbook(io.BytesIO(seed_001_xlsx))
    extra = wb.create_sheet("Thêm")
    extra.append(["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu"])
    extra.append(["1.", "Số buổi tiếp công dân", "Buổi", 4])
    buffer = io.BytesIO()
    wb.save(buffer)
    doc = read_xlsx_report(buffer.getvalue(), "them.xlsx")
    assert [t.label for t in doc.tables] == [*(f"Phụ lục {n}" for n in range(2, 9)), "Thêm"]
    assert doc.tables[-1].rows == [Row(2, "1.", "Số buổi tiếp công dân", "Buổi", "4")]


def test_a_workbook_saved_again_by_libreoffice_reads_back_the_same(
    text_import, seed_001_xlsx, tmp_path
):
    source = tmp_path / "goc.xlsx"
    source.write_bytes(seed_001_xlsx)
    saved_path = saved_by_libreoffice(source, tmp_path)
    saved = openpyxl.load_workbook(saved_path, data_only=True)
    checks = [saved["Phụ lục 2"]["F10"].value, saved["Phụ lục 2"]["F16"].value]
    assert [round(checks[0], 4), checks[1]] == [78.9474, None]  # 15/19; 3.3 has no operands
    assert _values(import_report(saved_path).values) == _values(text_import.values)


def _hand_made() -> bytes:
    """A commune's own copy of Phụ lục 2: title rows, header from row 7 in column B, merges."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PL2 xã"
    ws["A1"], ws["A2"] = "UBND HUYỆN NAM ĐÔNG", "Đơn vị: UBND xã Hương Sơn"
    ws["A4"], ws["A5"] = "Phụ lục 2", "BIỂU MẪU THỐNG KÊ 6 tháng đầu năm 2024"
    ws.merge_cells("A4:F4")
    ws.merge_cells("A5:F5")
    ws["B7"], ws["C7"], ws["D7"], ws["F7"] = (
        "STT",
        "Chỉ tiêu thống kê",
        "Kết quả thống kê",
        "Ghi chú",
    )
    ws["D8"], ws["E8"] = "Đơn vị tính", "Số liệu"
    for merged in ("B7:B8", "C7:C8", "D7:E7", "F7:F8"):
        ws.merge_cells(merged)
    ws.append([None, "(1)", "(2)", "(3)", "(4)", "(5)"])
    rows = [
        ("1.", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "13"),
        ("2.", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", 0.7894),
        (2.1, "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", 19),
        ("2.2", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "=E12-4"),
        ("3", "Kiểm tra CCHC", None, None),
        ("7", "Khảo sát sự hài lòng của người dân, tổ chức", "Có = 1; Không = 0", True),
        ("7.1", "Số lượng phiếu khảo sát", "Số lượng", 276.0),
        ("7.2", "Hình thức khảo sát", "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", "2 - Kết hợp"),
    ]
    for r, (stt, name, unit, value) in enumerate(rows, start=10):
        ws.cell(r, 2, stt)
        ws.cell(r, 3, name)
        ws.cell(r, 4, unit)
        ws.cell(r, 5, value)
    ws["E11"].number_format = "0.00%"
    ws["C14"].font = Font(bold=True)
    ws["F10"] = "Gồm 2 kế hoạch"
    ws["C21"] = "Người lập biểu"  # below the table, after blank rows
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_hand_made_workbook_is_read_like_the_paper_form():
    doc = read_xlsx_report(_hand_made(), "tay.xlsx")
    (table,) = doc.tables
    assert (table.label, table.title, table.line, table.value_header) == (
        "Phụ lục 2",
        "BIỂU MẪU THỐNG KÊ 6 tháng đầu năm 2024",
        7,
        "Số liệu",
    )
    assert table.caption[0] == "Trang tính: PL2 xã"
    formula_note = (
        "Ô E13 có công thức «=E12-4» nhưng tệp chưa lưu kết quả tính: bỏ trống; "
        "hãy mở tệp bằng Excel, lưu lại rồi nhập lại."
    )
    assert table.rows == [
        Row(10, "1.", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "13", "Gồm 2 kế hoạch"),
        Row(11, "2.", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", "78,94"),
        Row(12, "2.1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "19"),
        Row(13, "2.2", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ", "", formula_note),
        Row(14, "3", "Kiểm tra CCHC", bold=True),
        Row(15, "7", "Khảo sát sự hài lòng của người dân, tổ chức", "Có = 1; Không = 0", "1"),
        Row(16, "7.1", "Số lượng phiếu khảo sát", "Số lượng", "276"),
        Row(17, "7.2", "Hình thức khảo sát", "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2", "2"),
    ]
    assert (doc.header.unit, period_key(doc)) == ("UBND xã Hương Sơn", "2024-H1")


def test_a_hand_made_workbook_maps_onto_the_registered_template(tmp_path):
    path = tmp_path / "tay.xlsx"
    path.write_bytes(_hand_made())
    result = import_report(path)
    assert (result.template.id, result.how, result.score) == ("pl-2024", "auto", 1.0)
    assert _values(result.values) == {
        ("PL2", "1"): ("13", "Gồm 2 kế hoạch"),
        ("PL2", "2"): ("78,94", ""),
        ("PL2", "2.1"): ("19", ""),
        ("PL2", "2.2"): (
            "",
            "Ô E13 có công thức «=E12-4» nhưng tệp chưa lưu kết quả tính: bỏ trống; "
            "hãy mở tệp bằng Excel, lưu lại rồi nhập lại.",
        ),
        ("PL2", "7"): ("1", ""),
        ("PL2", "7.1"): ("276", ""),
        ("PL2", "7.2"): ("2", ""),
    }


def test_a_table_of_unknown_design_gets_an_inferred_template(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Số liệu quý"
    ws.append(["TT", "Nội dung", "ĐVT", "Số lượng"])
    ws.append([1, "Tổng số cuộc họp trực tuyến", "Cuộc", 12])
    ws.append([2, "Tỷ lệ cuộc họp có biên bản", "%", 91.7])
    path = tmp_path / "quy.xlsx"
    wb.save(path)
    result = import_report(path)
    assert (result.how, [f.label for f in result.template.forms]) == ("inferred", ["Số liệu quý"])
    assert _values(result.values) == {("B1", "1"): ("12", ""), ("B1", "2"): ("91,7", "")}


def _cell(value, number_format: str = "General"):
    cell = openpyxl.Workbook().active["A1"]
    cell.value = value
    cell.number_format = number_format
    return cell


@pytest.mark.parametrize(
    ("value", "number_format", "unit", "text"),
    [
        (13, "General", "", "13"),
        (13.0, "General", "", "13"),
        (78.94, "0.00", "%", "78,94"),
        (0.7894, "0.00%", "%", "78,94"),
        (1, "0%", "%", "100"),
        (2715925699.0, "#,##0", "đồng", "2715925699"),
        (1234.5, "#,##0.0", "", "1.234,5"),
        (3.887, "General", "Triệu đồng", "3,8870"),  # a number in a cell reads one way only
        (78.947, "General", "%", "78,947"),  # a rate: three decimals already read one way
        (1e-05, "General", "", "0,00001"),
        (" 1.102 ", "@", "", "1.102"),  # text stays as typed
        ("3,887", "@", "", "3,887"),
        (True, "General", "", "1"),
        (datetime(2022, 6, 9), "dd/mm/yyyy", "", "09/06/2022"),
        (date(2022, 6, 9), "dd/mm/yyyy", "", "09/06/2022"),
        (None, "General", "", ""),
    ],
)
def test_cells_become_the_text_a_person_typed(value, number_format, unit, text):
    assert cell_text(_cell(value, number_format), unit) == text


def test_a_file_that_is_not_a_zip_is_refused_before_any_parser_sees_it(tmp_path: Path):
    with pytest.raises(UnsafeFileError) as refused:
        read_xlsx_report(b"STT\tChi tieu\n1.\tSo van ban\t13\n", "gia.xlsx")
    assert str(refused.value).startswith("gia.xlsx: không phải tệp Excel (.xlsx)")
    path = tmp_path / "gia.xlsx"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(ImportError_, match="không phải tệp Excel"):
        import_report(path)
