"""Operations on the unit tree: create, move, and who is above or below whom on a date."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q

from cchc.web.organisation.models import Membership, OrgUnit, Role, UnitLink


def _valid_on(day: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )


def create_unit(
    *,
    code: str,
    name: str,
    level: str,
    parent: OrgUnit | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> OrgUnit:
    with transaction.atomic():
        unit = OrgUnit.objects.create(
            code=code, name=name, level=level, valid_from=valid_from, valid_to=valid_to
        )
        if parent is not None:
            UnitLink.objects.create(
                child=unit, parent=parent, valid_from=valid_from, valid_to=valid_to
            )
    return unit


def move_unit(*, unit: OrgUnit, new_parent: OrgUnit, on: date) -> None:
    """From `on`, `unit` belongs to `new_parent`; before it, to whoever it belonged to."""
    with transaction.atomic():
        for link in UnitLink.objects.filter(_valid_on(on), child=unit):
            link.valid_to = on
            link.save(update_fields=["valid_to"])
        UnitLink.objects.create(child=unit, parent=new_parent, valid_from=on)


def children_map(on: date) -> dict[int, list[int]]:
    """parent id → child ids, for the tree valid on a date (one query)."""
    tree: dict[int, list[int]] = {}
    for child_id, parent_id in UnitLink.objects.filter(_valid_on(on)).values_list(
        "child_id", "parent_id"
    ):
        tree.setdefault(parent_id, []).append(child_id)
    return tree


def parent_map(on: date) -> dict[int, int]:
    return {
        child: parent
        for child, parent in UnitLink.objects.filter(_valid_on(on)).values_list(
            "child_id", "parent_id"
        )
    }


def descendant_ids(
    unit_ids: set[int], on: date, tree: dict[int, list[int]] | None = None
) -> set[int]:
    """The units and everything below them on a date."""
    tree = tree if tree is not None else children_map(on)
    seen = set(unit_ids)
    stack = list(unit_ids)
    while stack:
        for child in tree.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def ancestor_ids(unit_id: int, on: date) -> list[int]:
    parents = parent_map(on)
    out: list[int] = []
    current = parents.get(unit_id)
    while current is not None and current not in out:
        out.append(current)
        current = parents.get(current)
    return out


def visible_unit_ids(user, on: date) -> set[int]:
    """A person sees their own units and every unit below them; a system admin sees all."""
    if user.is_superuser:
        return set(OrgUnit.objects.values_list("id", flat=True))
    own = set(Membership.objects.filter(user=user).values_list("unit_id", flat=True))
    return descendant_ids(own, on)


def roles_in(user, unit_id: int) -> set[str]:
    return set(Membership.objects.filter(user=user, unit_id=unit_id).values_list("role", flat=True))


def is_reviewer_above(user, unit_id: int, on: date) -> bool:
    """Whether the user reviews for a unit above this one (Home Affairs office of a parent)."""
    reviewer_units = set(
        Membership.objects.filter(user=user, role=Role.REVIEWER).values_list("unit_id", flat=True)
    )
    return bool(reviewer_units & set(ancestor_ids(unit_id, on)))
