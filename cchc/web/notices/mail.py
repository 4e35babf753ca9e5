"""Notices by e-mail, through Django's mail settings (SMTP from the `CCHC_EMAIL_*` variables,
the console in the demo).

A mail that cannot be sent (server down, refused address) never undoes the work that
caused it: the notice stays in the app, unmailed (`mailed_at` empty), the failure goes
to the server's log, and the job queue tries again later (`cchc.web.jobs.tasks`).
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone

from cchc.web.notices.models import Notice

log = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Báo cáo CCHC] "


def message_of(notice: Notice) -> EmailMessage:
    """The mail of one notice: what happened or is due, and the link to the report."""
    lines = [notice.text, ""]
    if notice.report_id:
        url = settings.SITE_URL + reverse("report-detail", args=[notice.report_id])
        lines.append(f"Mở báo cáo: {url}")
    lines.append(f"Mọi thông báo của bạn: {settings.SITE_URL}{reverse('notices')}")
    lines += ["", "Thư này do hệ thống Báo cáo CCHC gửi tự động; xin đừng trả lời thư."]
    where = f" — {notice.report.unit.name}" if notice.report is not None else ""
    return EmailMessage(
        subject=f"{SUBJECT_PREFIX}{notice.get_kind_display()}{where}",
        body="\n".join(lines),
        to=[notice.user.email],
    )


def mail_notices(ids: list[int]) -> int:
    """Mail these notices to those who have an address; how many mails went out."""
    notices = [
        n
        for n in Notice.objects.filter(pk__in=ids, mailed_at=None)
        .select_related("user", "report__unit")
        .order_by("pk")
        if n.user.email
    ]
    if not notices:
        return 0
    sent = []
    try:
        with get_connection() as connection:
            for notice in notices:
                connection.send_messages([message_of(notice)])
                sent.append(notice.pk)
    except (smtplib.SMTPException, OSError) as exc:
        log.warning("Không gửi được thư thông báo (%s): %s", settings.EMAIL_HOST, exc)
    Notice.objects.filter(pk__in=sent).update(mailed_at=timezone.now())
    return len(sent)


def unmailed(ids: list[int]) -> list[int]:
    """Those of these notices still to be mailed (to people who have an address)."""
    left = Notice.objects.filter(pk__in=ids, mailed_at=None).exclude(user__email="")
    return list(left.order_by("pk").values_list("pk", flat=True))
