"""Deadline reminders with a frozen clock: the job is given `now`, as cron's run would be.

One mail per person per threshold (3 days, 1 day, overdue), to those who still have work
on a report not yet submitted, and never twice, however often the job runs.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from cchc.web.notices.models import Notice
from cchc.web.notices.reminders import RemindersSent, send_reminders
from cchc.web.reporting.models import Assignment
from cchc.web.reporting.workflow import services
from tests.web.test_notices import ROUND
from tests.web.test_permissions import PERSONAS


@pytest.fixture
def addressed(world):
    for name in PERSONAS:
        user = getattr(world, name)
        user.email = f"{name}@example.gov.vn"
        user.save(update_fields=["email"])
    mail.outbox.clear()  # the default parts' notices of the round's opening
    return world


def _mails() -> list[tuple[str, str]]:
    return sorted((m.to[0].split("@")[0], m.subject) for m in mail.outbox)


def _reminded(kind: str) -> list[tuple[str, str]]:
    rows = Notice.objects.filter(kind=kind).select_related("user", "report__unit")
    return sorted((n.user.username, n.report.unit.code) for n in rows)


def test_each_threshold_is_mailed_once_to_each_person_with_work_and_never_again(addressed) -> None:
    world = addressed
    deadline = world.round.deadline
    assert send_reminders(now=deadline - timedelta(days=4)) == RemindersSent(0, 0)

    assert send_reminders(now=deadline - timedelta(days=2)) == RemindersSent(4, 4)
    soon = "[Báo cáo CCHC] Còn 3 ngày đến hạn nộp"
    assert _mails() == [
        ("leader", f"{soon} — Xã An"),
        ("officer", f"{soon} — Xã An"),
        ("outsider", f"{soon} — Xã Bình"),
        ("unit_admin", f"{soon} — Xã An"),  # parts of Xã An nobody has yet
    ]
    assert send_reminders(now=deadline - timedelta(days=2)) == RemindersSent(0, 0)
    assert send_reminders(now=deadline - timedelta(days=1, hours=1)) == RemindersSent(0, 0)
    assert len(mail.outbox) == 4

    mail.outbox.clear()
    assert send_reminders(now=deadline - timedelta(hours=20)) == RemindersSent(4, 4)
    assert send_reminders(now=deadline - timedelta(hours=2)) == RemindersSent(0, 0)
    assert [s for _, s in _mails()] == [
        "[Báo cáo CCHC] Ngày mai đến hạn nộp — Xã An",
        "[Báo cáo CCHC] Ngày mai đến hạn nộp — Xã An",
        "[Báo cáo CCHC] Ngày mai đến hạn nộp — Xã Bình",
        "[Báo cáo CCHC] Ngày mai đến hạn nộp — Xã An",
    ]

    mail.outbox.clear()
    assert send_reminders(now=deadline + timedelta(minutes=1)) == RemindersSent(4, 4)
    assert send_reminders(now=deadline + timedelta(days=3)) == RemindersSent(0, 0)
    assert _reminded("overdue") == [
        ("leader", "XA"),
        ("officer", "XA"),
        ("outsider", "XB"),
        ("unit_admin", "XA"),
    ]
    assert Notice.objects.get(user=world.officer, kind="overdue").text == (
        f"Đã quá hạn nộp báo cáo của Xã An, đợt «{ROUND}» (hạn 16/12/2099 17:00); báo cáo "
        "chưa được gửi lên cấp trên."
    )


def test_a_first_run_close_to_the_deadline_sends_only_the_most_urgent_threshold(
    addressed,
) -> None:
    world = addressed
    send_reminders(now=world.round.deadline - timedelta(hours=3))
    kinds = set(Notice.objects.exclude(kind="assigned").values_list("kind", flat=True))
    assert kinds == {"due-tomorrow"}
    assert Notice.objects.get(user=world.leader, kind="due-tomorrow").text == (
        f"Còn chưa đến 1 ngày đến hạn nộp báo cáo của Xã An, đợt «{ROUND}» (hạn 16/12/2099 "
        "17:00); báo cáo chưa được gửi."
    )


def test_whoever_has_finished_their_part_or_submitted_is_not_reminded(addressed) -> None:
    world = addressed
    for a in Assignment.objects.filter(report=world.report_a):
        services.mark_done(
            user=world.officer,
            report=world.report_a,
            kind=a.kind,
            code=a.code,
            reason="Phần còn trống không phát sinh trong kỳ.",
        )
    services.approve_report(
        user=world.leader, report=world.report_a, reason="Phần còn trống không phát sinh trong kỳ."
    )
    send_reminders(now=world.round.deadline - timedelta(days=2))
    # Xã An approved, not submitted: its leader still must submit it
    assert _reminded("due-3-days") == [("leader", "XA"), ("outsider", "XB")]
    services.submit_report(user=world.leader, report=world.report_a)
    send_reminders(now=world.round.deadline - timedelta(hours=5))
    assert _reminded("due-tomorrow") == [("outsider", "XB")]


def test_the_database_refuses_a_second_reminder_of_the_same_threshold(world) -> None:
    row = {"user": world.officer, "kind": "due-3-days", "report": world.report_a, "text": "…"}
    Notice.objects.create(**row)
    with pytest.raises(IntegrityError):
        Notice.objects.create(**row)


def test_the_cron_command_reminds_with_the_real_clock_and_says_how_many(addressed) -> None:
    world = addressed
    world.round.deadline = timezone.now() + timedelta(days=2)
    world.round.save(update_fields=["deadline"])
    out = StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "Đã gửi 4 lời nhắc hạn (4 thư điện tử).",
        "Đã gửi 0 lời nhắc hạn (0 thư điện tử).",
    ]
