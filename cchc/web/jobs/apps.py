from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "cchc.web.jobs"
    label = "jobs"
    verbose_name = "Việc chạy nền"
