"""«Xong» and approval list what is still empty and the findings, and go on only with a
reason that the audit log keeps."""

from __future__ import annotations

from django.urls import reverse

from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import Assignment, AuditEvent, ReportState
from cchc.web.reporting.workflow import permissions, services
from cchc.web.reporting.workflow.readiness import readiness_of

BM1_COUNTS = {
    code: ("0", None)
    for code in ("1", "2.1", "2.2", "3.1", "3.2", "3.3.1", "3.3.2", "4.1", "4.2", "4.3", "4.4")
}
BM1_FULL = {**BM1_COUNTS, "5": ("1", None), "5.1": ("0", None), "5.2": ("0", None)}
BM1_FULL["6"] = ("0", None)


def test_xong_on_an_empty_form_asks_for_a_reason_and_marks_nothing(world, login) -> None:
    client = login(world.officer)
    url = reverse("mark-done", args=[world.report_a.pk])
    response = client.post(url, {"kind": "form", "code": "BM1", "done": "1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert (
        "Biểu BM1 chưa xong: Biểu mẫu 1: 15/15 ô bắt buộc còn trống (chỉ tiêu 1, 2.1, 2.2, "
        "3.1, 3.2, 3.3.1, 3.3.2, 4.1, …). Hãy bổ sung, hoặc ghi rõ lý do vẫn tiếp tục." in page
    )
    assert 'name="reason"' in page
    assert Assignment.objects.get(report=world.report_a, code="BM1").done_at is None
    assert AuditEvent.objects.filter(action__in=["part-done", "confirmed-incomplete"]).count() == 0


def test_xong_with_a_reason_is_done_and_the_reason_is_in_the_audit_log(world, login) -> None:
    client = login(world.officer)
    url = reverse("mark-done", args=[world.report_a.pk])
    post = {"kind": "form", "code": "BM1", "done": "1", "reason": "Kỳ này không có số liệu."}
    assert client.post(url, post).status_code == 302
    event = AuditEvent.objects.get(action="confirmed-incomplete")
    assert (event.user, event.target, event.after) == (
        world.officer,
        "form:BM1",
        {"reason": "Kỳ này không có số liệu."},
    )
    assert event.before["cells"] == {
        "BM1": ["1", "2.1", "2.2", "3.1", "3.2", "3.3.1", "3.3.2", "4.1", "4.2", "4.3", "4.4",
                "5", "5.1", "5.2", "6"],
    }  # fmt: skip
    assert Assignment.objects.get(report=world.report_a, code="BM1").done_at is not None


def test_xong_on_a_full_form_without_errors_needs_no_reason(world) -> None:
    saving.save_values(user=world.officer, report=world.report_a, form="BM1", changes=BM1_FULL)
    services.mark_done(user=world.officer, report=world.report_a, kind="form", code="BM1")
    assert AuditEvent.objects.filter(action="confirmed-incomplete").count() == 0
    assert readiness_of(world.report_a, kind="form", code="BM1").needs_reason is False


def test_xong_on_a_section_without_text_asks_for_a_reason(world) -> None:
    try:
        services.mark_done(user=world.officer, report=world.report_a, kind="section", code="I")
    except permissions.Refused as exc:
        message = str(exc)
    assert message.startswith(
        "Mục I chưa xong: Mục I. «CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH» "
        "chưa có nội dung."
    )


def test_approving_an_incomplete_report_is_refused_without_a_reason(world, login) -> None:
    saving.save_values(user=world.officer, report=world.report_a, form="BM1", changes=BM1_FULL)
    client = login(world.leader)
    detail = client.get(reverse("report-detail", args=[world.report_a.pk])).content.decode()
    assert "Biểu mẫu 2: " in detail and "ô bắt buộc còn trống" in detail
    response = client.post(
        reverse("report-transition", args=[world.report_a.pk]), {"action": "approve"}
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Báo cáo còn 6 biểu có ô bắt buộc trống, 5 mục chưa có nội dung." in page
    world.report_a.refresh_from_db()
    assert world.report_a.state == ReportState.DRAFT


def test_approving_an_incomplete_report_with_a_reason_is_recorded(world, login) -> None:
    client = login(world.leader)
    response = client.post(
        reverse("report-transition", args=[world.report_a.pk]),
        {"action": "approve", "reason": "Các biểu khác không phát sinh."},
    )
    assert response.status_code == 302
    world.report_a.refresh_from_db()
    assert (world.report_a.state, world.report_a.approval_reason) == (
        ReportState.APPROVED,
        "Các biểu khác không phát sinh.",
    )
    event = AuditEvent.objects.get(action="confirmed-incomplete")
    assert (event.user, event.target, event.after, event.before["sections"]) == (
        world.leader,
        "approve",
        {"reason": "Các biểu khác không phát sinh."},
        ["I", "II", "III", "IV", "V"],
    )
    assert sorted(event.before["cells"]) == ["BM1", "BM2", "BM3", "BM4", "BM5", "BM6", "BM7"]
