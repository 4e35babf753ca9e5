"""«Thông tin văn bản»: the number book, the prefilled details, and the exported document."""

from __future__ import annotations

import io
import threading
from datetime import date, datetime

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from docx import Document

from cchc.core.periods import Period, PeriodType, Window
from cchc.core.report_content import DocumentHeader
from cchc.web.reporting.entry import saving
from cchc.web.reporting.entry.document_details import details_of, save_document_details
from cchc.web.reporting.models import AuditEvent, IssuedNumber, Report, TemplateVersion
from cchc.web.reporting.workflow import permissions, services
from cchc.web.signing.models import ReportSnapshot

DETAILS = {
    "number": "",
    "take_next": "1",
    "symbol": "BC-UBND",
    "place": "An",
    "date": "05/12/2026",
    "governing_body": "",
    "issuing_body": "ỦY BAN NHÂN DÂN XÃ AN",
    "summary": "Kết quả thực hiện công tác cải cách hành chính 6 tháng cuối năm 2026",
    "recipients": "Ủy ban nhân dân tỉnh Thử\nSở Nội vụ tỉnh Thử",
    "distribution": "Như trên\nCT, PCT UBND xã\nLưu: VT, VP",
    "signing_authority": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
    "signer": "Nguyễn Văn A",
}


def _other_report(world, half: int = 1) -> Report:
    """A second report of commune A in the same year: the round of the first half."""
    rnd = services.open_round(
        user=world.reviewer,
        issuer=world.province,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, 2026, half),
        units=[world.commune_a],
        window_override=Window(date(2025, 12, 15), date(2026, 6, 14)),
        deadline=timezone.make_aware(datetime(2026, 6, 16, 17, 0)),
    )
    return rnd.reports.get(unit=world.commune_a)


def _header(number: str = "", day: date = date(2026, 12, 5)) -> DocumentHeader:
    return DocumentHeader(number=number, symbol="BC-UBND", date=day, signer="Nguyễn Văn A")


def test_the_number_book_gives_each_report_of_a_unit_and_year_its_own_number(world) -> None:
    first, second = world.report_a, _other_report(world)
    a = save_document_details(user=world.leader, report=first, header=_header(), take_next=True)
    b = save_document_details(user=world.leader, report=second, header=_header(), take_next=True)
    again = save_document_details(user=world.leader, report=first, header=a, take_next=True)
    next_year = save_document_details(
        user=world.leader, report=second, header=_header(day=date(2027, 1, 3)), take_next=True
    )
    assert [a.number, b.number, again.number, next_year.number] == ["1", "2", "1", "1"]
    assert sorted(IssuedNumber.objects.values_list("year", "number", "report_id")) == [
        (2026, 1, first.pk),
        (2027, 1, second.pk),
    ]


def test_a_typed_number_already_in_the_book_is_refused_and_nothing_is_saved(world) -> None:
    save_document_details(user=world.leader, report=world.report_a, header=_header("7"))
    other = _other_report(world)
    with pytest.raises(permissions.Refused, match="Số 7 năm 2026 đã cấp cho một báo cáo khác"):
        save_document_details(user=world.leader, report=other, header=_header("7"))
    other.refresh_from_db()
    assert (other.header, IssuedNumber.objects.filter(report=other).count()) == ({}, 0)


@pytest.mark.django_db(transaction=True)
def test_leaders_saving_at_the_same_moment_never_get_the_same_number(world) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several writers at once: PostgreSQL (SQLite queues its writers)")
    reports = [world.report_a, _other_report(world, 1)]
    for n in range(6):  # more rounds of the same unit, same year
        reports.append(
            services.open_round(
                user=world.reviewer,
                issuer=world.province,
                template=TemplateVersion.objects.get(template_id="xa-2022"),
                period=Period(PeriodType.QUARTER, 2026, n % 4 + 1),
                units=[world.commune_a],
                title=f"Đợt {n}",
            ).reports.get()
        )
    start = threading.Barrier(len(reports))
    numbers: list[str] = []

    def take(report: Report) -> None:
        try:
            start.wait()
            saved = save_document_details(
                user=world.leader, report=report, header=_header(), take_next=True
            )
            numbers.append(saved.number)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(r,)) for r in reports]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers, key=int) == [str(n) for n in range(1, len(reports) + 1)]


def _typed(**changes) -> DocumentHeader:
    """DETAILS as the page reads them."""
    lists = ("recipients", "distribution", "signing_authority")
    data = {k: v.split("\n") if k in lists else v for k, v in DETAILS.items() if k != "take_next"}
    return DocumentHeader.from_json({**data, "date": "2026-12-05", **changes})


def test_details_are_prefilled_from_the_units_previous_report(world) -> None:
    earlier = _other_report(world)
    kept = _typed(date="2026-06-10", number="12")
    save_document_details(user=world.leader, report=earlier, header=kept)
    header, saved = details_of(world.report_a)
    assert saved is False
    assert header.to_json() == {
        **kept.to_json(),
        "number": "",
        "date": timezone.localdate().isoformat(),
        "summary": "Kết quả thực hiện công tác cải cách hành chính 6 tháng cuối năm 2026",
    }


