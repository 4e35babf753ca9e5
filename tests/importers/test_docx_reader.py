"""Reading Word reports: our own written back, a hand-made one, and hostile files refused."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_BREAK

from cchc.cli import main
from cchc.documents.docx_writer import display_value, render_docx
from cchc.importers.docx_reader import read_docx_report
from cchc.importers.errors import ImportError_
from cchc.importers.report_file import import_report, report_content
from cchc.importers.safety import (
    MAX_UPLOAD_BYTES,
    UnsafeFileError,
    check_office_file,
)
from cchc.importers.seed_text import Row, Table
from tests.seeds import SEED_001


@pytest.fixture(scope="module")
def text_import():
    return import_report(SEED_001)


@pytest.fixture(scope="module")
def written(text_import, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("docx") / "bao-cao-huong-son.docx"
    path.write_bytes(render_docx(text_import.template, report_content(text_import)))
    return path


@pytest.fixture(scope="module")
def word_import(written):
    return import_report(written)


# ---------------------------------------------------------------- our own report, read back


def test_the_written_report_maps_onto_the_same_template(word_import) -> None:
    assert (word_import.template.id, word_import.how, word_import.score) == ("pl-2024", "auto", 1.0)
    assert word_import.findings == []


def test_the_written_report_gives_back_exactly_the_values_of_the_text(
    text_import, word_import
) -> None:
    """Same forms, codes, notes; each raw text is what the form printed for it."""
    template = text_import.template
    expected = {
        (form, code): (display_value(template.indicator(form, code), e), e.note)
        for form, values in text_import.values.items()
        for code, e in values.items()
    }
    got = {
        (form, code): (e.raw, e.note)
        for form, values in word_import.values.items()
        for code, e in values.items()
    }
    assert got == expected
    assert len([v for v in got.values() if v[0]]) == 61
    assert got[("PL7", "1.1")] == ("3,887", "")  # ambiguous: exactly as written


def test_the_written_report_gives_back_its_document_facts(word_import) -> None:
    h = word_import.document.header
    assert (h.issuing_body, h.number, h.symbol, h.place, str(h.date), h.doc_type) == (
        "ỦY BAN NHÂN DÂN XÃ HƯƠNG SƠN",
        "341",
        "BC-UBND",
        "Hương Sơn",
        "2024-06-10",
        "BÁO CÁO",
    )
    assert (h.recipients, h.signing_authority, h.signer, h.unit) == (
        ["Ủy ban nhân dân huyện Nam Đông"],
        ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        "Hồ Thanh Nghi",
        "UBND xã Hương Sơn",
    )
    assert h.distribution == [
        "Như trên",
        "Phòng Nội vụ huyện",
        "CT, PCT UBND xã",
        "Các bộ phận chuyên môn UBND xã",
        "Lưu: VT",
    ]


def test_the_written_report_gives_back_its_outline(text_import, word_import) -> None:
    def outline(result):
        return [(s.code, s.title) for s in result.document.narrative]

    assert outline(word_import) == outline(text_import)
    intro = word_import.document.narrative[0].text
    assert intro == text_import.document.narrative[0].text


def test_each_appendix_is_one_table_with_its_caption(word_import) -> None:
    tables = word_import.document.tables
    assert [(t.label, len(t.rows), t.value_header) for t in tables] == [
        ("Phụ lục I", 27, "Số liệu"),
        ("Phụ lục II", 14, "Số liệu"),
        ("Phụ lục III", 25, "Số liệu"),
        ("Phụ lục IV", 21, "Số liệu"),
        ("Phụ lục V", 16, "Số liệu"),
        ("Phụ lục VI", 13, "Số liệu"),
        ("Phụ lục VII", 35, "Số liệu"),
    ]
    assert tables[0].title == (
        "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"
    )


def test_row_numbers_run_across_the_tables_of_the_document(word_import) -> None:
    lines = [row.line for t in word_import.document.tables for row in t.rows]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    first = word_import.document.tables[0]
    assert (first.line, first.rows[0].line, word_import.document.tables[1].rows[0].line) == (
        1,
        2,
        30,
    )  # 27 rows + header of Phụ lục I, then the header of Phụ lục II


def test_cchc_import_reads_a_docx(capsys, written) -> None:
    code = main(["import", str(written)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Số, ký hiệu: 341/BC-UBND" in out.splitlines()


# ---------------------------------------------------------------- a hand-made report


def _form_table(doc, rows: list[list[str]], two_row_header: bool):
    table = doc.add_table(rows=2 if two_row_header else 1, cols=5)
    if two_row_header:
        stt = table.cell(0, 0).merge(table.cell(1, 0))
        name = table.cell(0, 1).merge(table.cell(1, 1))
        result = table.cell(0, 2).merge(table.cell(0, 3))
        note = table.cell(0, 4).merge(table.cell(1, 4))
        stt.text, name.text, result.text, note.text = (
            "STT",
            "Chỉ tiêu thống kê",
            "Kết quả thống kê",
            "Ghi chú",
        )
        table.cell(1, 2).text, table.cell(1, 3).text = "Đơn vị tính", "Số liệu"
    else:
        for cell, text in zip(
            table.rows[0].cells,
            ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"],
            strict=True,
        ):
            cell.text = text
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            lines = text.split("\n")
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(lines[0])
            for line in lines[1:]:
                run.add_break(WD_BREAK.LINE)
                run.add_text(line)
            run.bold = values[0] == "3."
    return table


def _hand_made() -> bytes:
    doc = Document()
    doc.add_paragraph("ỦY BAN NHÂN DÂN XÃ HÀ VINH")
    doc.add_paragraph("Số: 05/BC-UBND")
    doc.add_paragraph("Phụ lục 1")
    doc.add_paragraph("BIỂU TỔNG HỢP SỐ LIỆU")
    _form_table(
        doc,
        [
            ["1.", "Số văn bản chỉ đạo CCHC\nđã ban hành", "Văn bản", "13", ""],
            ["2.", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", "78,94", "lũy kế"],
            ["2.1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "19", ""],
        ],
        two_row_header=True,
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _form_table(
        doc,
        [
            ["3.", "Kiểm tra CCHC", "", "", ""],
            ["3.1", "Hình thức khảo sát", "Trực tuyến = 0\nPhát phiếu = 1\nKết hợp = 2", "2", ""],
        ],
        two_row_header=False,
    )
    doc.add_paragraph("Bảng 2")
    table = doc.add_table(rows=2, cols=5)
    for cell, text in zip(
        table.rows[0].cells, ["STT", "Chỉ tiêu", "Số liệu", "Đơn vị tính", ""], strict=True
    ):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["1", "Số cuộc đối thoại", "4", "Cuộc", ""], strict=True
    ):
        cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_hand_made_docx_with_merged_split_and_repeated_headers_is_read() -> None:
    doc = read_docx_report(_hand_made(), "tu-lam.docx")
    assert doc.tables == [
        Table(
            line=1,
            label="Phụ lục 1",
            title="BIỂU TỔNG HỢP SỐ LIỆU",
            caption=["Phụ lục 1", "BIỂU TỔNG HỢP SỐ LIỆU"],
            value_header="Số liệu",
            rows=[
                Row(3, "1.", "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản", "13"),
                Row(4, "2.", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", "78,94", "lũy kế"),
                Row(5, "2.1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "19"),
                Row(7, "3.", "Kiểm tra CCHC", bold=True),
                Row(
                    8,
                    "3.1",
                    "Hình thức khảo sát",
                    "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2",
                    "2",
                ),
            ],
        ),
        Table(
            line=9,
            label="Bảng 2",
            title="",
            caption=["Bảng 2"],
            value_header="Số liệu",
            rows=[Row(10, "1", "Số cuộc đối thoại", "Cuộc", "4")],
        ),
    ]
    assert (doc.header.issuing_body, doc.header.number) == ("ỦY BAN NHÂN DÂN XÃ HÀ VINH", "05")


# ---------------------------------------------------------------- hostile files


def _docx_with(part: str, content: bytes) -> bytes:
    """A real report with one part replaced."""
    source = zipfile.ZipFile(io.BytesIO(_hand_made()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == part else source.read(item))
    return out.getvalue()


def refusal(data: bytes, **limits) -> str:
    with pytest.raises(UnsafeFileError) as caught:
        check_office_file(data, "bao-cao.docx", "docx", **limits)
    return str(caught.value)


def test_a_file_that_is_not_a_zip_is_refused() -> None:
    assert refusal(b"BAO CAO 6 THANG") == (
        "bao-cao.docx: không phải tệp Word (.docx) (không đúng định dạng nén Office)."
    )


def test_an_old_binary_doc_is_refused_with_the_way_out() -> None:
    assert refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100) == (
        "bao-cao.docx: đây là tệp Office dạng cũ (.doc/.xls), không phải Word (.docx); "
        "hãy mở bằng Word/Excel và lưu lại dưới dạng Word (.docx)."
    )


def test_a_zip_bomb_is_refused_by_its_compression_ratio() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00" * (30 * 1024 * 1024))
    assert len(bomb.getvalue()) < 100_000
    message = refusal(bomb.getvalue())
    assert message.startswith("bao-cao.docx: phần «word/document.xml» nén với tỷ lệ bất thường (")
    assert message.endswith("lần); có thể là tệp độc hại (zip bomb), cchc không mở tệp này.")


def test_a_zip_that_inflates_beyond_the_limit_is_refused() -> None:
    assert refusal(_hand_made(), max_uncompressed=10_000).startswith(
        "bao-cao.docx: giải nén ra tới "
    )


@pytest.mark.parametrize("part", ["word/document.xml", "docProps/core.xml"])
def test_a_part_declaring_an_entity_is_refused(part) -> None:
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;">]><w:document>&lol2;</w:document>'
    )
    assert refusal(_docx_with(part, hostile)) == (
        f"bao-cao.docx: phần «{part}» có khai báo DOCTYPE/ENTITY, điều tệp Office thật "
        "không bao giờ có (có thể là tệp độc hại); cchc không mở tệp này."
    )


def test_an_entity_hidden_in_utf16_is_refused_too() -> None:
    hostile = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x SYSTEM "file:///etc/passwd">'
    message = refusal(_docx_with("word/styles.xml", hostile.encode("utf-16")))
    assert "«word/styles.xml» có khai báo DOCTYPE/ENTITY" in message


def test_an_oversized_upload_is_refused_before_it_is_opened() -> None:
    assert refusal(b"PK" + b"\x00" * MAX_UPLOAD_BYTES) == (
        "bao-cao.docx: tệp quá lớn (20 MB); cchc chỉ nhận tệp đến 20 MB."
    )


def test_an_oversized_file_on_disk_is_refused_without_reading_it(tmp_path) -> None:
    path = tmp_path / "bao-cao.docx"
    with path.open("wb") as fh:
        fh.truncate(25 * 1024 * 1024)  # sparse: nothing is written
    with pytest.raises(ImportError_) as caught:
        import_report(path)
    assert str(caught.value) == f"{path}: tệp quá lớn (25 MB); cchc chỉ nhận tệp đến 20 MB."


def test_a_workbook_renamed_to_docx_is_refused() -> None:
    book = io.BytesIO()
    with zipfile.ZipFile(book, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    assert refusal(book.getvalue()) == (
        "bao-cao.docx: không phải tệp Word (.docx) (thiếu phần «word/document.xml»); "
        "có thể tệp bị đổi đuôi hoặc hỏng."
    )


def test_cchc_import_refuses_a_hostile_docx_with_exit_2(capsys, tmp_path) -> None:
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(b"not a zip at all")
    code = main(["import", str(path)])
    assert (code, capsys.readouterr().err.strip()) == (
        2,
        "Lỗi: bao-cao.docx: không phải tệp Word (.docx) (không đúng định dạng nén Office).",
    )
