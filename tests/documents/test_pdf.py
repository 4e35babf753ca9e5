"""The report as PDF through LibreOffice: produced and rendered, or refused clearly."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cchc.cli import main
from cchc.documents import writer_for
from cchc.documents.docx_writer import render_docx
from cchc.documents.pdf import PdfError, PdfWriter, docx_to_pdf, find_soffice
from cchc.importers.report_file import import_report, report_content
from tests.seeds import SEED_001

MISSING = (
    "Chưa cài LibreOffice nên không xuất được PDF; hãy cài gói libreoffice-writer-nogui "
    "(Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-liberation), "
    "hoặc xuất tệp .docx rồi lưu thành PDF bằng Word."
)
needs_soffice = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (soffice) is not installed on this machine"
)


@pytest.fixture(scope="module")
def report():
    result = import_report(SEED_001)
    return result.template, report_content(result)


@pytest.fixture(scope="module")
def pdf(report) -> bytes:
    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed on this machine")
    return docx_to_pdf(render_docx(*report))


def test_the_pdf_writer_is_found_by_its_extension() -> None:
    writer = writer_for("pdf")
    assert (type(writer), writer.identifier, writer.extension, writer.media_type) == (
        PdfWriter,
        "pdf",
        ".pdf",
        "application/pdf",
    )


@needs_soffice
def test_the_pdf_is_made_and_its_first_page_renders(pdf, tmp_path) -> None:
    assert pdf.startswith(b"%PDF-")
    source = tmp_path / "bao-cao.pdf"
    source.write_bytes(pdf)
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed on this machine")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(source), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    [page] = list(tmp_path.glob("p*.png"))
    assert page.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@needs_soffice
def test_the_pdf_keeps_the_vietnamese_text_and_the_page_count(pdf, tmp_path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed on this machine")
    source = tmp_path / "bao-cao.pdf"
    source.write_bytes(pdf)
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    lines = [" ".join(line.split()) for line in first.splitlines() if line.strip()]
    assert lines[:4] == [
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "XÃ HƯƠNG SƠN Độc lập - Tự do - Hạnh phúc",
        "Số: 341/BC-UBND Hương Sơn, ngày 10 tháng 6 năm 2024",
        "BÁO CÁO",
    ]
    info = subprocess.run(
        ["pdfinfo", str(source)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    pages = int(next(x for x in info.splitlines() if x.startswith("Pages:")).split()[1])
    assert pages >= 1 + 7 + 7  # the body, then seven appendices of one page or more


def test_without_libreoffice_the_message_says_what_to_install(report, tmp_path) -> None:
    no_soffice = {"PATH": str(tmp_path)}
    with pytest.raises(PdfError) as direct:
        docx_to_pdf(b"PK", env=no_soffice)
    with pytest.raises(PdfError) as writer:
        PdfWriter(env=no_soffice).render(*report)
    assert (str(direct.value), str(writer.value)) == (MISSING, MISSING)


def test_cchc_render_to_pdf_without_libreoffice_exits_2(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "bao-cao.pdf"
    code = main(["render", str(SEED_001), "-o", str(out)])
    assert (code, capsys.readouterr().err.strip(), out.exists()) == (2, f"Lỗi: {MISSING}", False)