def test_without_a_previous_report_the_unit_and_the_round_give_the_details(world) -> None:
    header, saved = details_of(world.report_b)
    assert (saved, header.issuing_body, header.recipients, header.signing_authority) == (
        False,
        "ỦY BAN NHÂN DÂN XÃ BÌNH",
        ["Tỉnh Thử"],
        ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
    )


def test_only_the_leader_and_the_unit_admin_edit_the_details(world, login) -> None:
    url = reverse("document-details", args=[world.report_a.pk])
    assert login(world.officer).post(url, DETAILS).status_code == 403
    assert login(world.outsider).get(url).status_code == 403
    assert login(world.unit_admin).post(url, DETAILS).status_code == 302
    world.report_a.refresh_from_db()
    assert world.report_a.header["number"] == "1"
    event = AuditEvent.objects.get(report=world.report_a, action="details-saved")
    assert (event.user, event.target, event.before) == (world.unit_admin, "1/BC-UBND", None)


def test_a_bad_date_is_refused_in_vietnamese_and_the_page_keeps_what_was_typed(
    world, login
) -> None:
    url = reverse("document-details", args=[world.report_a.pk])
    response = login(world.leader).post(url, {**DETAILS, "date": "31/02/2026"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Thông tin văn bản, Ngày: «31/02/2026» không phải ngày" in page
    world.report_a.refresh_from_db()
    assert world.report_a.header == {}


def _fill(world) -> None:
    """A web-filled report: the figures of seed 001's 78,95 % and a 99,68 % rate."""
    saving.save_values(
        user=world.leader,
        report=world.report_a,
        form="BM1",
        changes={"2.1": ("19", None), "2.2": ("15", None)},
    )
    saving.save_values(
        user=world.leader,
        report=world.report_a,
        form="BM3",
        changes={"3.3.1": ("313", None), "3.3.2": ("312", None)},
    )


def _docx_text(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    out = [p.text for p in doc.paragraphs]

    def cells(table):
        for row in table.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    cells(inner)

    for table in doc.tables:
        cells(table)
    return out


def test_the_exported_word_file_has_the_details_and_the_computed_rates(world, login) -> None:
    _fill(world)
    client = login(world.leader)
    client.post(reverse("document-details", args=[world.report_a.pk]), DETAILS)
    data = client.get(reverse("report-export", args=[world.report_a.pk, "docx"])).content
    lines = _docx_text(data)
    for expected in (
        "Số: 01/BC-UBND",
        "An, ngày 05 tháng 12 năm 2026",
        "Kết quả thực hiện công tác cải cách hành chính 6 tháng cuối năm 2026",
        "Kính gửi:\t- Ủy ban nhân dân tỉnh Thử;",
        "- Sở Nội vụ tỉnh Thử.",
        "- Như trên;",
        "- CT, PCT UBND xã;",
        "- Lưu: VT, VP.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn A",
        "78,95",
        "99,68",
        "(Kèm theo Báo cáo số 01/BC-UBND ngày 05 tháng 12 năm 2026 của Xã An)",
    ):
        assert expected in lines, expected


def test_the_exported_workbook_has_the_computed_rates(world, login) -> None:
    _fill(world)
    data = login(world.leader).get(reverse("report-export", args=[world.report_a.pk, "xlsx"]))
    wb = openpyxl.load_workbook(io.BytesIO(data.content))
    rates = {
        title: {r[0].value: r[3].value for r in wb[title].iter_rows(min_row=9)}.get(stt)
        for title, stt in (("Biểu mẫu 1", "2."), ("Biểu mẫu 3", "3.3."))
    }
    assert rates == {"Biểu mẫu 1": 78.95, "Biểu mẫu 3": 99.68}


def test_the_details_are_frozen_and_a_new_number_needs_a_new_signature(world) -> None:
    save_document_details(user=world.leader, report=world.report_a, header=_typed())
    services.approve_report(user=world.leader, report=world.report_a, reason="Thử.")
    first = ReportSnapshot.objects.get(report=world.report_a)
    assert (first.data["header"]["signing_authority"], first.expected_signer) == (
        ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        "Nguyễn Văn A",
    )
    services.submit_report(user=world.leader, report=world.report_a)
    services.return_report(user=world.reviewer, report=world.report_a, comment="Sai số.")
    header = DocumentHeader.from_json(world.report_a.header)
    header.number = "9"
    save_document_details(user=world.leader, report=world.report_a, header=header)
    services.approve_report(user=world.leader, report=world.report_a, reason="Thử.")
    latest = ReportSnapshot.objects.filter(report=world.report_a).order_by("-id").first()
    assert (latest.data["header"]["number"], latest.fingerprint != first.fingerprint) == (
        "9",
        True,
    )


def test_details_of_an_approved_report_are_read_only(world, login) -> None:
    services.approve_report(user=world.leader, report=world.report_a, reason="Thử.")
    url = reverse("document-details", args=[world.report_a.pk])
    response = login(world.leader).post(url, DETAILS)
    assert response.status_code == 403
    assert "thông tin văn bản chỉ xem, không sửa" in response.content.decode()
    # approval kept the suggested details, so the approved document keeps its date
    world.report_a.refresh_from_db()
    assert world.report_a.header["signing_authority"] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
