from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "cchc.web.notices"
    label = "notices"
    verbose_name = "Thông báo và nhắc hạn"

    def ready(self) -> None:
        from cchc.web.notices import context, receivers  # noqa: PLC0415 — models load first

        receivers.connect()
        context.connect()
