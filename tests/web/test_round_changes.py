"""A round changed after it opened: edited, extended for one unit, units added or taken
out, closed and reopened; each change refused with a reason when it cannot be, kept in
the log as a sentence, and told to the units concerned."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType, Window
from cchc.web.notices.models import Notice, NoticeKind
from cchc.web.notices.reminders import send_reminders
from cchc.web.organisation.models import OrgUnit, Role
from cchc.web.organisation.services import create_unit, move_unit
from cchc.web.reporting.audit.history import describe
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import AuditEvent, Report, ReportingRound, TemplateVersion
from cchc.web.reporting.rounds import changes
from cchc.web.reporting.workflow import services
from tests.web.conftest import _user
from tests.web.test_notice_mail import sink, smtp  # noqa: F401 — the real SMTP sink


def _at(text: str) -> datetime:
    return timezone.make_aware(datetime.strptime(text, "%H:%M %d/%m/%Y"))


def _told(rnd: ReportingRound) -> set[str]:
    return set(
        Notice.objects.filter(round=rnd, kind=NoticeKind.ROUND_CHANGED).values_list(
            "user__username", flat=True
        )
    )


def _sentences(**where) -> list[str]:
    return [describe(e) for e in AuditEvent.objects.filter(**where).order_by("at", "id")]


def test_an_edited_round_is_logged_and_every_unit_still_working_is_told(world) -> None:
    rnd = world.round
    changed = changes.edit_round(
        user=world.reviewer,
        rnd=rnd,
        title="  Báo cáo CCHC 6 tháng cuối năm 2026  ",
        window=Window(date(2026, 6, 15), date(2026, 12, 14)),
        deadline=_at("17:00 18/12/2099"),
    )
    assert changed == ["title", "deadline"]
    rnd.refresh_from_db()
    assert (rnd.title, rnd.deadline) == (
        "Báo cáo CCHC 6 tháng cuối năm 2026",
        _at("17:00 18/12/2099"),
    )
    (sentence,) = _sentences(round=rnd, action="round-edited")
    assert sentence.startswith("Sửa đợt báo cáo: tên «Báo cáo CCHC 6 tháng cuối năm 2026 — ")
    assert sentence.endswith(
        "» → «Báo cáo CCHC 6 tháng cuối năm 2026»; hạn nộp 16/12/2099 17:00 → 18/12/2099 17:00."
    )
    assert _told(rnd) == {"leader", "unit_admin", "officer", "outsider"}
    text = Notice.objects.filter(user=world.leader, kind=NoticeKind.ROUND_CHANGED).get().text
    assert text.startswith("reviewer (Tỉnh Thử) đổi tên đợt thành «Báo cáo CCHC 6 tháng cuối")
    assert "đổi hạn nộp chung thành 18/12/2099 17:00" in text


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("17:00 01/01/2020", "Hạn nộp 01/01/2020 17:00 đã qua"),
        ("17:00 13/12/2099", "sớm hơn ngày chốt số liệu 14/12/2099"),
    ],
)
def test_a_deadline_in_the_past_or_before_the_cut_off_is_refused(world, deadline, message) -> None:
    rnd = world.round
    with pytest.raises(services.Refused, match=message):
        changes.edit_round(
            user=world.reviewer,
            rnd=rnd,
            title=rnd.title,
            window=Window(date(2099, 6, 15), date(2099, 12, 14)),
            deadline=_at(deadline),
        )
    rnd.refresh_from_db()
    assert (rnd.window_end, rnd.deadline) == (date(2026, 12, 14), _at("17:00 16/12/2099"))
    assert not AuditEvent.objects.filter(action="round-edited").exists() and not _told(rnd)


def test_a_new_window_whose_tree_no_longer_holds_a_unit_is_refused(world) -> None:
    other = create_unit(code="T2", name="Tỉnh Khác", level="tinh", parent=world.ministry)
    move_unit(unit=world.commune_b, new_parent=other, on=date(2027, 1, 1))
    with pytest.raises(services.Refused, match="không trực thuộc Tỉnh Thử: Xã Bình"):
        changes.edit_round(
            user=world.reviewer,
            rnd=world.round,
            title=world.round.title,
            window=Window(date(2026, 12, 15), date(2027, 6, 14)),
            deadline=world.round.deadline,
        )


def test_one_unit_gets_a_later_deadline_the_others_keep_the_rounds(world) -> None:
    changes.extend_deadline(
        user=world.reviewer, report=world.report_a, deadline=_at("17:00 30/12/2099")
    )
    a, b = (Report.objects.get(pk=r.pk) for r in (world.report_a, world.report_b))
    assert (a.due, b.due) == (_at("17:00 30/12/2099"), _at("17:00 16/12/2099"))
    assert _sentences(report=a) == ["Gia hạn nộp cho Xã An: 16/12/2099 17:00 → 30/12/2099 17:00."]
    assert _told(world.round) == {"leader", "unit_admin", "officer"}
    with pytest.raises(services.Refused, match="phải sau hạn hiện tại của Xã An"):
        changes.extend_deadline(user=world.reviewer, report=a, deadline=_at("17:00 20/12/2099"))


def test_a_round_deadline_moved_past_a_units_extension_holds_for_that_unit_too(world) -> None:
    changes.extend_deadline(
        user=world.reviewer, report=world.report_a, deadline=_at("17:00 20/12/2099")
    )
    rnd = world.round
    changes.edit_round(
        user=world.reviewer,
        rnd=rnd,
        title=rnd.title,
        window=Window(rnd.window_start, rnd.window_end),
        deadline=_at("17:00 31/12/2099"),
    )
    assert Report.objects.get(pk=world.report_a.pk).due == _at("17:00 31/12/2099")


def test_a_closed_round_refuses_submission_until_reopened_for_the_unit(world) -> None:
    chief_b = _user("chief_b", world.commune_b, Role.LEADER)
    services.approve_report(user=world.leader, report=world.report_a, reason="Thử.")
    services.approve_report(user=chief_b, report=world.report_b, reason="Thử.")
    changes.close_round(user=world.reviewer, rnd=world.round)
    for report, leader in ((world.report_a, world.leader), (world.report_b, chief_b)):
        report.refresh_from_db()
        with pytest.raises(services.Refused, match=r"đã khóa lúc .*không nhận báo cáo gửi lên nữa"):
            services.submit_report(user=leader, report=report)
    changes.reopen_unit(
        user=world.reviewer, report=world.report_a, deadline=_at("17:00 30/12/2099")
    )
    a = Report.objects.get(pk=world.report_a.pk)
    services.submit_report(user=world.leader, report=a)
    assert Report.objects.get(pk=a.pk).state == "submitted"
    b = Report.objects.get(pk=world.report_b.pk)
    with pytest.raises(services.Refused, match="Hãy liên hệ Tỉnh Thử để được mở lại cho Xã Bình"):
        services.submit_report(user=chief_b, report=b)
    assert _sentences(round=world.round, action__in=["round-closed", "unit-reopened"]) == [
        "Khóa đợt: không nhận báo cáo gửi lên nữa (2 đơn vị chưa gửi).",
        "Mở lại đợt đã khóa cho Xã An, hạn nộp 30/12/2099 17:00.",
    ]


def test_a_unit_is_added_with_its_split_and_an_untouched_one_taken_out(world) -> None:
    c = create_unit(code="XC", name="Xã Cầu", level="xa", parent=world.province)
    clerk = _user("clerk_c", c, Role.CONTRIBUTOR, duty="vp-noi-vu")
    chief = _user("chief_c", c, Role.LEADER)
    (report,) = changes.add_units(user=world.reviewer, rnd=world.round, units=[c])
    assert report.assignments.filter(user=clerk).exists()
    assert {"clerk_c", "chief_c"} <= _told(world.round)
    with pytest.raises(services.Refused, match="Các đơn vị đã có trong đợt: Xã Cầu"):
        changes.add_units(user=world.reviewer, rnd=world.round, units=[c])
    changes.remove_unit(user=world.reviewer, report=report)
    assert not Report.objects.filter(pk=report.pk).exists()
    removed = Notice.objects.get(user=chief, report=None, kind=NoticeKind.ROUND_CHANGED)
    assert "bỏ Xã Cầu khỏi đợt" in removed.text
    assert _sentences(round=world.round, action__in=["unit-added", "unit-removed"]) == [
        "Thêm Xã Cầu vào đợt.",
        "Bỏ Xã Cầu khỏi đợt.",
    ]


def test_a_unit_whose_report_was_started_stays_in_the_round(world) -> None:
    saving.save_values(
        user=world.officer, report=world.report_a, form="BM1", changes={"2.1": ("19", None)}
    )
    report = Report.objects.get(pk=world.report_a.pk)
    with pytest.raises(services.Refused, match="Báo cáo của Xã An đã được làm"):
        changes.remove_unit(user=world.reviewer, report=report)
    assert Report.objects.filter(pk=report.pk).exists()


@pytest.mark.parametrize("persona", ["ministry_reviewer", "leader", "officer", "outsider"])
def test_only_the_issuing_units_reviewer_changes_the_round(world, login, persona) -> None:
    user = getattr(world, persona)
    with pytest.raises(services.Refused, match="Chỉ cán bộ Nội vụ của Tỉnh Thử"):
        changes.close_round(user=user, rnd=world.round)
    response = login(user).get(reverse("round-manage", args=[world.round.pk]))
    assert response.status_code == 403
    assert "Chỉ cán bộ Nội vụ của Tỉnh Thử" in response.content.decode()
    assert ReportingRound.objects.get(pk=world.round.pk).closed_at is None


def test_the_page_refuses_a_past_deadline_with_a_message_and_saves_nothing(world, login) -> None:
    rnd = world.round
    response = login(world.reviewer).post(
        reverse("round-manage", args=[rnd.pk]),
        {
            "action": "edit",
            "title": "Đợt khác",
            "window_start": "15/06/2026",
            "window_end": "14/12/2026",
            "deadline": "17:00 01/12/2026",
        },
    )
    assert response.status_code == 400
    assert "Chưa lưu: Hạn nộp 01/12/2026 17:00 đã qua" in response.content.decode()
    assert ReportingRound.objects.get(pk=rnd.pk).title == rnd.title


def test_the_page_extends_one_unit_and_says_so(world, login) -> None:
    client = login(world.reviewer)
    url = reverse("round-manage", args=[world.round.pk])
    bad = client.post(url, {"action": "extend", "report": world.report_b.pk, "deadline": "mai"})
    assert bad.status_code == 400
    assert "Hạn nộp «mai» không đúng dạng giờ, ngày" in bad.content.decode()
    good = client.post(
        url,
        {"action": "extend", "report": world.report_b.pk, "deadline": "17:00 30/12/2099"},
        follow=True,
    )
    assert "Đã gia hạn nộp cho Xã Bình." in good.content.decode()
    assert Report.objects.get(pk=world.report_b.pk).due == _at("17:00 30/12/2099")


def test_opening_a_round_with_a_past_deadline_is_refused_on_the_page(world, login) -> None:
    response = login(world.reviewer).post(
        reverse("round-create"),
        {
            "issuer": world.province.pk,
            "template": world.round.template_id,
            "period": "quarter-1",
            "year": "2026",
            "window_start": "15/12/2025",
            "window_end": "14/03/2026",
            "deadline": "17:00 20/03/2026",
            "units": [world.commune_a.pk],
        },
    )
    assert response.status_code == 200
    assert "Hạn nộp 20/03/2026 17:00 đã qua" in response.content.decode()
    assert not ReportingRound.objects.filter(period_key="2026-Q1").exists()


def test_a_default_title_keeps_the_roman_numeral_a_capital(world) -> None:
    rnd = services.open_round(
        user=world.reviewer,
        issuer=world.province,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.QUARTER, 2027, 1),
        units=[world.commune_a],
    )
    assert rnd.title.startswith("Báo cáo CCHC quý I năm 2027 — ")


def test_reminders_follow_a_units_own_deadline_and_a_closed_round_reminds_nobody(world) -> None:
    now = timezone.now()
    ReportingRound.objects.filter(pk=world.round.pk).update(deadline=now + timedelta(days=2))
    Report.objects.filter(pk=world.report_a.pk).update(deadline=now + timedelta(days=10))
    send_reminders(now=now)
    reminded = set(
        Notice.objects.filter(kind=NoticeKind.DUE_3_DAYS).values_list("report", flat=True)
    )
    assert reminded == {world.report_b.pk}
    Notice.objects.all().delete()
    ReportingRound.objects.filter(pk=world.round.pk).update(closed_at=now)
    assert send_reminders(now=now).notices == 0


def test_units_of_another_province_cannot_be_added(world) -> None:
    other = create_unit(code="T2", name="Tỉnh Khác", level="tinh", parent=world.ministry)
    far = create_unit(code="XF", name="Xã Xa", level="xa", parent=other)
    with pytest.raises(services.Refused, match="không trực thuộc Tỉnh Thử: Xã Xa"):
        changes.add_units(user=world.reviewer, rnd=world.round, units=[far])
    assert not OrgUnit.objects.get(pk=far.pk).reports.exists()


def test_a_change_of_the_round_is_mailed_to_the_unit(
    world,
    sink,  # noqa: F811 — the fixtures imported above
    smtp,  # noqa: F811
    django_capture_on_commit_callbacks,
) -> None:
    world.leader.email = "leader@xaan.gov.vn"
    world.leader.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        changes.extend_deadline(
            user=world.reviewer, report=world.report_a, deadline=_at("17:00 30/12/2099")
        )
    ((to, mail),) = sink.mails
    assert (to, mail["Subject"]) == (
        ["leader@xaan.gov.vn"],
        "[Báo cáo CCHC] Đợt báo cáo thay đổi — Xã An",
    )
    body = mail.get_content()
    assert "reviewer (Tỉnh Thử) gia hạn nộp cho Xã An đến 30/12/2099 17:00" in body
    assert f"/bao-cao/{world.report_a.pk}/" in body
