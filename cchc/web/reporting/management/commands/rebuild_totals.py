"""`cchc manage rebuild_totals [--round N] [--background]`: remake the stored consolidation
of rounds, here or (`--background`) on the job queue, whose worker does it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.web.reporting.models import ReportingRound


class Command(BaseCommand):
    help = (
        "Tính lại từ đầu số liệu tổng hợp lưu sẵn của các đợt báo cáo (mọi nhánh), "
        "từ các báo cáo đã gửi. Trang Tổng hợp vẫn tự tính lại nhánh nào đã cũ; lệnh này "
        "dùng sau khi sửa dữ liệu trực tiếp trong cơ sở dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, metavar="SỐ", help="chỉ một đợt báo cáo")
        parser.add_argument(
            "--background",
            action="store_true",
            help="đưa vào hàng đợi cho tiến trình chạy nền (db_worker) làm, không chờ",
        )

    def handle(self, *args, **options):
        round_id = options.get("round")
        rounds = ReportingRound.objects.select_related("template").order_by("pk")
        if round_id is not None:
            rounds = rounds.filter(pk=round_id)
            if not rounds.exists():
                raise CommandError(f"Không có đợt báo cáo số {round_id}.")
        if options.get("background"):
            from cchc.web.jobs.runner import start  # noqa: PLC0415 — the queue loads only when asked

            which = f"đợt {round_id}" if round_id is not None else "mọi đợt"
            with transaction.atomic():
                job = start(
                    "rebuild-totals",
                    user=None,
                    title=f"Tính lại số liệu tổng hợp ({which})",
                    round=round_id,
                )
            self.stdout.write(f"Đã đưa vào hàng đợi: việc {job.pk} ({job.get_state_display()}).")
            return
        from cchc.web.jobs.work import rebuild_rounds  # noqa: PLC0415 — the queue loads only when asked

        rebuild_rounds(round_id, lambda per_cent, step: None, self.stdout.write)
