from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "cchc.web.organisation"
    label = "organisation"
    verbose_name = "Đơn vị và người dùng"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415 — models load before receivers

        from cchc.web.organisation import middleware  # noqa: PLC0415 — models load before receivers
        from cchc.web.organisation.models import Membership  # noqa: PLC0415 — models load before receivers
        from cchc.web.organisation.services import bump_memberships  # noqa: PLC0415 — models load before receivers

        post_save.connect(bump_memberships, sender=Membership)
        post_delete.connect(bump_memberships, sender=Membership)
        middleware.connect()
