from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "cchc.web.reporting"
    label = "reporting"
    verbose_name = "Đợt báo cáo và báo cáo"
