"""The unread count in every page's header, kept in the shared cache for a minute.

Every change of a person's notices (a new one, one read) drops their count from the
cache, so with Redis (several servers) a notice read on one server is no longer counted
on the others; the file cache of one machine is shared by its processes only.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from cchc.web.notices.models import Notice

KEEP_SECONDS = 60


def _key(user_id: int) -> str:
    return f"cchc:unread-notices:{user_id}"


def forget_unread(user_id: int) -> None:
    cache.delete(_key(user_id))


def unread_notices(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    count = cache.get(_key(user.pk))
    if count is None:
        count = Notice.objects.filter(user=user, read_at=None).count()
        cache.set(_key(user.pk), count, KEEP_SECONDS)
    return {"unread_notices": count}


def _changed(sender, instance: Notice, **kwargs) -> None:
    forget_unread(instance.user_id)


def connect() -> None:
    post_save.connect(_changed, sender=Notice, dispatch_uid="cchc-unread-saved")
    post_delete.connect(_changed, sender=Notice, dispatch_uid="cchc-unread-deleted")
