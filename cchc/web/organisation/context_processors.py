"""Whether the menu shows «Người dùng» and «Đơn vị»: the permission predicates, asked lazily."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from cchc.web.organisation.permissions import may_open_people_pages, may_open_unit_pages


def menu(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "cchc_manages_people": SimpleLazyObject(lambda: may_open_people_pages(user)),
        "cchc_sees_units": SimpleLazyObject(lambda: may_open_unit_pages(user)),
    }
