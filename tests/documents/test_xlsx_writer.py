"""The forms as an Excel workbook: seed 001 written, saved, and opened again with openpyxl."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from cchc.core.report_content import ReportContent
from cchc.core.templates import build_template
from cchc.core.values import Entry
from cchc.documents.xlsx_formulas import excel_formula
from cchc.documents.xlsx_writer import (
    MEDIA_TYPE,
    XlsxWriter,
    render_xlsx,
    sheet_titles,
)
from cchc.importers.report_file import import_report, report_content
from tests.libreoffice import saved_by_libreoffice
from tests.seeds import ROOT, SEED_001

FORMS = ["Phụ lục 2", "Phụ lục 3", "Phụ lục 4", "Phụ lục 5", "Phụ lục 6", "Phụ lục 7", "Phụ lục 8"]

# The cell «Số liệu» of every row seed 001 filled, as the workbook holds it:
# numbers as numbers, coded answers as their drop-down entry, "3,887" (reads
# two ways) as text, the code 3 outside its options as the number written.
SEED_001_CELLS = {
    "Phụ lục 2": {
        "1.": 13, "2.": 78.94, "2.1.": 19, "2.2.": 15,
        "5.1.": 0, "5.2.": 0, "5.3.": 0, "5.4.": 0,
        "6.1.": 0, "6.2.": 0, "6.3.": 0, "6.4.": 0,
        "7.": "1 - Có", "7.1.": 276, "7.2.": "2 - Kết hợp", "8.": "1 - Có",
    },
    "Phụ lục 3": {"1.3.": 0},
    "Phụ lục 4": {
        "1.1.": 0, "1.2.": 2, "1.3.": 2, "1.4.": 137, "1.4.3.": 137, "2.1.": 1, "2.2.": 87,
        "3.3.": 100, "3.3.1.": 276, "3.3.2.": 276, "3.4.1.": 0, "3.4.2.": 0,
    },
    "Phụ lục 5": {"2.1.": 18, "2.2.": 18, "2.3.": 0, "2.4.": 0},
    "Phụ lục 6": {"1.1.": 1},
    "Phụ lục 7": {"1.": 100, "1.1.": "3,887", "1.2.": "3,887"},
    "Phụ lục 8": {
        "1.": "1 - Hoàn thành", "2.": 3, "4.": "1 - Đang làm",
        "5.1.3.": 100, "5.2.": 100, "5.2.3.": 100, "5.3.3.": 100,
        "6.1.": 100, "6.1.1.": 79, "6.1.2.": 79, "6.1.3.": 6,
        "6.2.": 100, "6.2.1.": 49, "6.2.2.": 49, "6.2.3.": 2,
        "6.3.": 100, "6.3.1.": 128, "6.3.2.": 128,
        "6.4.": 70.1, "6.4.1.": 281, "6.4.2.": 197,
        "6.5.": 100, "6.5.1.": 29, "6.5.2.": 29,
    },
}  # fmt: skip


def _live(num: str, den: str) -> str:
    return f'=IF(COUNT({num},{den})<2,"",IFERROR({num}/{den}*100,""))'


# Column «Tính lại» of every rate the template gives a formula: numerator row / denominator row.
SEED_001_FORMULAS = {
    "Phụ lục 2": {"2.": _live("D12", "D11"), "3.3.": _live("D18", "D17")},
    "Phụ lục 3": {"2.2.": _live("D17", "D16"), "3.2.": _live("D22", "D21")},
    "Phụ lục 4": {
        "3.1.": _live("D24", "D23"),
        "3.2.": _live("D27", "D26"),
        "3.3.": _live("D30", "D29"),
        "3.4.": _live("D33", "D32"),
    },
    "Phụ lục 5": {},
    "Phụ lục 6": {},
    "Phụ lục 7": {"1.": _live("D11", "D10")},
    "Phụ lục 8": {
        "6.1.": _live("D29", "D28"),
        "6.2.": _live("D33", "D32"),
        "6.3.": _live("D37", "D36"),
        "6.4.": _live("D40", "D39"),
        "6.5.": _live("D43", "D42"),
    },
}


@pytest.fixture(scope="module")
def seed_001():
    result = import_report(SEED_001)
    return result.template, report_content(result)


@pytest.fixture(scope="module")
def workbook(seed_001, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "bao-cao.xlsx"
    path.write_bytes(render_xlsx(*seed_001))
    return openpyxl.load_workbook(path)


def _rows_by_stt(ws) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(9, ws.max_row + 1) if ws.cell(r, 1).value}


def test_the_workbook_has_one_sheet_per_form_in_order_and_a_very_hidden_data_sheet(workbook):
    assert workbook.sheetnames == [*FORMS, "_cchc"]
    assert [ws.sheet_state for ws in workbook.worksheets] == ["visible"] * 7 + ["veryHidden"]


def test_each_sheet_opens_with_the_title_block_and_the_two_row_header_of_the_paper_form(workbook):
    ws = workbook["Phụ lục 2"]
    top = [[ws.cell(r, c).value for c in range(1, 7)] for r in range(1, 9)]
    assert top == [
        ["Đơn vị: UBND xã Hương Sơn", None, None, None, None, None],
        ["Phụ lục 2", None, None, None, None, None],
        [
            "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
            None, None, None, None, None,
        ],
        ["Kỳ báo cáo: 6 tháng đầu năm 2024", None, None, None, None, None],
        [
            "(Kèm theo Báo cáo số 341/BC-UBND ngày 10/06/2024 của UBND xã Hương Sơn)",
            None, None, None, None, None,
        ],
        [None] * 6,
        ["STT", "Chỉ tiêu thống kê", "Kết quả thống kê", None, "Ghi chú", "Tính lại (%)"],
        [None, None, "Đơn vị tính", "Số liệu", None, None],
    ]  # fmt: skip
    assert sorted(str(r) for r in ws.merged_cells.ranges if r.min_row >= 7) == [
        "A7:A8", "B7:B8", "C7:D7", "E7:E8", "F7:F8",
    ]  # fmt: skip
    fonts = {ref: (ws[ref].font.name, ws[ref].font.b) for ref in ("A2", "A3", "C7", "B9", "B11")}
    assert fonts == {
        "A2": ("Times New Roman", True),
        "A3": ("Times New Roman", True),
        "C7": ("Times New Roman", True),
        "B9": ("Times New Roman", True),
        "B11": ("Times New Roman", False),
    }


def test_every_value_of_seed_001_is_in_the_row_of_its_indicator(workbook):
    cells = {}
    for title in FORMS:
        ws = workbook[title]
        cells[title] = {
            stt: ws.cell(r, 4).value
            for stt, r in _rows_by_stt(ws).items()
            if ws.cell(r, 4).value is not None
        }
    assert cells == SEED_001_CELLS
    assert sum(len(v) for v in cells.values()) == 61


def test_numbers_are_shown_with_their_own_decimals(workbook):
    ws = workbook["Phụ lục 2"]
    rows = _rows_by_stt(ws)
    formats = {stt: ws.cell(rows[stt], 4).number_format for stt in ("1.", "2.", "3.3.")}
    assert formats == {"1.": "#,##0", "2.": "#,##0.00", "3.3.": "0.00"}
    assert (
        workbook["Phụ lục 8"].cell(_rows_by_stt(workbook["Phụ lục 8"])["6.4."], 4).number_format
        == "#,##0.0"
    )


def test_rates_with_a_formula_are_live_formulas_over_the_rows_they_come_from(workbook):
    formulas = {}
    for title in FORMS:
        ws = workbook[title]
        formulas[title] = {
            stt: ws.cell(r, 6).value
            for stt, r in _rows_by_stt(ws).items()
            if isinstance(ws.cell(r, 6).value, str)
        }
    assert formulas == SEED_001_FORMULAS
    ws = workbook["Phụ lục 2"]
    rows = _rows_by_stt(ws)
    assert (rows["2."], rows["2.1."], rows["2.2."]) == (10, 11, 12)


def test_the_live_formula_column_is_not_printed(workbook):
    ws = workbook["Phụ lục 2"]
    assert ws.print_area == "'Phụ lục 2'!$A$1:$E$35"


def test_a_rate_formula_over_another_form_names_its_sheet():
    template = build_template(
        {
            "id": "hai-bieu",
            "title": "Hai biểu",
            "levels": ["xa"],
            "forms": [
                {"code": "A", "label": "Biểu A", "title": "A", "indicators": [
                    {"code": "1", "name": "Tổng số hồ sơ", "unit": "Hồ sơ"},
                ]},
                {"code": "B", "label": "Biểu B", "title": "B", "indicators": [
                    {"code": "1", "name": "Tỷ lệ đúng hạn", "unit": "%",
                     "formula": "[2] / A.1 * 100"},
                    {"code": "2", "name": "Số hồ sơ đúng hạn", "unit": "Hồ sơ"},
                    {"code": "3", "name": "Tỷ lệ tổng hợp", "unit": "%",
                     "formula": "sum([2], A.1) / (A.1 + 1) * 100"},
                ]},
            ],
        }
    )  # fmt: skip
    rows = {("A", "1"): 9, ("B", "1"): 9, ("B", "2"): 10, ("B", "3"): 11}

    def cell_of(ref):
        form = ref.form or "B"
        return (
            f"D{rows[(form, ref.code)]}" if form == "B" else f"'Biểu A'!D{rows[(form, ref.code)]}"
        )

    form_b = template.form("B")
    assert [excel_formula(i.formula, cell_of) for i in form_b.indicators if i.formula] == [
        "=IF(COUNT(D10,'Biểu A'!D9)<2,\"\",IFERROR(D10/'Biểu A'!D9*100,\"\"))",
        "=IF(COUNT('Biểu A'!D9)<1,\"\",IFERROR(SUM(D10,'Biểu A'!D9)/('Biểu A'!D9+1)*100,\"\"))",
    ]
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(template, ReportContent("hai-bieu", {}))))
    assert book["Biểu B"]["F9"].value == excel_formula(form_b.get("1").formula, cell_of)


def test_a_check_that_is_not_arithmetic_gets_no_excel_formula():
    template = build_template(
        {
            "id": "so-sanh",
            "title": "So sánh",
            "levels": ["xa"],
            "forms": [{"code": "A", "title": "A", "indicators": [
                {"code": "1", "name": "Số hồ sơ", "unit": "Hồ sơ"},
                {"code": "2", "name": "Có đủ", "unit": "%", "formula": "present(1)"},
            ]}],
        }
    )  # fmt: skip
    assert excel_formula(template.form("A").get("2").formula, lambda ref: "D9") is None


def test_coded_rows_get_a_drop_down_of_their_options(workbook):
    lists = {}
    for title in ("Phụ lục 2", "Phụ lục 8"):
        for dv in workbook[title].data_validations.dataValidation:
            if dv.type == "list":
                for ref in str(dv.sqref).split():
                    lists[(title, ref)] = (dv.formula1, dv.prompt, dv.showErrorMessage)
    assert lists == {
        ("Phụ lục 2", "D32"): ('"1 - Có,0 - Không"', "1 - Có; 0 - Không", True),
        ("Phụ lục 2", "D34"): (
            '"0 - Trực tuyến,1 - Phát phiếu,2 - Kết hợp"',
            "0 - Trực tuyến; 1 - Phát phiếu; 2 - Kết hợp",
            True,
        ),
        ("Phụ lục 2", "D35"): ('"0 - Không,1 - Có"', "0 - Không; 1 - Có", True),
        ("Phụ lục 8", "D9"): ('"0 - Chưa,1 - Hoàn thành"', "0 - Chưa; 1 - Hoàn thành", True),
        ("Phụ lục 8", "D10"): (
            '"0 - Chưa có,1 - 2 cấp,2 - 3 cấp"',
            "0 - Chưa có; 1 - 2 cấp; 2 - 3 cấp",
            True,
        ),
        ("Phụ lục 8", "D12"): (
            '"0 - Chưa,1 - Đang làm,2 - Hoàn thành"',
            "0 - Chưa; 1 - Đang làm; 2 - Hoàn thành",
            True,
        ),
    }


def test_counts_rates_and_amounts_get_number_validations_with_vietnamese_messages(workbook):
    rules = {
        (dv.type, dv.operator, dv.formula1, dv.formula2, dv.error)
        for dv in workbook["Phụ lục 7"].data_validations.dataValidation
    }
    assert rules == {
        ("decimal", "between", "0", "100", "Tỷ lệ (%) phải là số từ 0 đến 100, ví dụ 78,95."),
        ("decimal", "greaterThanOrEqual", "0", None, "Số tiền phải là số không âm, ví dụ 3,887."),
        ("whole", "greaterThanOrEqual", "0", None, "Số liệu phải là số nguyên không âm, ví dụ 13."),
    }
    counts = next(
        dv for dv in workbook["Phụ lục 2"].data_validations.dataValidation if dv.type == "whole"
    )
    assert "D11" in str(counts.sqref).split() and "D13" not in str(counts.sqref).split()


def test_panes_are_frozen_below_the_header_and_the_header_repeats_on_every_printed_page(workbook):
    for title in FORMS:
        ws = workbook[title]
        setup = (ws.page_setup.paperSize, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight)
        assert (ws.freeze_panes, ws.print_title_rows, setup) == ("A9", "$7:$8", (9, 1, 0))  # 9 = A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True


def test_a_value_that_reads_two_ways_stays_text_with_a_comment_and_a_fill(workbook):
    ws = workbook["Phụ lục 7"]
    cell = ws.cell(_rows_by_stt(ws)["1.1."], 4)
    assert (cell.value, cell.fill.fgColor.rgb) == ("3,887", "00FCE4D6")
    assert cell.comment.text == (
        "«3,887» đọc được hai cách (3,887 hoặc 3.887); cần xác nhận. Ô giữ nguyên chữ như đã ghi."
    )


def test_a_code_outside_its_options_is_kept_and_flagged(workbook):
    ws = workbook["Phụ lục 8"]
    cell = ws.cell(_rows_by_stt(ws)["2."], 4)
    assert (cell.value, cell.comment.text) == (
        3,
        "Mã 3 không có trong các lựa chọn: 0 - Chưa có; 1 - 2 cấp; 2 - 3 cấp.",
    )


def test_a_blank_report_gives_a_form_ready_to_fill_offline(seed_001, tmp_path):
    template, _ = seed_001
    path = tmp_path / "trong.xlsx"
    path.write_bytes(render_xlsx(template, ReportContent(template.id, {})))
    ws = openpyxl.load_workbook(path)["Phụ lục 2"]
    assert [ws.cell(r, 4).value for r in range(9, 36)] == [None] * 27
    assert ws["F10"].value == _live("D12", "D11")
    assert (
        ws["E22"].value == "do UBND huyện chuyển xử lý theo lĩnh vực của đơn vị được giao về CCHC"
    )
    assert (ws["A1"].value, ws["A4"].value, ws["A5"].value) == (None, None, None)


def test_the_same_report_gives_the_same_bytes(seed_001):
    assert render_xlsx(*seed_001) == render_xlsx(*seed_001)


def test_the_writer_says_what_it_writes(seed_001):
    writer = XlsxWriter()
    assert (writer.identifier, writer.extension, writer.media_type) == ("xlsx", ".xlsx", MEDIA_TYPE)
    assert writer.render(*seed_001) == render_xlsx(*seed_001)


def test_sheet_names_are_cut_to_31_characters_cleaned_and_unique():
    labels = [
        "Biểu 1/2: [tạm]*",
        "Biểu mẫu thống kê cải cách hành chính số 1",
        "Biểu mẫu thống kê cải cách hành chính số 2",
        "_cchc",
    ]
    template = build_template(
        {
            "id": "ten-bieu",
            "title": "Tên biểu",
            "levels": ["xa"],
            "forms": [
                {"code": f"F{n}", "label": label, "title": "T",
                 "indicators": [{"code": "1", "name": "Số", "unit": "Văn bản"}]}
                for n, label in enumerate(labels)
            ],
        }
    )  # fmt: skip
    assert sheet_titles(template) == {
        "F0": "Biểu 1-2- -tạm--",
        "F1": "Biểu mẫu thống kê cải cách hành",
        "F2": "Biểu mẫu thống kê cải cách (2)",
        "F3": "_cchc (2)",
    }


def test_values_outside_the_template_are_not_written(seed_001, tmp_path: Path):
    template, _ = seed_001
    extra = ReportContent(
        template.id, {"PL2": {"99": Entry("5")}, "PL99": {"1": Entry("7")}}, unit="UBND xã A"
    )
    path = tmp_path / "x.xlsx"
    path.write_bytes(render_xlsx(template, extra))
    ws = openpyxl.load_workbook(path)["Phụ lục 2"]
    assert [ws.cell(r, 4).value for r in range(9, ws.max_row + 1)] == [None] * 27


def test_the_sample_in_docs_is_the_workbook_of_seed_001(seed_001):
    sample = ROOT / "docs" / "samples" / "bao-cao-huong-son-6-thang-2024.xlsx"
    assert sample.read_bytes() == render_xlsx(*seed_001), (
        "docs/samples is out of date: write render_xlsx(import_report(seed 001)) to it again"
    )


HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"


def _hostile():
    """A template and a report whose every text starts like a formula."""
    template = build_template(
        {
            "id": "doc-hai",
            "title": "Mẫu có chữ độc",
            "levels": ["xa"],
            "forms": [{"code": "A", "label": "=Biểu/1?[x]:*", "title": "=1+2", "indicators": [
                {"code": "1", "name": "=SUM(1,2)", "unit": "@Hồ sơ", "remark": "-ghi chú mẫu"},
                {"code": "2", "name": "+Số đúng hạn", "unit": "Hồ sơ"},
                {"code": "3", "name": "Tỷ lệ đúng hạn", "unit": "%", "formula": "[2] / [1] * 100"},
                {"code": "4", "name": "Số tiền", "unit": "Triệu đồng", "kind": "amount"},
                {"code": "5", "name": "Ý kiến", "kind": "text"},
            ]}],
        }
    )  # fmt: skip
    content = ReportContent(
        "doc-hai",
        {
            "A": {
                "1": Entry("-5", note=HYPERLINK),
                "2": Entry("=1+1"),
                "4": Entry("-2,5"),
                "5": Entry(DDE),
            }
        },
        unit=DDE,
    )
    return template, content


def test_texts_that_start_like_formulas_are_text_cells_and_only_our_own_formulas_are_live():
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(*_hostile())))
    assert book.sheetnames == ["=Biểu-1--x---", "_cchc"]
    formulas = {
        (ws.title, c.coordinate): c.value
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }
    assert formulas == {("=Biểu-1--x---", "F11"): _live("D10", "D9")}
    ws = book["=Biểu-1--x---"]
    cells = {ref: (ws[ref].value, ws[ref].data_type) for ref in ("A1", "A2", "A3", "B9", "C9")}
    assert cells == {
        "A1": (f"Đơn vị: {DDE}", "s"),
        "A2": ("=Biểu/1?[x]:*", "s"),
        "A3": ("=1+2", "s"),
        "B9": ("=SUM(1,2)", "s"),
        "C9": ("@Hồ sơ", "s"),
    }
    rows = [[(c.value, c.data_type) for c in ws[f"B{r}:E{r}"][0]] for r in range(9, 14)]
    assert rows == [
        [("=SUM(1,2)", "s"), ("@Hồ sơ", "s"), (-5, "n"), (HYPERLINK, "s")],
        [("+Số đúng hạn", "s"), ("Hồ sơ", "s"), ("=1+1", "s"), (None, "n")],
        [("Tỷ lệ đúng hạn", "s"), ("%", "s"), (None, "n"), (None, "n")],
        [("Số tiền", "s"), ("Triệu đồng", "s"), (-2.5, "n"), (None, "n")],
        [("Ý kiến", "s"), (None, "n"), (DDE, "s"), (None, "n")],
    ]
    assert [ws[ref].quotePrefix for ref in ("E9", "D10", "D12", "D13")] == [True, True, False, True]


def test_a_note_that_starts_like_a_formula_reads_back_from_the_workbook_as_written(tmp_path):
    path = tmp_path / "doc-hai.xlsx"
    template, content = _hostile()
    path.write_bytes(render_xlsx(template, content))
    imported = import_report(path, template, {"doc-hai": template})
    assert {c: (e.raw, e.note) for c, e in imported.values["A"].items()} == {
        "1": ("-5", HYPERLINK),
        "2": ("=1+1", ""),
        "4": ("-2,5", ""),
        "5": (DDE, ""),
    }


def test_libreoffice_shows_a_note_that_starts_like_a_formula_as_its_text(tmp_path):
    source = tmp_path / "doc-hai.xlsx"
    source.write_bytes(render_xlsx(*_hostile()))
    saved = saved_by_libreoffice(source, tmp_path)
    ws = openpyxl.load_workbook(saved, data_only=True).worksheets[0]
    assert [ws[ref].value for ref in ("E9", "D10", "D13", "A1")] == [
        HYPERLINK,
        "=1+1",
        DDE,
        f"Đơn vị: {DDE}",
    ]
