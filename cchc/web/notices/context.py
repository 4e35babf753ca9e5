"""The unread count in every page's header: one small query, only for people logged in."""

from __future__ import annotations

from cchc.web.notices.models import Notice


def unread_notices(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": Notice.objects.filter(user=user, read_at=None).count()}
