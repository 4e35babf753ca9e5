"""The document details a report starts with (cchc/core/document_details.py)."""

from __future__ import annotations

from datetime import date

from cchc.core.document_details import agency_name, place_of, suggest_header
from cchc.core.report_content import DocumentHeader


def test_a_commune_without_a_previous_report_gets_the_committees_header() -> None:
    header = suggest_header(
        unit="UBND xã Hương Sơn",
        recipient="UBND huyện Nam Đông",
        period_label="6 tháng đầu năm 2024",
        today=date(2024, 6, 10),
        leader="Hồ Thanh Nghi",
    )
    assert header == DocumentHeader(
        issuing_body="ỦY BAN NHÂN DÂN XÃ HƯƠNG SƠN",
        symbol="BC-UBND",
        place="Hương Sơn",
        date=date(2024, 6, 10),
        summary="Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm 2024",
        recipients=["Ủy ban nhân dân huyện Nam Đông"],
        signing_authority=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        signer="Hồ Thanh Nghi",
        distribution=["Như trên", "Lưu: VT"],
    )


def test_the_previous_report_gives_everything_but_number_date_and_summary() -> None:
    previous = DocumentHeader(
        governing_body="",
        issuing_body="ỦY BAN NHÂN DÂN XÃ HƯƠNG SƠN",
        number="341",
        symbol="BC-UBND",
        place="Hương Sơn",
        date=date(2024, 6, 10),
        summary="Kết quả … 6 tháng đầu năm 2024",
        recipients=["Ủy ban nhân dân huyện Nam Đông"],
        signing_authority=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        signer="Nguyễn Văn A",
        distribution=["Như trên", "Phòng Nội vụ huyện", "Lưu: VT, VP"],
    )
    header = suggest_header(
        unit="UBND xã Hương Sơn",
        recipient="Sở Nội vụ",
        period_label="Năm 2024",
        today=date(2024, 12, 9),
        previous=previous,
    )
    assert header.to_json() == {
        **previous.to_json(),
        "number": "",
        "date": "2024-12-09",
        "summary": "Kết quả thực hiện công tác cải cách hành chính năm 2024",
    }


def test_names_are_spelled_out_and_places_read_from_them() -> None:
    assert [agency_name("UBND xã Hương Sơn"), agency_name("Sở Nội vụ")] == [
        "Ủy ban nhân dân xã Hương Sơn",
        "Sở Nội vụ",
    ]
    assert [place_of(u) for u in ("Xã An", "Sở Nội vụ Thành phố Huế", "Bộ Nội vụ")] == [
        "An",
        "Huế",
        "",
    ]


def test_a_report_sent_elsewhere_than_last_time_is_addressed_to_its_new_recipient() -> None:
    previous = DocumentHeader(recipients=["Ủy ban nhân dân huyện Nam Đông"], signer="Hồ Thanh Nghi")
    header = suggest_header(
        unit="UBND xã Hương Sơn",
        recipient="UBND Thành phố Huế",
        period_label="Năm 2026",
        today=date(2026, 12, 9),
        previous=previous,
        same_recipient=False,
    )
    assert (header.recipients, header.signer) == (
        ["Ủy ban nhân dân Thành phố Huế"],
        "Hồ Thanh Nghi",
    )
