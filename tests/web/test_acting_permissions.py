"""Who may act on a report, beyond seeing it: accept and return belong to the unit that
issued the round, «xong» only while the report is being written, parts only to the unit's
own active people. Every refusal says why, in Vietnamese, and leaves nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.core.periods import Period, PeriodType
from cchc.web.reporting.models import Assignment, AuditEvent, ReportState
from cchc.web.reporting.workflow import permissions, services

NOT_OURS = "Chỉ cán bộ Nội vụ của Tỉnh Thử, đơn vị mở đợt báo cáo này, được {} báo cáo của Xã An."
NOT_SEEN = "Bạn không có quyền xem báo cáo của Xã An."


def _submit(world) -> None:
    services.approve_report(user=world.leader, report=world.report_a, reason="Thử.")
    services.submit_report(user=world.leader, report=world.report_a)


def _state(world) -> str:
    world.report_a.refresh_from_db()
    return world.report_a.state


def _refusal(response) -> tuple[int, str]:
    return response.status_code, response.context["exception"]


@pytest.mark.parametrize(
    ("persona", "refusal"),
    [
        ("officer", NOT_OURS),
        ("colleague", NOT_OURS),
        ("leader", NOT_OURS),
        ("unit_admin", NOT_OURS),
        ("outsider", NOT_SEEN),
        ("ministry_reviewer", NOT_OURS),
    ],
)
@pytest.mark.parametrize(("action", "doing"), [("accept", "tiếp nhận"), ("return", "trả lại")])
def test_only_the_issuing_provinces_reviewer_accepts_or_returns_on_the_page(
    world, login, persona, refusal, action, doing
) -> None:
    _submit(world)
    response = login(getattr(world, persona)).post(
        reverse("report-transition", args=[world.report_a.pk]),
        {"action": action, "comment": "Thiếu số liệu."},
    )
    assert _refusal(response) == (403, refusal.format(doing))
    assert _state(world) == ReportState.SUBMITTED
    assert list(AuditEvent.objects.filter(action__in=["accepted", "returned"])) == []


@pytest.mark.parametrize(
    ("action", "state"), [("accept", ReportState.ACCEPTED), ("return", ReportState.RETURNED)]
)
def test_where_the_ministry_reviewer_is_refused_the_provinces_reviewer_succeeds(
    world, login, action, state
) -> None:
    _submit(world)
    url = reverse("report-transition", args=[world.report_a.pk])
    data = {"action": action, "comment": "Thiếu số liệu."}
    refused = login(world.ministry_reviewer).post(url, data)
    done = login(world.reviewer).post(url, data)
    assert (refused.status_code, done.status_code, done["Location"]) == (
        403,
        302,
        reverse("report-detail", args=[world.report_a.pk]),
    )
    assert _state(world) == state


@pytest.mark.parametrize("operation", ["accept_report", "return_report"])
def test_the_ministry_reviewer_above_is_refused_by_the_service_too(world, operation) -> None:
    _submit(world)
    doing = "tiếp nhận" if operation == "accept_report" else "trả lại"
    kwargs = {"comment": "Thiếu."} if operation == "return_report" else {}
    with pytest.raises(permissions.Refused) as refused:
        getattr(services, operation)(user=world.ministry_reviewer, report=world.report_a, **kwargs)
    assert str(refused.value) == NOT_OURS.format(doing)
    assert _state(world) == ReportState.SUBMITTED


@pytest.mark.parametrize(("persona", "buttons"), [("reviewer", True), ("ministry_reviewer", False)])
def test_the_ministry_reviewer_sees_the_submitted_report_without_the_review_buttons(
    world, login, persona, buttons
) -> None:
    _submit(world)
    response = login(getattr(world, persona)).get(
        reverse("report-detail", args=[world.report_a.pk])
    )
    assert (response.status_code, response.context["can_review"]) == (200, buttons)


def test_a_ministry_round_is_the_ministrys_to_accept(world) -> None:
    """The rule follows the issuer, not the level: in its own round the ministry acts."""
    rnd = services.open_round(
        user=world.ministry_reviewer,
        issuer=world.ministry,
        template=world.round.template,
        period=Period(PeriodType.HALF_YEAR, 2026, 2),
        units=[world.commune_a],
    )
    report = rnd.reports.get()
    services.approve_report(user=world.leader, report=report, reason="Thử.")
    services.submit_report(user=world.leader, report=report)
    with pytest.raises(permissions.Refused) as refused:
        services.accept_report(user=world.reviewer, report=report)
    assert str(refused.value) == (
        "Chỉ cán bộ Nội vụ của Bộ Nội vụ, đơn vị mở đợt báo cáo này, "
        "được tiếp nhận báo cáo của Xã An."
    )
    services.accept_report(user=world.ministry_reviewer, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED


# ---------------------------------------------------------------- «đánh dấu xong»


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (ReportState.APPROVED, "Lãnh đạo đã duyệt"),
        (ReportState.SUBMITTED, "Đã gửi cấp trên"),
        (ReportState.ACCEPTED, "Cấp trên đã tiếp nhận"),
    ],
)
@pytest.mark.parametrize(("done", "what"), [("1", "đánh dấu xong"), ("0", "mở lại")])
def test_a_part_of_a_locked_report_cannot_be_marked_done_or_reopened(
    world, login, state, label, done, what
) -> None:
    services.approve_report(user=world.leader, report=world.report_a, reason="Thử.")
    if state != ReportState.APPROVED:
        services.submit_report(user=world.leader, report=world.report_a)
    if state == ReportState.ACCEPTED:
        services.accept_report(user=world.reviewer, report=world.report_a)
    response = login(world.officer).post(
        reverse("mark-done", args=[world.report_a.pk]),
        {"kind": "form", "code": "BM1", "done": done},
    )
    assert _refusal(response) == (
        403,
        f"Báo cáo đang ở trạng thái «{label}» nên không {what} phần việc được.",
    )
    assert list(Assignment.objects.filter(done_at__isnull=False)) == []
    assert list(AuditEvent.objects.filter(action__in=["part-done", "part-reopened"])) == []


# ---------------------------------------------------------------- assignment


def _assign(world, login, value: str):
    return login(world.unit_admin).post(
        reverse("report-assign", args=[world.report_a.pk]), {"form:BM2": value}
    )


def _owners(world) -> dict[str, str]:
    rows = Assignment.objects.filter(report=world.report_a, kind="form")
    return dict(rows.values_list("code", "user__username"))


BEFORE = {"BM1": "officer", "BM4": "officer", "BM5": "officer"}


def _refused(response, world) -> list[str]:
    """The assignment page answered 400, saved nothing, and said this."""
    assert (response.status_code, _owners(world)) == (400, BEFORE)
    assert list(AuditEvent.objects.filter(action="assigned")) == []
    return [str(m) for m in response.context["messages"]]


def test_a_part_cannot_go_to_someone_of_a_sibling_commune(world, login) -> None:
    assert _refused(_assign(world, login, str(world.outsider.pk)), world) == [
        "Chưa lưu phân công: outsider không thuộc Xã An nên không được phân công "
        "phần việc của báo cáo này."
    ]
    assert _assign(world, login, str(world.colleague.pk)).status_code == 302
    assert _owners(world) == {**BEFORE, "BM2": "colleague"}


def test_a_part_cannot_go_to_a_deactivated_member_of_the_commune(world, login) -> None:
    world.colleague.is_active = False
    world.colleague.save(update_fields=["is_active"])
    assert _refused(_assign(world, login, str(world.colleague.pk)), world) == [
        "Chưa lưu phân công: Tài khoản colleague đã ngừng hoạt động nên không nhận phân công được."
    ]


@pytest.mark.parametrize("value", ["999999", "abc", "99999999999999999999999999"])
def test_a_part_cannot_go_to_an_unknown_user_id(world, login, value) -> None:
    assert _refused(_assign(world, login, value), world) == [
        f"Chưa lưu phân công: Không có người dùng mã «{value}» (phần việc BM2)."
    ]


def test_one_bad_choice_saves_nothing_of_the_form(world, login) -> None:
    response = login(world.unit_admin).post(
        reverse("report-assign", args=[world.report_a.pk]),
        {"form:BM2": str(world.colleague.pk), "form:BM3": str(world.outsider.pk)},
    )
    assert _refused(response, world) == [
        "Chưa lưu phân công: outsider không thuộc Xã An nên không được phân công "
        "phần việc của báo cáo này."
    ]


def test_a_part_the_template_does_not_have_cannot_be_assigned(world) -> None:
    with pytest.raises(permissions.Refused) as refused:
        services.assign_part(
            user=world.unit_admin,
            report=world.report_a,
            kind="form",
            code="BM99",
            assignee=world.colleague,
        )
    assert str(refused.value) == "Mẫu báo cáo không có biểu «BM99» để phân công."


def test_the_split_of_work_of_a_submitted_report_stays_as_it_was(world, login) -> None:
    services.mark_done(
        user=world.officer, report=world.report_a, kind="form", code="BM1", reason="Thử."
    )
    _submit(world)
    assert (
        login(world.unit_admin).get(reverse("report-assign", args=[world.report_a.pk])).status_code
        == 200
    )
    assert _refused(_assign(world, login, str(world.colleague.pk)), world) == [
        "Chưa lưu phân công: Báo cáo đang ở trạng thái «Đã gửi cấp trên» nên không đổi "
        "phân công được."
    ]
    done = Assignment.objects.filter(done_at__isnull=False).values_list("kind", "code")
    assert list(done) == [("form", "BM1")]
