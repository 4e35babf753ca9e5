"""`cchc manage load_units [--province CODE] [--dry-run]`: the 34 provinces and 3.321 communes."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cchc.web.organisation.units_loader import UnknownProvince, load_vietnam_units


class Command(BaseCommand):
    help = (
        "Nạp 34 tỉnh, thành phố và 3.321 xã, phường, đặc khu (từ 1/7/2025) từ gói "
        "vietnam-provinces vào cây đơn vị: thêm đơn vị mới, cập nhật tên, đóng đơn vị "
        "không còn trong danh mục; không xóa gì. Chạy lại nhiều lần vẫn an toàn."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            metavar="MÃ",
            help="chỉ nạp một tỉnh, thành phố và các xã của nó (mã 01, 1 hoặc P-01)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="chỉ tính và in ra những gì sẽ thay đổi, không ghi vào cơ sở dữ liệu",
        )

    def handle(self, *args, province=None, dry_run=False, **options):
        try:
            summary = load_vietnam_units(province_code=province, dry_run=dry_run)
        except UnknownProvince as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(summary.message())
