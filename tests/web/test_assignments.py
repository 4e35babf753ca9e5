"""Giving out a report's parts: by duty in one action, several at once, each with its
internal deadline (cchc/web/reporting/workflow/assignments.py and the «Phân công» page).

Seed 000's split: the commune's officials hand in by 10:00 on 09/6, the commune
submits later. Every change is audited as a Vietnamese sentence; «Việc của tôi» and
the reminders follow the part's own deadline.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cchc.core.work_split import parts_of
from cchc.web.notices.models import Notice, NoticeKind
from cchc.web.notices.reminders import RemindersSent, send_reminders
from cchc.web.notices.work import work_of
from cchc.web.organisation.models import Membership
from cchc.web.reporting.audit.history import describe, wording_for
from cchc.web.reporting.models import Assignment, AuditEvent
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.workflow import assignments
from cchc.web.reporting.workflow.permissions import Refused

DUE = timezone.make_aware(datetime(2099, 6, 9, 10, 0))  # 10:00 09/06, as seed 000 asks


def _staff(world) -> None:
    """Titles and duties as the commune's directive has them."""
    Membership.objects.filter(user=world.officer).update(
        title="Công chức Văn phòng - Thống kê", duty="vp-noi-vu"
    )
    Membership.objects.filter(user=world.colleague).update(
        title="Công chức Tư pháp - Hộ tịch", duty="tu-phap"
    )
    for user, name in ((world.officer, "Trần Thị Hoa"), (world.colleague, "Lê Văn Lâm")):
        user.first_name = name
        user.save(update_fields=["first_name"])


def _owners(report) -> dict[str, tuple[str, datetime | None]]:
    rows = Assignment.objects.filter(report=report, kind="form").select_related("user")
    return {a.code: (a.user.username, a.due_at) for a in rows}


def _log(report) -> list[str]:
    events = list(
        AuditEvent.objects.filter(report=report, action__in=["assigned", "unassigned"]).order_by(
            "id"
        )
    )
    wording = wording_for(events, template_of(report.round.template))
    return [describe(e, wording) for e in events]


