"""Word and Excel reports typed in TCVN3 or VNI are read with their Vietnamese intact."""

from __future__ import annotations

import unicodedata
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook
from openpyxl.styles import Font
from viparse.normalize.encodings import get_charmap

from cchc.core.templates import Severity
from cchc.importers.report_file import import_report, read_report_file

HEADER = ["UBND XÃ HƯƠNG SƠN", "BÁO CÁO", "Kết quả cải cách hành chính 6 tháng đầu năm 2024"]
PROSE = "Trong kỳ, xã đã tiếp nhận 281 hồ sơ; đã giải quyết 276 hồ sơ, đang giải quyết 05 hồ sơ."
ROWS = [
    ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Số liệu", "Ghi chú"],
    ["1.", "Tổng số hồ sơ TTHC đã giải quyết xong", "Hồ sơ", "276", ""],
    ["2.", "Số hồ sơ TTHC giải quyết đúng hạn", "Hồ sơ", "276", ""],
]
FONTS = {"tcvn3": (".VnTime", ".VnTimeH"), "vni": ("VNI-Times", "VNI-Times")}


def legacy(text: str, encoding: str) -> str:
    """Unicode → the old encoding, as an office's old keyboard driver typed it."""
    reverse: dict[str, str] = {}
    for old, new in get_charmap(encoding).pairs:
        reverse.setdefault(unicodedata.normalize("NFC", new), old)
    return "".join(reverse.get(c, c) for c in unicodedata.normalize("NFC", text))


def _run(paragraph, text: str, encoding: str | None) -> None:
    if encoding is None:
        paragraph.add_run(text).font.name = "Times New Roman"
        return
    plain, capitals = FONTS[encoding]
    caps = encoding == "tcvn3" and text == text.upper() and text != text.lower()
    run = paragraph.add_run(legacy(text.lower() if caps else text, encoding))
    run.font.name = capitals if caps else plain
    run._element.get_or_add_rPr().find(qn("w:rFonts")).set(qn("w:hAnsi"), run.font.name)


def word_report(encoding: str | None, prose_encoding: str | None = "same") -> bytes:
    doc = Document()
    for line in HEADER:
        _run(doc.add_paragraph(), line, encoding)
    _run(doc.add_paragraph(), PROSE, encoding if prose_encoding == "same" else prose_encoding)
    table = doc.add_table(rows=len(ROWS), cols=5)
    for r, cells in enumerate(ROWS):
        for c, text in enumerate(cells):
            _run(table.cell(r, c).paragraphs[0], text, encoding)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _read(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return import_report(path, "infer")


def _what_was_read(result) -> tuple:
    doc = result.document
    return (
        doc.header.issuing_body,
        doc.header.summary,
        [s.text for s in doc.narrative],
        [(row.name, row.unit, row.value) for table in doc.tables for row in table.rows],
    )


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
def test_an_old_encoding_word_report_reads_as_its_unicode_twin(tmp_path, encoding) -> None:
    unicode = _read(tmp_path, "unicode.docx", word_report(None))
    old = _read(tmp_path, f"{encoding}.docx", word_report(encoding))
    assert _what_was_read(old) == _what_was_read(unicode)
    assert old.document.header.issuing_body == "UBND XÃ HƯƠNG SƠN"
    assert [f.rule for f in unicode.findings if f.rule == "legacy-encoding"] == []


def test_the_conversion_is_reported_as_information(tmp_path) -> None:
    result = _read(tmp_path, "bao-cao.docx", word_report("tcvn3"))
    (note,) = [f for f in result.findings if f.rule == "legacy-encoding"]
    assert (note.severity, note.values) == (Severity.INFO, {"tcvn3": 17})
    assert note.message == (  # the capitals («BÁO CÁO», «STT») are in the …H font
        "bao-cao.docx: tệp gõ bằng bảng mã cũ; đã chuyển sang Unicode: 3 đoạn chữ mã TCVN3 "
        "(ABC) (phông «.VnTimeH»); 14 đoạn chữ mã TCVN3 (ABC) (phông «.VnTime»)."
    )


def test_a_document_mixing_an_old_font_with_unicode_converts_only_the_old_runs(tmp_path) -> None:
    mixed = _read(tmp_path, "mixed.docx", word_report("vni", prose_encoding=None))
    unicode = _read(tmp_path, "unicode.docx", word_report(None))
    assert _what_was_read(mixed) == _what_was_read(unicode)


def test_a_workbook_typed_in_vni_reads_its_names_intact(tmp_path) -> None:
    wb = Workbook()
    ws = wb.active
    for r, cells in enumerate(ROWS, start=1):
        for c, text in enumerate(cells, start=1):
            cell = ws.cell(r, c, legacy(text, "vni") if c != 4 else (int(text) if r > 1 else text))
            cell.font = Font(name="VNI-Times")
    out = BytesIO()
    wb.save(out)
    result = _read(tmp_path, "bieu.xlsx", out.getvalue())
    names = [row.name for table in result.document.tables for row in table.rows]
    assert names == [ROWS[1][1], ROWS[2][1]]


def test_an_old_encoding_with_no_font_signal_is_recognised_by_its_content(tmp_path) -> None:
    doc = Document()
    motto = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc."
    for line in [*HEADER[1:], PROSE, motto]:
        doc.add_paragraph(legacy(line.lower(), "tcvn3"))  # the default font: no signal
    out = BytesIO()
    doc.save(out)
    path = tmp_path / "khong-phong.docx"
    path.write_bytes(out.getvalue())
    read = read_report_file(path)
    assert [c.how for c in read.conversions] == ["content"]
    assert read.narrative[0].text.split("\n\n")[-1] == (
        "cộng hòa xã hội chủ nghĩa việt nam. độc lập - tự do - hạnh phúc."
    )


def test_a_workbook_in_viscii_without_an_old_font_is_recognised_by_its_content(tmp_path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.cell(
        1, 1, legacy("Ủy ban nhân dân xã Hương Sơn. Cộng hòa xã hội chủ nghĩa Việt Nam.", "viscii")
    )
    for r, cells in enumerate(ROWS, start=3):
        for c, text in enumerate(cells, start=1):
            ws.cell(r, c, legacy(text, "viscii") if c != 4 or r == 3 else int(text))
    out = BytesIO()
    wb.save(out)
    result = _read(tmp_path, "viscii.xlsx", out.getvalue())
    assert [c.how for c in result.document.conversions] == ["content"]
    names = [row.name for table in result.document.tables for row in table.rows]
    assert names == [ROWS[1][1], ROWS[2][1]]
