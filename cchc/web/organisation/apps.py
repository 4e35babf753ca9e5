from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "cchc.web.organisation"
    label = "organisation"
    verbose_name = "Đơn vị và người dùng"
