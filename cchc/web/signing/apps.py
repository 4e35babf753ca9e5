from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "cchc.web.signing"
    label = "signing"
    verbose_name = "Ký số báo cáo"
