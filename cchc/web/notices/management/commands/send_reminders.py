"""`cchc manage send_reminders`: the deadline reminders, run every hour by cron."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cchc.web.notices.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Nhắc hạn nộp báo cáo (còn 3 ngày, còn 1 ngày, đã quá hạn) cho những người còn việc "
        "trên báo cáo chưa gửi: thông báo trong ứng dụng và thư điện tử, mỗi mốc một lần. "
        "Chạy mỗi giờ bằng cron."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"Đã gửi {sent.notices} lời nhắc hạn ({sent.mails} thư điện tử).")
