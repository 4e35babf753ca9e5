"""Header and closing facts as the office wrote them, in text and read back from Word."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cchc.core.report_content import DocumentHeader
from cchc.documents.docx_frame import distribution_lines
from cchc.documents.docx_writer import render_docx
from cchc.importers.report_file import import_report, report_content
from cchc.importers.seed_text import read_text_report
from tests.seeds import SEED_001

_OFFICE = """UBND HUYỆN NAM ĐÔNG
PHÒNG NỘI VỤ

Số: 12/{symbol}

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

{date_line}

BÁO CÁO
Kết quả công tác cải cách hành chính 6 tháng đầu năm 2024

Kính gửi: - Ủy ban nhân dân huyện Nam Đông; - Sở Nội vụ tỉnh Thừa Thiên Huế.

Phòng Nội vụ báo cáo như sau.

Gửi bản giấy:
- Như trên;
- Lưu: VT.
Gửi bản điện tử:
- Chủ tịch, các Phó Chủ tịch UBND huyện;
- Văn phòng HĐND và UBND huyện.

KT. TRƯỞNG PHÒNG
PHÓ TRƯỞNG PHÒNG
(Đã ký)

Lê Văn Bình
"""


def _office(symbol: str = "BC-PNV", date_line: str = "Nam Đông, ngày      tháng 6 năm 2024"):
    return read_text_report(_OFFICE.format(symbol=symbol, date_line=date_line), "phong.txt")


def test_an_office_is_the_issuer_not_the_committee_it_belongs_to() -> None:
    h = _office().header
    assert (h.governing_body, h.issuing_body, h.unit) == (
        "UBND HUYỆN NAM ĐÔNG",
        "PHÒNG NỘI VỤ",
        "Phòng Nội vụ huyện Nam Đông",
    )


def test_a_blank_day_keeps_the_place_and_says_draft() -> None:
    h = _office().header
    assert (h.place, h.date, h.draft_date, h.line_of["date"]) == ("Nam Đông", None, True, 9)
    dated = _office(date_line="Nam Đông, ngày 12 tháng 6 năm 2024").header
    assert (dated.date, dated.draft_date) == (date(2024, 6, 12), False)
    numeric = _office(date_line="Nam Đông, ngày 12/6/2024").header
    assert numeric.date == date(2024, 6, 12)
    for blank in ("Nam Đông, ngày …/…/2024", "Nam Đông , ngày/2024", "Nam Đông, ngày"):
        assert _office(date_line=blank).header.draft_date, blank


def test_both_distribution_lists_and_the_deputy_signing() -> None:
    h = _office().header
    assert h.recipients == ["Ủy ban nhân dân huyện Nam Đông", "Sở Nội vụ tỉnh Thừa Thiên Huế"]
    assert h.distribution == [
        "Gửi bản giấy:",
        "Như trên",
        "Lưu: VT",
        "Gửi bản điện tử:",
        "Chủ tịch, các Phó Chủ tịch UBND huyện",
        "Văn phòng HĐND và UBND huyện",
    ]
    assert (h.signing_authority, h.signer) == (
        ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"],
        "Lê Văn Bình",
    )
    assert [s.text for s in _office().narrative] == ["Phòng Nội vụ báo cáo như sau."]


def test_a_signer_block_without_distribution_is_still_read() -> None:
    text = "\n".join(
        line
        for line in _OFFICE.format(symbol="BC-PNV", date_line="").splitlines()
        if not line.startswith(("Gửi bản", "- "))
    )
    h = read_text_report(text).header
    assert (h.signing_authority, h.signer, h.distribution) == (
        ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"],
        "Lê Văn Bình",
        [],
    )


def test_the_writer_prints_both_lists_with_their_labels() -> None:
    h = DocumentHeader(
        recipients=["A"], distribution=["Gửi bản giấy:", "Như trên", "Gửi bản điện tử:", "B"]
    )
    assert distribution_lines(h) == [
        "Gửi bản giấy:",
        "- Như trên.",
        "Gửi bản điện tử:",
        "- B;",
        "- Lưu: VT.",
    ]
    assert distribution_lines(DocumentHeader(recipients=["A"], distribution=["B"])) == [
        "- Như trên;",
        "- B;",
        "- Lưu: VT.",
    ]


@pytest.mark.parametrize(
    ("symbol", "rules"),
    [("BC-PNV", ["document-draft"]), ("BC-UBND", ["document-draft", "document-issuer"])],
)
def test_findings_on_the_header(tmp_path, symbol, rules) -> None:
    path = tmp_path / "phong.txt"
    table = (
        "\nSTT\tChỉ tiêu thống kê\tĐơn vị tính\tSố liệu\n1.\tSố văn bản đã ban hành\tVăn bản\t12\n"
    )
    path.write_text(
        _OFFICE.format(symbol=symbol, date_line="Nam Đông, ngày  tháng 6 năm 2024").replace(
            "Phòng Nội vụ báo cáo như sau.", "Phòng Nội vụ báo cáo như sau." + table
        )
    )
    findings = import_report(path, "infer").findings
    got = [f.rule for f in findings if f.rule.startswith("document-")]
    assert got == rules
    assert all(f.line for f in findings if f.rule.startswith("document-"))


@pytest.fixture(scope="module")
def seed():
    return import_report(SEED_001)


@pytest.mark.parametrize(
    "header",
    [
        DocumentHeader(
            governing_body="UBND HUYỆN NAM ĐÔNG",
            issuing_body="PHÒNG VĂN HÓA VÀ THÔNG TIN",
            number="07",
            symbol="BC-PVHTT",
            place="Nam Đông",
            date=None,
            summary="Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024",
            recipients=["Ủy ban nhân dân huyện Nam Đông", "Phòng Nội vụ huyện Nam Đông"],
            signing_authority=["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"],
            signer="Trần Thị Hoa",
            distribution=[
                "Gửi bản giấy:",
                "Như trên",
                "Lưu: VT",
                "Gửi bản điện tử:",
                "Chủ tịch, các Phó Chủ tịch UBND huyện",
            ],
        ),
        DocumentHeader(
            governing_body="",
            issuing_body="ỦY BAN NHÂN DÂN XÃ HƯƠNG SƠN",
            number="341",
            symbol="BC-UBND",
            place="Hương Sơn",
            date=date(2024, 6, 10),
            summary="Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024",
            recipients=["Ủy ban nhân dân huyện Nam Đông"],
            signing_authority=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
            signer="Hồ Thanh Nghi",
            distribution=["Như trên", "Phòng Nội vụ huyện", "Lưu: VT"],
        ),
    ],
    ids=["office-draft", "committee-deputy"],
)
def test_a_report_read_back_from_word_is_as_it_was_signed(seed, tmp_path, header) -> None:
    content = replace(report_content(seed), header=header)
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(render_docx(seed.template, content))
    result = import_report(path)
    assert report_content(result).header == replace(header, doc_type="BÁO CÁO")
    drafts = [f.rule for f in result.findings if f.rule == "document-draft"]
    assert drafts == ([] if header.date else ["document-draft"])
