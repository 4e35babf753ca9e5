"""`cchc manage create_api_token USERNAME --name …`: a token for a script, printed once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cchc.web.accounts.tokens import TokenRefused, create_token


class Command(BaseCommand):
    help = "Tạo một mã API cho một người dùng; mã chỉ được in một lần."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="tên đăng nhập của người dùng")
        parser.add_argument("--name", default="Tạo bằng lệnh", help="mã này dùng cho việc gì")

    def handle(self, *args, **options) -> None:
        model = get_user_model()
        user = model._default_manager.filter(**{model.USERNAME_FIELD: options["username"]}).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{options['username']}».")
        try:
            row, token = create_token(user=user, name=options["name"])
        except TokenRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stderr.write(
            f"Đã tạo mã API «{row.name}» cho {user.get_username()}; chép ngay, "
            "mã không hiện lại được. Gửi trong tiêu đề Authorization: Bearer <mã>."
        )
        self.stdout.write(token)
