"""A notice: one thing one person must do or should know, kept until they have read it.

Deadline reminders are notices too; a unique constraint on (person, report, threshold)
records that a reminder was sent, so the hourly job never sends it twice, however often
it runs or however many servers run it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cchc.web.reporting.models import Report, ReportingRound


class NoticeKind(models.TextChoices):
    ASSIGNED = "assigned", "Được phân công"
    RETURNED = "returned", "Báo cáo bị trả lại"
    TO_APPROVE = "to-approve", "Chờ lãnh đạo duyệt"
    TO_REVIEW = "to-review", "Chờ tiếp nhận"
    ACCEPTED = "accepted", "Cấp trên đã tiếp nhận"
    DUE_3_DAYS = "due-3-days", "Còn 3 ngày đến hạn nộp"
    DUE_TOMORROW = "due-tomorrow", "Ngày mai đến hạn nộp"
    OVERDUE = "overdue", "Đã quá hạn nộp"
    ROUND_CHANGED = "round-changed", "Đợt báo cáo thay đổi"


REMINDER_KINDS = (NoticeKind.DUE_3_DAYS, NoticeKind.DUE_TOMORROW, NoticeKind.OVERDUE)


class Notice(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("loại", max_length=16, choices=NoticeKind.choices)
    report = models.ForeignKey(Report, null=True, on_delete=models.CASCADE, related_name="notices")
    round = models.ForeignKey(
        ReportingRound, null=True, on_delete=models.CASCADE, related_name="notices"
    )
    text = models.TextField("nội dung")
    created = models.DateTimeField("lúc", default=timezone.now, db_index=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    mailed_at = models.DateTimeField("đã gửi thư lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notice_unread_by_user")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "report", "kind"],
                condition=Q(kind__in=REMINDER_KINDS),
                name="one_reminder_per_threshold",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"

    @property
    def read(self) -> bool:
        return self.read_at is not None
