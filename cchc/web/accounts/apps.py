from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cchc.web.accounts"
    label = "accounts"
    verbose_name = "Đăng nhập và mã API"

    def ready(self) -> None:
        from cchc.web.accounts import audit  # noqa: PLC0415 — models load before receivers

        audit.connect()
