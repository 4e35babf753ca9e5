"""The report's «Nhật ký thay đổi» reads as Vietnamese sentences — full names, Vietnam's
time, values the Vietnamese way, before → after — and is filtered and paged on the server."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import Assignment, AuditEvent
from cchc.web.reporting.wording import local_time
from cchc.web.reporting.workflow import services

NAMES = {
    "officer": ("Trần Thị", "Hoa"),
    "colleague": ("Lê Văn", "Nam"),
    "leader": ("Ngô Văn", "Thành"),
    "unit_admin": ("Bùi Thị", "Hạnh"),
    "reviewer": ("Võ Thị", "Thu"),
}
BM1 = "Biểu mẫu 1 «Công tác chỉ đạo điều hành CCHC»"


@pytest.fixture
def story(world):
    """A report's life: figures typed and corrected, a section, a mark, a reassignment,
    approval, submission and a return; each entry then moved to a known time, a minute apart."""
    for name, (first, last) in NAMES.items():
        user = getattr(world, name)
        user.first_name, user.last_name = first, last
        user.save()
    r = world.report_a
    saving.save_values(user=world.officer, report=r, form="BM1", changes={"2.1": ("19", None)})
    saving.save_values(
        user=world.officer,
        report=r,
        form="BM1",
        changes={"2.1": ("1102", 1), "2.2": ("15", None)},
        notes={"2.1": ("theo kế hoạch số 85/KH-UBND", 1)},
    )
    saving.save_section(
        user=world.officer, report=r, code="I", text="Ủy ban đã ban hành.", base_version=None
    )
    services.mark_done(
        user=world.officer,
        report=r,
        kind="form",
        code="BM1",
        reason="Phần còn trống không phát sinh trong kỳ.",
    )
    services.assign_part(
        user=world.unit_admin, report=r, kind="form", code="BM2", assignee=world.colleague
    )
    services.assign_part(
        user=world.unit_admin, report=r, kind="form", code="BM2", assignee=world.officer
    )
    for a in Assignment.objects.filter(report=r, done_at=None):
        services.mark_done(
            user=world.officer,
            report=r,
            kind=a.kind,
            code=a.code,
            reason="Phần còn trống không phát sinh trong kỳ.",
        )
    services.approve_report(
        user=world.leader, report=r, reason="Phần còn trống không phát sinh trong kỳ."
    )
    services.submit_report(user=world.leader, report=r)
    services.return_report(user=world.reviewer, report=r, comment="Biểu 1 thiếu số liệu.")
    start = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    # The go-ahead reasons for the empty parts are test_readiness_web.py's subject.
    AuditEvent.objects.filter(report=r, action="confirmed-incomplete").delete()
    for i, pk in enumerate(
        AuditEvent.objects.filter(report=r).order_by("id").values_list("pk", flat=True)
    ):
        AuditEvent.objects.filter(pk=pk).update(at=start + timedelta(minutes=i))
    return world


def _rows(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 200
    return [(local_time(r["event"].at), r["who"], r["what"]) for r in response.context["rows"]]


def test_the_figures_of_a_form_read_as_sentences_with_names_and_local_time(story, login) -> None:
    url = reverse("report-audit", args=[story.report_a.pk])
    response = login(story.officer).get(url, {"form": "BM1"})
    done_at = Assignment.objects.get(report=story.report_a, code="BM1")
    sum_21 = "Biểu mẫu 1, chỉ tiêu 2.1 «Số nhiệm vụ đề ra trong kế hoạch»"
    assert _rows(response)[-4:] == [
        ("01/12/2026 08:04", "Trần Thị Hoa", f"Đánh dấu xong {BM1} (phần việc của Trần Thị Hoa)."),
        (
            "01/12/2026 08:02",
            "Trần Thị Hoa",
            "Nhập Biểu mẫu 1, chỉ tiêu 2.2 «Số nhiệm vụ đã hoàn thành»: 15.",
        ),
        (
            "01/12/2026 08:01",
            "Trần Thị Hoa",
            f"Sửa {sum_21}: 19 → 1.102; ghi chú (trống) → «theo kế hoạch số 85/KH-UBND».",
        ),
        ("01/12/2026 08:00", "Trần Thị Hoa", f"Nhập {sum_21}: 19."),
    ]
    assert done_at.done_at is None  # the return cleared it


def test_assignments_and_the_workflow_read_as_sentences(story, login) -> None:
    url = reverse("report-audit", args=[story.report_a.pk])
    client = login(story.leader)
    assigned = _rows(client.get(url, {"kind": "assignments"}))
    assert [what for _, _, what in assigned] == [
        "Phân công Biểu mẫu 2 «Cải cách thể chế»: Lê Văn Nam → Trần Thị Hoa.",
        "Phân công Biểu mẫu 2 «Cải cách thể chế» cho Lê Văn Nam.",
    ]
    workflow = _rows(client.get(url, {"kind": "workflow"}))
    assert [(who, what) for _, who, what in workflow] == [
        (
            "Võ Thị Thu",
            "Trả lại báo cáo (Đã gửi cấp trên → Cấp trên trả lại), ý kiến: "
            "«Biểu 1 thiếu số liệu.».",
        ),
        ("Ngô Văn Thành", "Gửi báo cáo lên cấp trên (Lãnh đạo đã duyệt → Đã gửi cấp trên)."),
        (
            "Ngô Văn Thành",
            "Duyệt báo cáo (Đang soạn → Lãnh đạo đã duyệt); lý do duyệt khi còn lỗi: "
            "«Phần còn trống không phát sinh trong kỳ.».",
        ),
    ]


def test_a_return_says_which_marks_it_cleared_and_the_section_its_length(story, login) -> None:
    url = reverse("report-audit", args=[story.report_a.pk])
    client = login(story.officer)
    marks = [what for _, _, what in _rows(client.get(url, {"kind": "marks"}))]
    cleared = AuditEvent.objects.get(report=story.report_a, action="marks-cleared")
    when = local_time(datetime.fromisoformat(cleared.before["done"]["form:BM1"]["done_at"]))
    assert marks[0].startswith(
        f"Bỏ đánh dấu xong 27 phần việc khi trả lại: {BM1} của Trần Thị Hoa, xong lúc {when}; "
    )
    sections = _rows(client.get(url, {"kind": "sections"}))
    assert [what for _, _, what in sections] == [
        "Viết nội dung Mục I «CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH» (19 ký tự)."
    ]


def test_filters_by_person_and_by_local_day_combine(story, login) -> None:
    url = reverse("report-audit", args=[story.report_a.pk])
    client = login(story.officer)
    by_admin = _rows(client.get(url, {"person": story.unit_admin.pk}))
    assert [(when, who) for when, who, _ in by_admin] == [
        ("01/12/2026 08:06", "Bùi Thị Hạnh"),
        ("01/12/2026 08:05", "Bùi Thị Hạnh"),
    ]
    # The return at 09:15 on 03/12 in Hà Nội is 02:15 UTC: the filter's days are Vietnam's.
    late = AuditEvent.objects.filter(
        report=story.report_a, action__in=["returned", "marks-cleared"]
    )
    late.update(at=datetime(2026, 12, 3, 2, 15, tzinfo=UTC))
    on_3rd = _rows(client.get(url, {"from": "2026-12-02", "to": "2026-12-03"}))
    assert [(when, who) for when, who, _ in on_3rd] == [("03/12/2026 09:15", "Võ Thị Thu")] * 2
    reviewer_before = client.get(url, {"person": story.reviewer.pk, "to": "2026-12-02"})
    assert _rows(reviewer_before) == []
    assert "Không có thay đổi nào khớp bộ lọc." in reviewer_before.content.decode()


def test_the_log_is_paged_on_the_server_fifty_entries_a_page(world, login) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            report=world.report_a,
            user=world.officer,
            action="value-saved",
            target="BM1.2.1",
            before={"raw": str(i), "note": ""},
            after={"raw": str(i + 1), "note": ""},
        )
        for i in range(120)
    )
    url = reverse("report-audit", args=[world.report_a.pk])
    client = login(world.officer)
    pages = [client.get(url, {"kind": "values", "page": n}) for n in (1, 2, 3)]
    assert [len(p.context["rows"]) for p in pages] == [50, 50, 20]
    assert pages[2].context["rows"][-1]["what"] == (
        "Sửa Biểu mẫu 1, chỉ tiêu 2.1 «Số nhiệm vụ đề ra trong kế hoạch»: 0 → 1."
    )
    body = pages[1].content.decode()
    assert '<a href="?kind=values&amp;page=3">Trang sau →</a>' in body
    assert "Trang 2/3 (120 dòng)" in body


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"page": "4"}, "Trang «4» không có: danh sách có 1 trang (từ 1 đến 1)."),
        ({"kind": "xoa"}, "Loại việc «xoa» không có trong danh sách."),
        ({"form": "BM99"}, "Mẫu báo cáo không có biểu «BM99»."),
        ({"person": "abc"}, "Người «abc» không có trong nhật ký này."),
        ({"from": "01/12/2026"}, "Từ ngày «01/12/2026» không phải ngày (cần dạng 2026-12-01)."),
        ({"from": "2026-12-02", "to": "2026-12-01"}, "«Đến ngày» phải sau «Từ ngày»."),
    ],
)
def test_a_filter_value_the_page_cannot_use_is_a_vietnamese_400(
    world, login, query, message
) -> None:
    response = login(world.officer).get(reverse("report-audit", args=[world.report_a.pk]), query)
    assert (response.status_code, response.context["message"]) == (400, message)


def test_someone_outside_the_unit_tree_cannot_read_the_log(world, login) -> None:
    assert (
        login(world.outsider).get(reverse("report-audit", args=[world.report_a.pk])).status_code
        == 403
    )


def test_document_details_and_going_on_with_gaps_read_as_sentences(world) -> None:
    from datetime import date

    from cchc.core.report_content import DocumentHeader
    from cchc.web.reporting.audit.history import describe
    from cchc.web.reporting.entry.document_details import details_of, save_document_details

    r = world.report_a
    header = details_of(r)[0]
    header = save_document_details(user=world.leader, report=r, header=header, take_next=True)
    header = DocumentHeader.from_json({**header.to_json(), "signer": "Ngô Văn Thành"})
    header.date = date(2026, 12, 15)
    save_document_details(user=world.leader, report=r, header=header)
    services.approve_report(user=world.leader, report=r, reason="Biểu 2 không phát sinh.")
    sentences = [describe(e) for e in AuditEvent.objects.filter(report=r).order_by("id")]
    assert sentences[0].startswith("Lưu thông tin văn bản (Số: 01/BC-UBND)")
    assert sentences[1] == "Sửa thông tin văn bản (Số: 01/BC-UBND): ngày, người ký."
    went_on = next(s for s in sentences if s.startswith("Vẫn duyệt"))
    assert re.fullmatch(
        r"Vẫn duyệt khi báo cáo còn [\d.]+ ô bắt buộc còn trống, [\d.]+ mục chưa có nội dung; "
        r"lý do: «Biểu 2 không phát sinh.»\.",
        went_on,
    ), went_on
    assert not any("Thao tác khác" in s for s in sentences)
