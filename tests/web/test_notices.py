"""Each notice goes to the people who must act or should know, and to nobody else.

The personas of conftest's `world`: the officer (default parts of commune A), the
colleague (nothing assigned), the leader and unit admin of A, the outsider (commune B),
the province's reviewer (who issued the round) and the ministry's reviewer above it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.web.notices.models import Notice
from cchc.web.reporting.models import Assignment
from cchc.web.reporting.workflow import services
from tests.web.test_permissions import PERSONAS

ROUND = "Báo cáo CCHC 6 tháng cuối năm 2026 — Báo cáo cải cách hành chính định kỳ cấp xã (mẫu 2022)"
REPORT_A = f"báo cáo của Xã An, đợt «{ROUND}»"
DUE = "hạn nộp 16/12/2099 17:00"


def _told(*kinds: str) -> list[tuple[str, str, str]]:
    rows = Notice.objects.filter(kind__in=kinds).select_related("user", "report__unit")
    return sorted((n.user.username, n.kind, n.report.unit.code) for n in rows)


def _text(user, kind: str) -> str:
    return Notice.objects.get(user=user, kind=kind).text


def _finish_parts(world, user) -> None:
    for a in Assignment.objects.filter(report=world.report_a).order_by("kind", "code"):
        services.mark_done(
            user=user,
            report=world.report_a,
            kind=a.kind,
            code=a.code,
            reason="Phần còn trống không phát sinh trong kỳ.",
        )


def _submit(world) -> None:
    _finish_parts(world, world.officer)
    services.approve_report(
        user=world.leader, report=world.report_a, reason="Phần còn trống không phát sinh trong kỳ."
    )
    services.submit_report(user=world.leader, report=world.report_a)


def test_opening_a_round_tells_each_official_the_parts_given_by_default(world) -> None:
    assert _told("assigned") == [("officer", "assigned", "XA"), ("outsider", "assigned", "XB")]
    assert _text(world.officer, "assigned") == (
        "reviewer phân công bạn 26 phần việc (các mục I, I.1, I.2, I.3, I.4, I.6, II.3, II.3.1, "
        "II.3.2, II.3.3, II.3.4, II.4, II.4.1, II.4.2, II.4.3, II.4.4, II.4.5, II.4.6, III, "
        "III.1, III.2, IV, V; Biểu mẫu 1; Biểu mẫu 4; Biểu mẫu 5) của "
        f"{REPORT_A}; {DUE}."
    )


def test_a_part_given_by_the_unit_admin_is_told_to_its_new_official_only(world) -> None:
    before = _told("assigned")
    services.assign_part(
        user=world.unit_admin,
        report=world.report_a,
        kind="form",
        code="BM2",
        assignee=world.colleague,
    )
    assert _told("assigned") == sorted([*before, ("colleague", "assigned", "XA")])
    assert _text(world.colleague, "assigned") == (
        f"unit_admin phân công bạn Biểu mẫu 2 «Cải cách thể chế» của {REPORT_A}; {DUE}."
    )


def test_the_leader_is_told_to_approve_when_the_last_part_is_marked_done(world) -> None:
    parts = list(Assignment.objects.filter(report=world.report_a).order_by("kind", "code"))
    for a in parts[:-1]:
        services.mark_done(
            user=world.officer,
            report=world.report_a,
            kind=a.kind,
            code=a.code,
            reason="Phần còn trống không phát sinh trong kỳ.",
        )
    assert _told("to-approve") == []
    last = parts[-1]
    services.mark_done(
        user=world.officer,
        report=world.report_a,
        kind=last.kind,
        code=last.code,
        reason="Phần còn trống không phát sinh trong kỳ.",
    )
    assert _told("to-approve") == [("leader", "to-approve", "XA")]
    assert _text(world.leader, "to-approve") == (
        f"Mọi phần việc (26) của {REPORT_A} đã xong: báo cáo chờ bạn xem và duyệt; {DUE}."
    )


def test_nobody_is_told_of_what_they_did_themselves(world) -> None:
    _finish_parts(world, world.leader)  # the leader marks the officer's parts for them
    assert _told("to-approve") == []


def test_a_submitted_report_waits_for_the_reviewers_of_the_issuing_unit_only(world) -> None:
    _submit(world)
    assert _told("to-review") == [("reviewer", "to-review", "XA")]
    assert _text(world.reviewer, "to-review") == (
        f"leader đã gửi {REPORT_A}: báo cáo chờ bạn tiếp nhận hoặc trả lại."
    )


def test_a_return_tells_the_leader_and_the_officials_of_the_parts_with_the_comment(world) -> None:
    _submit(world)
    services.return_report(
        user=world.reviewer, report=world.report_a, comment="Biểu mẫu 1 thiếu số nhiệm vụ."
    )
    assert _told("returned") == [("leader", "returned", "XA"), ("officer", "returned", "XA")]
    assert _text(world.officer, "returned") == (
        f"reviewer (Tỉnh Thử) trả lại {REPORT_A}, ý kiến: «Biểu mẫu 1 thiếu số nhiệm vụ.». Hãy "
        "sửa các phần việc của mình, đánh dấu xong để lãnh đạo duyệt và gửi lại; "
        f"{DUE}."
    )


def test_an_acceptance_tells_the_leader_and_the_officials_of_the_parts(world) -> None:
    _submit(world)
    services.accept_report(user=world.reviewer, report=world.report_a)
    assert _told("accepted") == [("leader", "accepted", "XA"), ("officer", "accepted", "XA")]
    assert _text(world.leader, "accepted") == f"reviewer (Tỉnh Thử) đã tiếp nhận {REPORT_A}."


def test_the_whole_round_trip_tells_nobody_outside_it(world) -> None:
    _submit(world)
    services.return_report(user=world.reviewer, report=world.report_a, comment="Sửa lại.")
    _finish_parts(world, world.officer)
    services.approve_report(
        user=world.leader, report=world.report_a, reason="Phần còn trống không phát sinh trong kỳ."
    )
    services.submit_report(user=world.leader, report=world.report_a)
    services.accept_report(user=world.reviewer, report=world.report_a)
    by_person = {
        name: sorted(Notice.objects.filter(user__username=name).values_list("kind", flat=True))
        for name in PERSONAS
    }
    assert by_person == {
        "officer": ["accepted", "assigned", "returned"],
        "colleague": [],
        # the first «chờ duyệt» still unread: not told twice
        "leader": ["accepted", "returned", "to-approve"],
        "unit_admin": [],
        "outsider": ["assigned"],
        "reviewer": ["to-review", "to-review"],
        "ministry_reviewer": [],
    }


@pytest.fixture
def told_officer(world):
    _submit(world)
    services.return_report(user=world.reviewer, report=world.report_a, comment="Sửa lại.")
    return world


def test_the_notices_page_lists_ones_own_notices_newest_first_with_the_unread_count(
    told_officer, login
) -> None:
    world = told_officer
    response = login(world.officer).get(reverse("notices"))
    page = response.context["page"]
    assert [(n.kind, n.read) for n in page.object_list] == [
        ("returned", False),
        ("assigned", False),
    ]
    assert response.context["unread_notices"] == 2
    assert '<span class="count" title="chưa đọc">2</span>' in response.content.decode()


def test_a_notice_is_read_when_opened_or_marked_and_only_by_its_owner(told_officer, login) -> None:
    world = told_officer
    returned = Notice.objects.get(user=world.officer, kind="returned")
    assigned = Notice.objects.get(user=world.officer, kind="assigned")
    assert login(world.colleague).get(reverse("notice-open", args=[returned.pk])).status_code == 404
    client = login(world.officer)
    response = client.get(reverse("notice-open", args=[returned.pk]))
    assert response["Location"] == reverse("report-detail", args=[world.report_a.pk])
    client.post(reverse("notices-read"), {"notice": str(assigned.pk)})
    unread = Notice.objects.filter(user=world.officer, read_at=None).count()
    assert unread == 0
    assert client.get(reverse("notices")).context["unread_notices"] == 0


def test_marking_all_read_reads_ones_own_notices_only(told_officer, login) -> None:
    world = told_officer
    login(world.officer).post(reverse("notices-read"))
    unread = sorted(Notice.objects.filter(read_at=None).values_list("user__username", flat=True))
    assert unread == ["leader", "leader", "outsider", "reviewer"]  # to approve, returned


def test_a_page_of_notices_that_is_not_there_is_a_vietnamese_400(world, login) -> None:
    response = login(world.officer).get(reverse("notices") + "?page=9")
    assert response.status_code == 400
    assert response.context["message"] == "Trang «9» không có: danh sách có 1 trang (từ 1 đến 1)."
