"""«Việc của tôi» shows every role's work: parts to fill (returned ones with the reviewer's
comment), reports to approve and submit, to assign, to review; nobody else's."""

from __future__ import annotations

from django.urls import reverse

from cchc.web.reporting.models import Assignment
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.workflow import services

EMPTY = (
    "Hiện bạn không có việc nào: không có phần việc được phân công, báo cáo chờ duyệt, "
    "chờ phân công hay chờ tiếp nhận."
)


def _work(login, user):
    response = login(user).get(reverse("my-work"))
    assert response.status_code == 200
    return response.context["work"], response.content.decode()


def _tasks(tasks) -> list[tuple[str, str, str]]:
    return [(t.report.unit.code, t.todo, t.detail) for t in tasks]


def _finish(world) -> None:
    for a in Assignment.objects.filter(report=world.report_a):
        services.mark_done(
            user=world.officer,
            report=world.report_a,
            kind=a.kind,
            code=a.code,
            reason="Phần còn trống không phát sinh trong kỳ.",
        )


def test_the_officer_sees_their_parts_by_name_forms_first(world, login) -> None:
    work, _ = _work(login, world.officer)
    labels = [p.label for p in work.parts]
    assert (len(labels), labels[:4]) == (
        26,
        [
            "Biểu mẫu 1: Công tác chỉ đạo điều hành CCHC",
            "Biểu mẫu 4: Cải cách bộ máy hành chính nhà nước",
            "Biểu mẫu 5: Cải cách chế độ công vụ",
            "Mục I: CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        ],
    )
    assert (work.to_lead, work.to_assign, work.to_review, work.overdue_count) == ([], [], [], 0)


def test_a_returned_report_is_back_in_the_officers_tasks_with_the_comment(world, login) -> None:
    _finish(world)
    services.approve_report(
        user=world.leader, report=world.report_a, reason="Phần còn trống không phát sinh trong kỳ."
    )
    services.submit_report(user=world.leader, report=world.report_a)
    assert _work(login, world.officer)[0].parts == []  # submitted: nothing to do
    services.return_report(user=world.reviewer, report=world.report_a, comment="Thiếu Biểu 1.")
    work, page = _work(login, world.officer)
    assert [(p.returned, p.assignment.done_at) for p in work.parts] == [(True, None)] * 26
    assert '<span class="tag bad">Bị trả lại</span> Thiếu Biểu 1.' in page


def test_the_leader_sees_the_report_to_approve_then_to_submit(world, login) -> None:
    work, page = _work(login, world.leader)
    assert _tasks(work.to_lead) == [("XA", "Xem và duyệt", "0/26 phần việc đã xong")]
    assert "chưa được phân công" not in page and EMPTY not in page
    _finish(world)
    services.approve_report(
        user=world.leader, report=world.report_a, reason="Phần còn trống không phát sinh trong kỳ."
    )
    assert _tasks(_work(login, world.leader)[0].to_lead) == [
        ("XA", "Gửi lên cấp trên", "Đã duyệt, chưa gửi")
    ]
    services.submit_report(user=world.leader, report=world.report_a)
    assert _work(login, world.leader)[1].count(EMPTY) == 1


def test_a_returned_report_tells_the_leader_why(world, login) -> None:
    _finish(world)
    services.approve_report(
        user=world.leader, report=world.report_a, reason="Phần còn trống không phát sinh trong kỳ."
    )
    services.submit_report(user=world.leader, report=world.report_a)
    services.return_report(user=world.reviewer, report=world.report_a, comment="Sửa mục I.")
    assert _tasks(_work(login, world.leader)[0].to_lead) == [
        ("XA", "Xem và duyệt", "0/26 phần việc đã xong; bị trả lại: «Sửa mục I.»")
    ]


def test_the_unit_admin_sees_the_report_with_parts_nobody_has(world, login) -> None:
    template = template_of(world.round.template)
    total = len(template.all_sections()) + len(template.forms)
    work, _ = _work(login, world.unit_admin)
    assert _tasks(work.to_assign) == [
        ("XA", "Phân công", f"{total - 26} phần việc chưa có người làm")
    ]
    assert (work.parts, work.to_lead, work.to_review) == ([], [], [])


def test_the_reviewer_of_the_issuing_unit_sees_submitted_reports_the_ministry_does_not(
    world, login
) -> None:
    assert _work(login, world.reviewer)[1].count(EMPTY) == 1
    _finish(world)
    services.approve_report(
        user=world.leader, report=world.report_a, reason="Phần còn trống không phát sinh trong kỳ."
    )
    services.submit_report(user=world.leader, report=world.report_a)
    assert _tasks(_work(login, world.reviewer)[0].to_review) == [
        ("XA", "Tiếp nhận hoặc trả lại", "Gửi đúng hạn")
    ]
    assert _work(login, world.ministry_reviewer)[0].empty


def test_people_with_nothing_to_do_are_told_so_once(world, login) -> None:
    for user in (world.colleague, world.ministry_reviewer):
        work, page = _work(login, user)
        assert (work.empty, page.count(EMPTY)) == (True, 1)
    assert _tasks(_work(login, world.outsider)[0].to_lead) == []
