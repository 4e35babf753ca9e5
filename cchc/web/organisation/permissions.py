"""Who may manage people and units: the one home of these rules.

A unit admin manages the people of their unit and of every unit below it on
today's tree, and the units below theirs (add, rename, close, move); a Home
Affairs reviewer sees the tree of their unit; system administrators do
everything, including loading the national list. Pages and services call
these predicates and nothing else.
"""

from __future__ import annotations

from django.utils import timezone

from cchc.web.organisation.models import OrgUnit, Role
from cchc.web.organisation.services import ancestor_ids, descendant_ids, memberships


class NotAllowed(Exception):
    """An operation on people or units the user may not do; the message is Vietnamese."""


def _admin_units(user) -> set[int]:
    return {unit for unit, roles in memberships(user).items() if Role.UNIT_ADMIN in roles}


def managed_unit_ids(user) -> set[int]:
    """The units whose people this user manages today: every unit for a system admin."""
    if user.is_superuser:
        return set(OrgUnit.objects.values_list("id", flat=True))
    return descendant_ids(_admin_units(user), timezone.localdate())


def manages_people(user, unit_id: int) -> bool:
    if user.is_superuser:
        return True
    own = _admin_units(user)
    return unit_id in own or any(a in own for a in ancestor_ids(unit_id, timezone.localdate()))


def require_people_manager(user, unit: OrgUnit) -> None:
    if not manages_people(user, unit.id):
        raise NotAllowed(
            f"Bạn không phải quản trị của {unit.name} hay đơn vị cấp trên của nó nên không "
            "quản lý được người dùng của đơn vị này."
        )


def may_open_people_pages(user) -> bool:
    return user.is_superuser or bool(_admin_units(user))


def may_open_unit_pages(user) -> bool:
    """Unit admins and Home Affairs reviewers see the tree; contributors and leaders do not."""
    if user.is_superuser:
        return True
    return any(roles & {Role.UNIT_ADMIN, Role.REVIEWER} for roles in memberships(user).values())


def manages_below(user, unit_id: int) -> bool:
    """Whether the user may add, rename, close or move units under this one."""
    return manages_people(user, unit_id)


def require_above(user, unit: OrgUnit) -> None:
    """A unit is renamed, closed or moved by the admins above it, not by its own."""
    own = _admin_units(user)
    if user.is_superuser or any(a in own for a in ancestor_ids(unit.id, timezone.localdate())):
        return
    raise NotAllowed(
        f"Chỉ quản trị của đơn vị cấp trên của {unit.name} (hoặc quản trị hệ thống) được "
        "đổi tên, giải thể hay chuyển đơn vị này."
    )


def require_below(user, parent: OrgUnit) -> None:
    if not manages_below(user, parent.id):
        raise NotAllowed(f"Bạn không phải quản trị của {parent.name} nên không thêm đơn vị vào đó.")


def require_system_admin(user, doing: str) -> None:
    if not user.is_superuser:
        raise NotAllowed(f"Chỉ quản trị hệ thống được {doing}.")