def test_the_leader_assigns_by_duty_in_one_action_with_an_internal_deadline(world, login) -> None:
    _staff(world)
    response = login(world.leader).post(
        reverse("report-assign", args=[world.report_a.pk]),
        {"action": "by-duty", "due": "10:00 09/06/2099"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [_by_duty_message(world)]
    assert _owners(world.report_a) == {
        "BM1": ("officer", DUE),
        "BM2": ("colleague", DUE),
        "BM4": ("officer", DUE),
        "BM5": ("officer", DUE),
    }
    log = _log(world.report_a)
    assert (
        "Đổi hạn nội bộ Biểu mẫu 1 «Công tác chỉ đạo điều hành CCHC» (phần việc của Trần "
        "Thị Hoa); hạn nội bộ theo hạn nộp của đơn vị → 09/06/2099 10:00." in log
    )
    assert (
        "Phân công theo nhiệm vụ Biểu mẫu 2 «Cải cách thể chế» cho Lê Văn Lâm, hạn nội bộ "
        "09/06/2099 10:00." in log
    )
    # the page shows who, with their title, and the part's deadline
    page = login(world.leader).get(reverse("report-assign", args=[world.report_a.pk]))
    html = page.content.decode()
    assert "Trần Thị Hoa (Công chức Văn phòng - Thống kê)" in html
    assert "09/06/2099 10:00" in html


def _by_duty_message(world) -> str:
    """What the page says: the parts it changed, and those it could not give."""
    template = template_of(world.round.template)
    mine = {"vp-noi-vu", "tu-phap"}
    changed = sum(1 for p in parts_of(template) if p.role in mine)
    left = [p for p in parts_of(template) if p.role not in mine]
    names = ", ".join(("Mục " + p.code) if p.kind == "section" else p.code for p in left[:6])
    assert left[0].code == "I.5"  # the district's tasks: HĐND - UBND, nobody here
    return (
        f"Đã phân công theo nhiệm vụ ({changed} thay đổi). {len(left)} phần việc cần giao "
        f"tay (không rõ ai giữ nhiệm vụ): {names}, …."
    )


def test_several_parts_go_to_one_person_at_once_and_can_be_taken_back(world, login) -> None:
    _staff(world)
    url = reverse("report-assign", args=[world.report_a.pk])
    client = login(world.unit_admin)
    picked = ["form:BM6", "form:BM7", "section:II.5"]
    response = client.post(
        url,
        {"action": "picked", "pick": picked, "assignee": world.colleague.pk, "due": "09/06/2099"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Đã lưu phân công cho 3 phần việc đã chọn (3 thay đổi)."
    ]
    five = timezone.make_aware(datetime(2099, 6, 9, 17, 0))
    assert _owners(world.report_a)["BM6"] == _owners(world.report_a)["BM7"] == ("colleague", five)
    # only the deadline of BM1, the person kept
    client.post(
        url, {"action": "picked", "pick": ["form:BM1"], "assignee": "", "due": "10:00 09/06/2099"}
    )
    assert _owners(world.report_a)["BM1"] == ("officer", DUE)
    client.post(url, {"action": "picked", "pick": ["form:BM6", "form:BM7"], "assignee": "-"})
    assert "BM6" not in _owners(world.report_a)
    assert _log(world.report_a)[-2:] == [
        "Bỏ phân công Biểu mẫu 6 «Cải cách tài chính công» (trước đó của Lê Văn Lâm).",
        "Bỏ phân công Biểu mẫu 7 «Xây dựng chính quyền điện tử, Chính quyền số» "
        "(trước đó của Lê Văn Lâm).",
    ]


@pytest.mark.parametrize(
    ("due", "message"),
    [
        ("10:00 09/06/2020", "Hạn nội bộ 09/06/2020 10:00 đã qua; hãy chọn một thời điểm sắp tới."),
        (
            "08:00 17/12/2099",
            "Hạn nội bộ 17/12/2099 08:00 muộn hơn hạn nộp của đơn vị (16/12/2099 17:00): "
            "công chức cần nộp trước để đơn vị kịp tổng hợp, duyệt và gửi.",
        ),
        (
            "10 giờ ngày 9/6",
            "Hạn nội bộ «10 giờ ngày 9/6» không đúng dạng giờ:phút ngày/tháng/năm "
            "(ví dụ 10:00 09/06/2026).",
        ),
    ],
)
def test_a_bad_internal_deadline_is_refused_and_nothing_is_saved(
    world, login, due, message
) -> None:
    _staff(world)
    before = _owners(world.report_a)
    response = login(world.leader).post(
        reverse("report-assign", args=[world.report_a.pk]), {"action": "by-duty", "due": due}
    )
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == [f"Chưa lưu phân công: {message}"]
    assert _owners(world.report_a) == before
    assert not AuditEvent.objects.filter(action="assigned").exists()


def test_by_duty_needs_someone_holding_a_duty(world) -> None:
    Membership.objects.filter(unit=world.commune_a).update(duty="")
    with pytest.raises(Refused) as refused:
        assignments.assign_by_duty(user=world.leader, report=world.report_a)
    assert str(refused.value) == (
        "Không có phần việc nào giao được theo nhiệm vụ (chưa ai giữ nhiệm vụ vp-noi-vu): hãy "
        "ghi nhiệm vụ cho công chức của Xã An ở trang Người dùng, hoặc giao từng phần."
    )


def test_keeping_others_leaves_a_part_given_to_someone_else(world) -> None:
    _staff(world)
    assignments.assign_part(
        user=world.leader, report=world.report_a, kind="form", code="BM4", assignee=world.colleague
    )
    assignments.assign_by_duty(
        user=world.leader, report=world.report_a, due_at=DUE, keep_others=True
    )
    owners = _owners(world.report_a)
    assert owners["BM4"] == ("colleague", None) and owners["BM1"] == ("officer", DUE)


def test_the_official_sees_the_part_and_its_internal_deadline_in_my_work(world, login) -> None:
    _staff(world)
    assignments.assign_by_duty(user=world.leader, report=world.report_a, due_at=DUE)
    work = work_of(world.colleague, DUE - timedelta(days=1))
    tasks = {t.label: (t.due, t.internal, t.overdue) for t in work.parts}
    assert tasks["Biểu mẫu 2: Cải cách thể chế"] == (DUE, True, False)
    late = work_of(world.colleague, DUE + timedelta(minutes=1))
    assert all(t.overdue for t in late.parts)  # the unit's own deadline is months away
    html = login(world.colleague).get(reverse("my-work")).content.decode()
    assert "09/06/2099 10:00<br><small>hạn nội bộ; đơn vị nộp 16/12/2099 17:00</small>" in html


@pytest.fixture
def addressed(world):
    _staff(world)
    for user in (world.officer, world.colleague, world.leader, world.unit_admin):
        user.email = f"{user.username}@xaan.gov.vn"
        user.save(update_fields=["email"])
    assignments.assign_by_duty(user=world.leader, report=world.report_a, due_at=DUE)
    mail.outbox.clear()
    return world


def test_reminders_follow_the_internal_deadline_once_per_person_and_threshold(addressed) -> None:
    world = addressed
    assert send_reminders(now=DUE - timedelta(days=4)) == RemindersSent(0, 0)
    assert send_reminders(now=DUE - timedelta(hours=20)) == RemindersSent(2, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["colleague@xaan.gov.vn", "officer@xaan.gov.vn"]
    notice = Notice.objects.get(user=world.colleague, kind=NoticeKind.DUE_TOMORROW)
    assert (notice.kind, notice.text) == (
        NoticeKind.DUE_TOMORROW,
        "Còn chưa đến 1 ngày đến hạn nội bộ nộp phần việc của bạn trong báo cáo của Xã An, "
        f"đợt «{world.round.title}» (hạn nội bộ 09/06/2099 10:00).",
    )
    assert send_reminders(now=DUE - timedelta(hours=2)) == RemindersSent(0, 0)
    assert send_reminders(now=DUE + timedelta(hours=1)) == RemindersSent(2, 2)
    assert send_reminders(now=DUE + timedelta(hours=2)) == RemindersSent(0, 0)
    # the leader's own reminders still follow the unit's deadline
    assert not Notice.objects.filter(user=world.leader, kind__startswith="due").exists()
    assert not Notice.objects.filter(user=world.leader, kind=NoticeKind.OVERDUE).exists()


def test_a_finished_part_is_not_reminded_of_its_internal_deadline(addressed) -> None:
    world = addressed
    for a in Assignment.objects.filter(report=world.report_a, user=world.colleague):
        a.done_at = timezone.now()
        a.save(update_fields=["done_at"])
    send_reminders(now=DUE - timedelta(hours=20))
    assert not Notice.objects.filter(user=world.colleague, kind=NoticeKind.DUE_TOMORROW).exists()


def test_the_assignment_notice_names_the_internal_deadline(world) -> None:
    _staff(world)
    assignments.assign_by_duty(user=world.leader, report=world.report_a, due_at=DUE)
    notice = Notice.objects.filter(user=world.colleague, kind=NoticeKind.ASSIGNED).get()
    assert notice.text.endswith("; hạn nội bộ 09/06/2099 10:00 (đơn vị nộp 16/12/2099 17:00).")
