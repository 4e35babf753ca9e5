"""Operations on the unit tree: create, move, and who is above or below whom on a date."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q

from cchc.web.organisation.models import Membership, OrgUnit, UnitLink


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


def descendants_on(roots: set[int], days: set[date]) -> dict[date, set[int]]:
    """For each day, the roots and every unit below them on that day.

    The links under the roots (of any date) are read level by level, one query per
    level, so a commune's people never load the national tree; each day's tree is then
    taken from them in memory.
    """
    links: list[tuple[int, int, date | None, date | None]] = []
    frontier, done = set(roots), set()
    while frontier:
        rows = list(
            UnitLink.objects.filter(parent_id__in=frontier).values_list(
                "child_id", "parent_id", "valid_from", "valid_to"
            )
        )
        done |= frontier
        links += rows
        frontier = {child for child, *_ in rows} - done
    out: dict[date, set[int]] = {}
    for day in days:
        tree: dict[int, list[int]] = {}
        for child, parent, start, end in links:
            if (start is None or start <= day) and (end is None or day < end):
                tree.setdefault(parent, []).append(child)
        out[day] = descendant_ids(roots, day, tree)
    return out


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
    """The units above this one on a date, nearest first.

    Walked upwards one small query per level (a commune is three levels deep at
    most) rather than loading the whole national tree, which has thousands of links.
    """
    out: list[int] = []
    current: int | None = unit_id
    while current is not None:
        current = (
            UnitLink.objects.filter(_valid_on(on), child_id=current)
            .values_list("parent_id", flat=True)
            .first()
        )
        if current is None or current in out or current == unit_id:
            break
        out.append(current)
    return out


# Bumped whenever a membership changes in this process, so a memo made before is dropped.
_generation = [0]


def bump_memberships(**_kwargs) -> None:
    _generation[0] += 1


def memberships(user) -> dict[int, frozenset[str]]:
    """unit id → the user's roles there; one query per request.

    Every permission check of a request asks this, often several times; the
    answer is kept on the user object (which lives for one request) until a
    membership changes.
    """
    memo = getattr(user, "_cchc_memberships", None)
    if memo is not None and memo[0] == _generation[0]:
        return memo[1]
    roles: dict[int, set[str]] = {}
    if user.is_authenticated:
        for unit_id, role in Membership.objects.filter(user=user).values_list("unit_id", "role"):
            roles.setdefault(unit_id, set()).add(role)
    frozen = {unit: frozenset(r) for unit, r in roles.items()}
    user._cchc_memberships = (_generation[0], frozen)
    return frozen


def roles_in(user, unit_id: int) -> set[str]:
    return set(memberships(user).get(unit_id, ()))


def sees_unit(user, unit_id: int, on: date) -> bool:
    """Whether the unit is one of the user's own or below one of them on a date."""
    own = memberships(user)
    return unit_id in own or any(a in own for a in ancestor_ids(unit_id, on))
