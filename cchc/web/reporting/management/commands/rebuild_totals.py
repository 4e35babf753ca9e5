"""`cchc manage rebuild_totals [--round N]`: remake the stored consolidation of rounds."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cchc.web.reporting.consolidation import sync_round_totals
from cchc.web.reporting.models import ReportingRound


class Command(BaseCommand):
    help = (
        "Tính lại từ đầu số liệu tổng hợp lưu sẵn của các đợt báo cáo (mọi nhánh), "
        "từ các báo cáo đã gửi. Trang Tổng hợp vẫn tự tính lại nhánh nào đã cũ; lệnh này "
        "dùng sau khi sửa dữ liệu trực tiếp trong cơ sở dữ liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, metavar="SỐ", help="chỉ một đợt báo cáo")

    def handle(self, *args, **options):
        round_id = options.get("round")
        rounds = ReportingRound.objects.select_related("template").order_by("pk")
        if round_id is not None:
            rounds = rounds.filter(pk=round_id)
            if not rounds.exists():
                raise CommandError(f"Không có đợt báo cáo số {round_id}.")
        for rnd in rounds:
            start = time.perf_counter()
            with transaction.atomic():
                made = sync_round_totals(rnd, force=True)
            seconds = f"{time.perf_counter() - start:.2f}".replace(".", ",")
            self.stdout.write(
                f"Đợt {rnd.pk} ({rnd.period_key}): tính lại {made} nhánh trong {seconds} giây."
            )
