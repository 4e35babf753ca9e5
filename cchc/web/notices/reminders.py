"""Deadline reminders: 3 days before, the day before, and once overdue.

`send_reminders` is what `cchc manage send_reminders` runs every hour (cron). For each
report not yet submitted it finds, for everyone who still has work on it (notices/work.py),
the most urgent threshold their deadline has passed (an official's is the internal deadline
of their unfinished parts, when the office set one) and tells them, once: the notice's
unique constraint on (person, report, threshold) is the record of what was sent, so a
second run, or two servers running at once, send nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from cchc.web.notices.mail import mail_notices
from cchc.web.notices.models import Notice, NoticeKind
from cchc.web.notices.work import LEADING_STATES, deadlines_of
from cchc.web.organisation.models import Membership, Role
from cchc.web.reporting.models import Assignment, Report
from cchc.web.reporting.wording import local_time, report_name

SOON = timedelta(days=3)
TOMORROW = timedelta(days=1)


def threshold(deadline: datetime, now: datetime) -> str | None:
    """The most urgent threshold the deadline has passed at `now`, if any."""
    left = deadline - now
    if left <= timedelta(0):
        return NoticeKind.OVERDUE
    if left <= TOMORROW:
        return NoticeKind.DUE_TOMORROW
    if left <= SOON:
        return NoticeKind.DUE_3_DAYS
    return None


def reminder_text(kind: str, report: Report, internal: datetime | None = None) -> str:
    """The reminder of the unit's deadline, or of an official's internal one (`internal`)."""
    due = local_time(internal or report.due)
    name = report_name(report)
    if internal is not None:
        yours = f"phần việc của bạn trong {name} (hạn nội bộ {due})"
        if kind == NoticeKind.OVERDUE:
            return f"Đã quá hạn nội bộ nộp {yours}; hãy hoàn thành và đánh dấu xong."
        when = "chưa đến 1 ngày" if kind == NoticeKind.DUE_TOMORROW else "chưa đến 3 ngày"
        return f"Còn {when} đến hạn nội bộ nộp {yours}."
    if kind == NoticeKind.OVERDUE:
        return f"Đã quá hạn nộp {name} (hạn {due}); báo cáo chưa được gửi lên cấp trên."
    when = "chưa đến 1 ngày" if kind == NoticeKind.DUE_TOMORROW else "chưa đến 3 ngày"
    return f"Còn {when} đến hạn nộp {name} (hạn {due}); báo cáo chưa được gửi."


@dataclass
class RemindersSent:
    notices: int
    mails: int


def send_reminders(*, now: datetime | None = None) -> RemindersSent:
    now = now or timezone.now()
    # A unit's own deadline (an extension) counts instead of the round's, an official's
    # internal one for their parts; a closed round takes nothing more, so reminds nobody
    # (except the units it was reopened for).
    near = Q(due_at__lte=now + SOON) | Q(
        assignments__due_at__lte=now + SOON, assignments__done_at__isnull=True
    )
    reports = list(
        Report.objects.annotate(
            due_at=Greatest(Coalesce("deadline", "round__deadline"), "round__deadline")
        )
        .filter(near, state__in=LEADING_STATES)
        .filter(Q(round__closed_at=None) | Q(reopened_at__isnull=False))
        .distinct()
        .select_related("unit", "round__template")
        .order_by("due_at", "pk")
    )
    unit_ids = {r.unit_id for r in reports}
    roles: dict[int, dict[str, list]] = {}
    for m in Membership.objects.filter(
        unit_id__in=unit_ids, role__in=[Role.LEADER, Role.UNIT_ADMIN]
    ).select_related("user"):
        roles.setdefault(m.unit_id, {}).setdefault(m.role, []).append(m.user)
    parts: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.filter(report__in=reports).select_related("user"):
        parts.setdefault(a.report_id, []).append(a)
    made: list[int] = []
    for report in reports:
        people = deadlines_of(report, roles.get(report.unit_id, {}), parts.get(report.pk, []))
        for user, due, internal in people.values():
            kind = threshold(due, now)
            if kind is None:
                continue
            text = reminder_text(kind, report, due if internal else None)
            try:
                with transaction.atomic():
                    notice = Notice.objects.create(
                        user=user,
                        kind=kind,
                        report=report,
                        round=report.round,
                        text=text,
                        created=now,
                    )
            except IntegrityError:  # sent before: the constraint is the record
                continue
            made.append(notice.pk)
    return RemindersSent(notices=len(made), mails=mail_notices(made))
