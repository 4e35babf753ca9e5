"""The report as a Word file: seed 001 written, then opened again with python-docx.

Each test reads the saved file, never the writer's internals: page, fonts and
sizes of every header element, the order of the parts, the page numbering,
the appendix tables and every one of seed 001's 61 values in its row.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from cchc.bundled_templates import get_template
from cchc.cli import main
from cchc.core.report_content import DocumentHeader, NarrativePart, ReportContent
from cchc.core.values import Entry
from cchc.documents import writer_for
from cchc.documents.docx_body import paragraphs
from cchc.documents.docx_frame import MOTTO, distribution_lines, number_line
from cchc.documents.docx_markup import FONT, text_width
from cchc.documents.docx_writer import (
    FORM_HEADINGS,
    MEDIA_TYPE,
    DocxWriter,
    appendix_label,
    display_value,
    render_docx,
)
from cchc.importers.report_file import import_report, report_content
from tests.importers.test_seed_001_values import SEED_001_VALUES
from tests.seeds import SEED_001

REFERENCE = (
    "(Kèm theo Báo cáo số 341/BC-UBND ngày 10 tháng 6 năm 2024 của Ủy ban nhân dân xã Hương Sơn)"
)
HEADINGS = [
    "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
    "1. Xây dựng, ban hành chương trình kế hoạch CCHC",
    "2. Về tổ chức chỉ đạo, điều hành thực hiện công tác CCHC",
    "3. Công tác tuyên truyền CCHC",
    "4. Về kiểm tra CCHC",
    "5. Kết quả thực hiện các nhiệm vụ được UBND tỉnh, huyện giao",
    "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
    "1. Về cải cách thể chế",
    "2. Về cải cách thủ tục hành chính",
    "3. Cải cách tổ chức bộ máy",
    "4. Cải cách chế độ công vụ",
    "5. Về cải cách tài chính công",
    "6. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    "III. ĐÁNH GIÁ CHUNG",
    "1. Mặt tích cực",
    "2. Tồn tại, hạn chế",
    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ CCHC 6 THÁNG CUỐI NĂM 2024",
    "1. Công tác chỉ đạo, điều hành",
    "2. Về cải cách thể chế",
    "3. Về cải cách thủ tục hành chính",
    "4. Về cải cách tổ chức bộ máy hành chính Nhà nước",
    "5. Cải cách chế độ công vụ",
    "6. Cải cách tài chính công",
    "7. Xây dựng và phát triển chính quyền điện tử, chính quyền số",
    "V. KIẾN NGHỊ, ĐỀ XUẤT: Không có",
]
APPENDICES = [
    ("Phụ lục I", "Phụ lục 2", "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"),
    ("Phụ lục II", "Phụ lục 3", "CẢI CÁCH THỂ CHẾ"),
    ("Phụ lục III", "Phụ lục 4", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"),
    ("Phụ lục IV", "Phụ lục 5", "CẢI CÁCH TỔ CHỨC BỘ MÁY"),
    ("Phụ lục V", "Phụ lục 6", "CẢI CÁCH CHẾ ĐỘ CÔNG VỤ"),
    ("Phụ lục VI", "Phụ lục 7", "CẢI CÁCH TÀI CHÍNH CÔNG"),
    ("Phụ lục VII", "Phụ lục 8", "XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ"),
]
# How the form prints what seed 001 wrote, where that differs: rates without
# "%" (the unit column says it), no leading zero; "3,887" reads two ways and
# stays exactly as written.
PRINTED = {("PL2", "2"): "78,94", ("PL4", "2.1"): "1", ("PL6", "1.1"): "1"}


@pytest.fixture(scope="module")
def imported():
    return import_report(SEED_001)


@pytest.fixture(scope="module")
def data(imported) -> bytes:
    return render_docx(imported.template, report_content(imported))


@pytest.fixture(scope="module")
def doc(data):
    return Document(io.BytesIO(data))


def look(p) -> tuple[str, float, bool, bool]:
    """(text, size, bold, italic) of a paragraph whose runs all look the same."""
    runs = [r for r in p.runs if r.text]
    sizes = {r.font.size.pt for r in runs}
    bold = {bool(r.bold) for r in runs}
    italic = {bool(r.italic) for r in runs}
    assert len(sizes) == len(bold) == len(italic) == 1, p.text
    return (p.text, sizes.pop(), bold.pop(), italic.pop())


def texts(cell) -> list[tuple[str, float, bool, bool]]:
    return [look(p) for p in cell.paragraphs if p.text]


def body_paragraphs(doc) -> list:
    return list(doc.paragraphs)


def rule_width_pt(p, available_pt: float) -> float | None:
    """The length of the rule a paragraph draws (its bottom border), in points."""
    ppr = p._p.pPr
    if ppr is None or ppr.find(qn("w:pBdr")) is None:
        return None
    fmt = p.paragraph_format
    return available_pt - fmt.left_indent.pt - fmt.right_indent.pt


def test_the_writer_is_found_by_its_extension_and_says_what_it_makes() -> None:
    writer = writer_for(".DOCX")
    assert (type(writer), writer.identifier, writer.extension, writer.media_type) == (
        DocxWriter,
        "docx",
        ".docx",
        MEDIA_TYPE,
    )


def test_an_unknown_extension_is_refused_in_vietnamese() -> None:
    with pytest.raises(ValueError) as caught:
        writer_for("odt")
    assert str(caught.value) == (
        "Không xuất được tệp «.odt»: cchc chỉ xuất .docx (Word), .xlsx (Excel) và .pdf."
    )


def test_every_section_is_a4_with_the_decree_30_margins(doc) -> None:
    pages = {
        (
            round(s.page_width.mm),
            round(s.page_height.mm),
            round(s.top_margin.mm),
            round(s.bottom_margin.mm),
            round(s.left_margin.mm),
            round(s.right_margin.mm),
        )
        for s in doc.sections
    }
    assert pages == {(210, 297, 20, 20, 30, 15)}


def test_times_new_roman_is_set_for_every_script_everywhere(data, doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    expected = {qn(f"w:{a}"): FONT for a in ("ascii", "hAnsi", "cs", "eastAsia")}
    assert dict(fonts.attrib) == expected  # no theme font left to override it
    every = list(doc.element.body.iter(qn("w:rFonts")))
    every += list(doc.sections[0].header._element.iter(qn("w:rFonts")))
    assert len(every) > 1000
    assert {tuple(sorted(f.attrib.items())) for f in every} == {tuple(sorted(expected.items()))}
    assert doc.styles["Normal"].font.size.pt == 14


def test_the_header_block_has_each_element_in_its_size_and_style(doc) -> None:
    header = doc.tables[0]
    assert texts(header.cell(0, 0)) == [("ỦY BAN NHÂN DÂN\nXÃ HƯƠNG SƠN", 13, True, False)]
    assert texts(header.cell(0, 1)) == [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, True, False),
        ("Độc lập - Tự do - Hạnh phúc", 13, True, False),
    ]
    assert texts(header.cell(1, 0)) == [("Số: 341/BC-UBND", 13, False, False)]
    assert texts(header.cell(1, 1)) == [("Hương Sơn, ngày 10 tháng 6 năm 2024", 14, False, True)]
    for cell in header._cells:
        assert {p.alignment for p in cell.paragraphs} == {WD_ALIGN_PARAGRAPH.CENTER}
    borders = {edge.get(qn("w:val")) for edge in header._tbl.tblPr.find(qn("w:tblBorders"))}
    assert borders == {"nil"}


def test_the_rules_under_the_issuing_body_and_the_motto_have_their_lengths(doc) -> None:
    header = doc.tables[0]
    left = header.cell(0, 0)
    right = header.cell(0, 1)
    left_width = left.width.pt - 2 * 5.4
    right_width = right.width.pt - 2 * 5.4
    [body_rule] = [w for p in left.paragraphs if (w := rule_width_pt(p, left_width))]
    [motto_rule] = [w for p in right.paragraphs if (w := rule_width_pt(p, right_width))]
    agency = text_width("ỦY BAN NHÂN DÂN", 13, bold=True).pt
    assert agency / 3 <= body_rule <= agency / 2  # Decree 30: 1/3 to 1/2 of the name
    assert abs(motto_rule - text_width(MOTTO, 13, bold=True).pt) < 1  # as long as the motto


def test_the_parts_of_the_report_come_in_the_decree_30_order(doc) -> None:
    body = doc.element.body
    order: list[str] = []
    for child in body:
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text:
                order.append(text)
        elif child.tag == qn("w:tbl"):
            order.append(f"<table {len([x for x in order if x.startswith('<table')])}>")
    landmarks = [
        "<table 0>",
        "BÁO CÁO",
        "Kết quả triển khai thực hiện công tác cải cách hành chính 6 tháng đầu năm và "
        "phương hướng, nhiệm vụ 6 tháng cuối năm 2024",
        "Kính gửi: Ủy ban nhân dân huyện Nam Đông",
        *HEADINGS,
        "<table 1>",
    ]
    for label, _, title in APPENDICES:
        landmarks += [label, f"BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO {title}", REFERENCE]
    found, cursor = [], 0
    for landmark in landmarks:  # each one after the one before
        if landmark in order[cursor:]:
            cursor = order.index(landmark, cursor) + 1
            found.append(landmark)
    assert found == landmarks
    assert order[1:4] == landmarks[1:4]  # nothing between the header and Kính gửi


def test_the_outline_headings_are_exactly_those_of_the_report(doc) -> None:
    headings = [p.text for p in doc.paragraphs if p._p.pPr.find(qn("w:outlineLvl")) is not None]
    assert headings == HEADINGS


def test_title_summary_and_kinh_gui_have_their_styles(doc) -> None:
    paras = [p for p in doc.paragraphs if p.text][:3]
    assert [look(p) for p in paras] == [
        ("BÁO CÁO", 14, True, False),
        (
            "Kết quả triển khai thực hiện công tác cải cách hành chính 6 tháng đầu năm và "
            "phương hướng, nhiệm vụ 6 tháng cuối năm 2024",
            14,
            True,
            False,
        ),
        ("Kính gửi: Ủy ban nhân dân huyện Nam Đông", 14, False, False),
    ]


def test_headings_are_bold_and_section_titles_upper_case(doc) -> None:
    by_text = {p.text: p for p in doc.paragraphs}
    assert look(by_text["I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"])[1:] == (14, True, False)
    assert look(by_text["1. Xây dựng, ban hành chương trình kế hoạch CCHC"])[1:] == (
        14,
        True,
        False,
    )


def test_body_text_is_14pt_justified_indented_and_spaced(doc) -> None:
    p = next(p for p in doc.paragraphs if p.text.startswith("Thực hiện Chương trình"))
    fmt = p.paragraph_format
    assert (
        look(p)[1:],
        p.alignment,
        round(fmt.first_line_indent.cm, 2),
        fmt.space_after.pt,
        fmt.line_spacing,
    ) == ((14, False, False), WD_ALIGN_PARAGRAPH.JUSTIFY, 1.27, 6, 1.15)


def test_a_paragraph_cut_by_a_page_break_of_the_source_is_joined_again() -> None:
    assert paragraphs("Kế hoạch triển khai, giáo dục\n\npháp luật 2024.\n\n- Một ý.") == [
        "Kế hoạch triển khai, giáo dục pháp luật 2024.",
        "- Một ý.",
    ]


def test_noi_nhan_and_the_signer_block_sit_side_by_side(doc) -> None:
    closing = doc.tables[1]
    assert texts(closing.cell(0, 0)) == [
        ("Nơi nhận:", 12, True, True),
        ("- Như trên;", 11, False, False),
        ("- Phòng Nội vụ huyện;", 11, False, False),
        ("- CT, PCT UBND xã;", 11, False, False),
        ("- Các bộ phận chuyên môn UBND xã;", 11, False, False),
        ("- Lưu: VT.", 11, False, False),
    ]
    assert texts(closing.cell(0, 1)) == [
        ("TM. ỦY BAN NHÂN DÂN", 14, True, False),
        ("CHỦ TỊCH", 14, True, False),
        ("Hồ Thanh Nghi", 14, True, False),
    ]
    name = closing.cell(0, 1).paragraphs[-1]
    assert name.paragraph_format.space_before.pt >= 72  # room to sign and seal


def test_the_distribution_list_starts_with_nhu_tren_and_ends_with_luu() -> None:
    h = DocumentHeader(recipients=["Sở Nội vụ"], distribution=["Phòng Nội vụ"])
    assert distribution_lines(h) == ["- Như trên;", "- Phòng Nội vụ;", "- Lưu: VT."]


def test_numbers_under_ten_get_a_leading_zero() -> None:
    assert [number_line(DocumentHeader(number=n, symbol="BC-UBND")) for n in ("5", "12")] == [
        "Số: 05/BC-UBND",
        "Số: 12/BC-UBND",
    ]


def test_pages_are_numbered_at_the_top_from_page_two_restarting_in_each_appendix(doc) -> None:
    sections = doc.sections
    assert len(sections) == 1 + len(APPENDICES)
    assert {s.different_first_page_header_footer for s in sections} == {True}
    header = sections[0].header
    instructions = [t.text for t in header._element.iter(qn("w:instrText"))]
    chars = [c.get(qn("w:fldCharType")) for c in header._element.iter(qn("w:fldChar"))]
    assert (instructions, chars) == ([" PAGE "], ["begin", "separate", "end"])
    assert header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert sections[0].first_page_header.paragraphs[0].text == ""
    assert [s.header.is_linked_to_previous for s in sections] == [False] + [True] * 7
    starts = [
        s._sectPr.find(qn("w:pgNumType")).get(qn("w:start"))
        if s._sectPr.find(qn("w:pgNumType")) is not None
        else None
        for s in sections
    ]
    assert starts == [None] + ["1"] * 7


def test_each_appendix_has_its_label_title_and_reference_line(doc) -> None:
    paras = [p for p in doc.paragraphs if p.text]
    for label, own, title in APPENDICES:
        n = next(i for i, p in enumerate(paras) if p.text == label)
        assert [look(p) for p in paras[n - 1 : n + 3]] == [
            (f"Mẫu: {own}", 12, False, True),
            (label, 14, True, False),
            (f"BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO {title}", 14, True, False),
            (REFERENCE, 14, False, True),
        ]


def test_appendix_labels_are_roman_when_there_are_several() -> None:
    assert [appendix_label(n, 3) for n in range(3)] + [appendix_label(0, 1)] == [
        "Phụ lục I",
        "Phụ lục II",
        "Phụ lục III",
        "Phụ lục",
    ]


def test_form_tables_repeat_their_header_row_and_never_split_a_row(doc) -> None:
    for table in doc.tables[2:]:
        flags = [
            (
                tr.trPr.find(qn("w:tblHeader")) is not None,
                tr.trPr.find(qn("w:cantSplit")) is not None,
            )
            for tr in table._tbl.tr_lst
        ]
        assert flags == [(True, True)] + [(False, True)] * (len(flags) - 1)
        assert [c.text for c in table.rows[0].cells] == list(FORM_HEADINGS)
        assert {look(c.paragraphs[0])[1:] for c in table.rows[0].cells} == {(12, True, False)}


def test_every_value_of_seed_001_is_printed_in_its_row(doc, imported) -> None:
    printed: dict[tuple[str, str], str] = {}
    notes: dict[tuple[str, str], str] = {}
    forms = [f.code for f in imported.template.forms]
    for form, table in zip(forms, doc.tables[2:], strict=True):
        for row in table.rows[1:]:
            stt, _, _, value, note = (c.text for c in row.cells)
            if value:
                printed[(form, stt.rstrip("."))] = value
            if note:
                notes[(form, stt.rstrip("."))] = note
    expected = {(f, c): PRINTED.get((f, c), raw) for f, c, raw in SEED_001_VALUES}
    assert len(expected) == 61
    assert printed == expected
    remark = "do UBND huyện chuyển xử lý theo lĩnh vực của đơn vị được giao về CCHC"
    assert notes == {("PL2", "5"): remark, ("PL2", "6"): remark}


def test_rows_show_notes_in_italics_headings_in_bold_and_options_one_a_line(doc) -> None:
    rows = {r.cells[0].text: r for r in doc.tables[2].rows[1:]}
    name = rows["1."].cells[1].paragraphs[0]
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in name.runs] == [
        ("Số văn bản chỉ đạo CCHC đã ban hành", False, False),
        (" (Kết luận, chỉ thị, công văn chỉ đạo, quán triệt)", False, True),
    ]
    assert look(rows["3."].cells[1].paragraphs[0]) == ("Kiểm tra CCHC", 12, True, False)
    assert rows["7.2."].cells[2].text == "Trực tuyến = 0\nPhát phiếu = 1\nKết hợp = 2"
    assert rows["7."].cells[2].text == "Có = 1;\nKhông = 0"


@pytest.mark.parametrize(
    ("code", "raw", "printed"),
    [
        ("1.1", "1102", "1.102"),  # a count: Vietnamese grouping
        ("1.1", "3,887", "3,887"),  # reads two ways: exactly as written
        ("1.1", "nhiều", "nhiều"),  # not a number: exactly as written
        ("1", "78,5%", "78,5"),  # a rate: the unit column says %
    ],
)
def test_values_are_printed_the_vietnamese_way(code, raw, printed) -> None:
    ind = get_template("pl-2024").indicator("PL7", code)
    assert display_value(ind, Entry(raw)) == printed


def test_a_coded_answer_written_as_its_label_is_printed_as_its_code() -> None:
    ind = get_template("pl-2024").indicator("PL2", "7.2")
    assert display_value(ind, Entry("Kết hợp")) == "2"


def _content(narrative: list[NarrativePart]) -> ReportContent:
    return ReportContent(
        template_id="pl-2024",
        values={},
        unit="UBND xã Hà Vinh",
        header=DocumentHeader(number="7", symbol="BC-UBND", place="Hà Vinh", date=date(2025, 1, 5)),
        narrative=narrative,
    )


def test_a_report_without_narrative_shows_the_whole_outline_as_a_draft() -> None:
    template = get_template("pl-2024")
    doc = Document(io.BytesIO(render_docx(template, _content([]))))
    headings = [p for p in doc.paragraphs if p._p.pPr.find(qn("w:outlineLvl")) is not None]
    assert len(headings) == len(template.all_sections())
    assert headings[0].text == "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH"
    assert texts(doc.tables[0].cell(1, 0)) == [("Số: 07/BC-UBND", 13, False, False)]
    assert texts(doc.tables[0].cell(1, 1)) == [
        ("Hà Vinh, ngày 05 tháng 01 năm 2025", 14, False, True)
    ]


def test_points_are_italic_and_a_part_outside_the_outline_is_kept_in_place() -> None:
    narrative = [
        NarrativePart("II.1", "Về cải cách thể chế", "", "1", 2),
        NarrativePart(
            "II.1.a", "Kết quả xây dựng, ban hành văn bản QPPL", "Không ban hành.", "a", 3
        ),
        NarrativePart("II.1.x", "Việc riêng của xã", "Nội dung riêng.", "đ", 3),
    ]
    doc = Document(io.BytesIO(render_docx(get_template("pl-2024"), _content(narrative))))
    paras = [p for p in doc.paragraphs if p.text]
    start = next(i for i, p in enumerate(paras) if p.text == "1. Về cải cách thể chế")
    assert [p.text for p in paras[start : start + 5]] == [
        "1. Về cải cách thể chế",
        "a) Kết quả xây dựng, ban hành văn bản QPPL",
        "Không ban hành.",
        "đ) Việc riêng của xã",
        "Nội dung riêng.",
    ]
    point = paras[start + 1]
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in point.runs] == [
        ("a) ", False, False),
        ("Kết quả xây dựng, ban hành văn bản QPPL", False, True),
    ]


def test_a_part_is_matched_by_its_title_when_its_code_is_unknown() -> None:
    narrative = [
        NarrativePart("", "", "Mở đầu.", "", 0),
        NarrativePart("9", "Đánh giá chung", "Tốt.", "9", 1),
    ]
    doc = Document(io.BytesIO(render_docx(get_template("pl-2024"), _content(narrative))))
    paras = [p.text for p in doc.paragraphs if p.text]
    n = paras.index("III. ĐÁNH GIÁ CHUNG")
    assert (paras[paras.index("Mở đầu.") - 1], paras[n + 1]) == ("BÁO CÁO", "Tốt.")


def test_render_writes_a_docx_from_a_report_and_from_a_values_file(capsys, tmp_path) -> None:
    out = tmp_path / "bao-cao.docx"
    code = main(["render", str(SEED_001), "-o", str(out)])
    printed = capsys.readouterr().out
    assert (code, printed.split(" (")[0]) == (0, f"Đã ghi {out}")
    assert Document(str(out)).paragraphs[0].text == "BÁO CÁO"
    main(["import", str(SEED_001), "--json"])
    values = tmp_path / "so-lieu.json"
    values.write_text(capsys.readouterr().out, encoding="utf-8")
    again = tmp_path / "lai.docx"
    assert main(["render", str(values), "-o", str(again)]) == 0
    assert [p.text for p in Document(str(again)).paragraphs if p.text][:25] == [
        p.text for p in Document(str(out)).paragraphs if p.text
    ][:25]


def test_render_refuses_an_unknown_extension_before_reading_anything(capsys, tmp_path) -> None:
    out = tmp_path / "bao-cao.odt"
    code = main(["render", str(tmp_path / "khong-co.txt"), "-o", str(out)])
    err = capsys.readouterr().err
    assert (code, err.strip()) == (
        2,
        f"Lỗi: {out}: Không xuất được tệp «.odt»: cchc chỉ xuất .docx (Word), "
        ".xlsx (Excel) và .pdf.",
    )
    assert not out.exists()


def test_render_says_when_the_input_cannot_be_read(capsys, tmp_path) -> None:
    missing = tmp_path / "khong-co.txt"
    code = main(["render", str(missing), "-o", str(tmp_path / "x.docx")])
    assert (code, "không mở được tệp" in capsys.readouterr().err) == (2, True)


def test_the_committed_sample_is_what_the_writer_makes_today(data) -> None:
    """docs/samples/…docx is regenerated with `cchc render` whenever the layout changes."""
    sample = SEED_001.parents[3] / "docs" / "samples" / "bao-cao-huong-son-6-thang-2024.docx"
    parts = ("word/document.xml", "word/styles.xml", "word/header1.xml")
    with zipfile.ZipFile(sample) as committed, zipfile.ZipFile(io.BytesIO(data)) as fresh:
        assert [committed.read(p) for p in parts] == [fresh.read(p) for p in parts]


def test_the_file_carries_no_preview_or_program_name_of_the_blank_template(data) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        app = package.read("docProps/app.xml").decode()
    assert ([n for n in names if "thumbnail" in n], "<Application>cchc</Application>" in app) == (
        [],
        True,
    )
