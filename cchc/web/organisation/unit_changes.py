"""Changes to the unit tree made from its page: add, rename, close, move; all dated, all audited.

A change takes effect on a date and never rewrites the past: a commune moved on
1/7/2025 keeps its link to its old district until that day (reports made
before still roll up there), a renamed unit keeps its old name with its dates
(`UnitName`), a closed unit stays with everything it reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q

from cchc.core.periods import short_date
from cchc.web.organisation.models import OrgUnit, UnitLink, UnitName
from cchc.web.organisation.people import Invalid, audit
from cchc.web.organisation.permissions import (
    require_above,
    require_below,
    require_system_admin,
)
from cchc.web.organisation.services import (
    children_map,
    create_unit,
    descendant_ids,
    move_unit,
    parent_map,
)

LEVELS = {
    "bo": "Bộ",
    "tinh": "Tỉnh, thành phố",
    "huyen": "Huyện (trước 1/7/2025)",
    "xa": "Xã, phường, đặc khu",
    "so": "Sở, ban, ngành",
    "phong": "Phòng",
}


def _open_on(unit: OrgUnit, on: date) -> None:
    if not unit.exists_on(on):
        raise Invalid(f"Ngày {short_date(on)} {unit.name} chưa có hoặc đã giải thể.")


def add_unit(*, by, parent: OrgUnit, code: str, name: str, level: str, on: date) -> OrgUnit:
    require_below(by, parent)
    _open_on(parent, on)
    code, name = code.strip(), " ".join(name.split())
    if not code or not name:
        raise Invalid("Cần có mã và tên đơn vị.")
    if level not in LEVELS:
        raise Invalid(f"Cấp «{level}» không có.")
    if OrgUnit.objects.filter(code=code).exists():
        raise Invalid(f"Mã đơn vị «{code}» đã có.")
    with transaction.atomic():
        unit = create_unit(code=code, name=name, level=level, parent=parent, valid_from=on)
        audit(
            by,
            "unit-added",
            code,
            after={"name": name, "level": level, "parent": parent.code, "from": on.isoformat()},
        )
    return unit


def rename_unit(*, by, unit: OrgUnit, name: str, on: date) -> None:
    """From `on` the unit is called `name`; its old name is kept until that day."""
    require_above(by, unit)
    name = " ".join(name.split())
    if not name or name == unit.name:
        raise Invalid("Tên mới phải khác tên đang dùng.")
    last = unit.former_names.order_by("-valid_to").first()
    since = last.valid_to if last else unit.valid_from
    if since is not None and on <= since:
        raise Invalid(
            f"Ngày đổi tên phải sau {short_date(since)} (ngày {unit.name} có tên hiện nay)."
        )
    with transaction.atomic():
        UnitName.objects.create(unit=unit, name=unit.name, valid_from=since, valid_to=on)
        old, unit.name = unit.name, name
        unit.save(update_fields=["name"])
        audit(
            by,
            "unit-renamed",
            unit.code,
            before={"name": old},
            after={"name": name, "from": on.isoformat()},
        )


def close_unit(*, by, unit: OrgUnit, on: date) -> None:
    """The unit exists until (not including) `on`; one with units still under it is refused."""
    require_above(by, unit)
    _open_on(unit, on)
    below = children_map(on).get(unit.id, [])
    if below:
        raise Invalid(
            f"{unit.name} còn {len(below)} đơn vị trực thuộc ngày {short_date(on)}; "
            "hãy chuyển hoặc giải thể các đơn vị đó trước."
        )
    with transaction.atomic():
        unit.valid_to = on
        unit.save(update_fields=["valid_to"])
        open_links = UnitLink.objects.filter(child=unit).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=on)
        )
        open_links.update(valid_to=on)
        audit(by, "unit-closed", unit.code, after={"name": unit.name, "to": on.isoformat()})


def move(*, by, unit: OrgUnit, new_parent: OrgUnit, on: date) -> None:
    """From `on` the unit belongs to `new_parent`; its history stays under the old parent."""
    require_above(by, unit)
    require_below(by, new_parent)
    _open_on(unit, on)
    _open_on(new_parent, on)
    if new_parent.id in descendant_ids({unit.id}, on):
        raise Invalid(f"Không chuyển {unit.name} vào chính nó hay đơn vị trực thuộc nó được.")
    old = parent_map(on).get(unit.id)
    if old == new_parent.id:
        raise Invalid(f"{unit.name} đã trực thuộc {new_parent.name}.")
    with transaction.atomic():
        move_unit(unit=unit, new_parent=new_parent, on=on)
        old_code = (
            OrgUnit.objects.filter(id__in=[old] if old else [])
            .values_list("code", flat=True)
            .first()
        )
        audit(
            by,
            "unit-moved",
            unit.code,
            before={"parent": old_code},
            after={"parent": new_parent.code, "from": on.isoformat()},
        )


def load_national_list(*, by, province: str | None, dry_run: bool):
    """`load_units` from the page: the dry run is the review, the real run is audited."""
    from cchc.web.organisation.units_loader import load_vietnam_units  # noqa: PLC0415 — the national list loads only for this page

    require_system_admin(by, "nạp danh mục đơn vị hành chính toàn quốc")
    summary = load_vietnam_units(province_code=province or None, dry_run=dry_run)
    if not dry_run:
        audit(
            by,
            "units-loaded",
            summary.province or "toàn quốc",
            after={
                "created": summary.created,
                "updated": summary.updated,
                "closed": [u.code for u in summary.closed],
            },
        )
    return summary


@dataclass
class TreeNode:
    unit: OrgUnit
    name: str  # the name it had on the day
    children: list[TreeNode] = field(default_factory=list)


def name_on(unit: OrgUnit, names: list[UnitName], on: date) -> str:
    for old in names:
        if (old.valid_from is None or old.valid_from <= on) and on < old.valid_to:
            return old.name
    return unit.name


def unit_tree(on: date, roots: set[int] | None = None) -> list[TreeNode]:
    """The tree on a date, from `roots` (or from every unit with no parent that day)."""
    tree = children_map(on)
    units = {
        u.id: u
        for u in OrgUnit.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gt=on),
        )
    }
    names: dict[int, list[UnitName]] = {}
    for old in UnitName.objects.filter(unit_id__in=list(units)):
        names.setdefault(old.unit_id, []).append(old)
    if roots is None:
        has_parent = {c for kids in tree.values() for c in kids}
        roots = {uid for uid in units if uid not in has_parent}
    else:  # only the topmost of the given units
        roots = {r for r in roots if r not in descendant_ids(roots - {r}, on, tree)}

    def node(uid: int, seen: frozenset[int]) -> TreeNode:
        unit = units[uid]
        kids = [node(c, seen | {c}) for c in tree.get(uid, ()) if c in units and c not in seen]
        kids.sort(key=lambda n: n.name)
        return TreeNode(unit, name_on(unit, names.get(uid, []), on), kids)

    top = [node(r, frozenset({r})) for r in roots if r in units]
    return sorted(top, key=lambda n: n.name)
