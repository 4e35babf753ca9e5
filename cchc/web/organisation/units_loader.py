"""Vietnam's provinces and communes since 1/7/2025, loaded from `vietnam-provinces` into the tree.

Codes are the official GSO codes with a prefix that keeps them unique among
the other units and readable at a glance — the same spelling as the package's
own enums (`ProvinceCode.P_01`, `WardCode.W_00070`) with a dash:

- `P-01`    province or centrally-run city (2 digits), level `tinh`;
- `W-00070` xã, phường or đặc khu (5 digits), level `xa` — the three kinds sit
  at the same commune level, the kind stays in the name.

Names carry their kind: "Thành phố Hà Nội", "Tỉnh Cao Bằng", "Phường Hoàn
Kiếm". Units and their parent links are valid from 2025-07-01.

Loading is idempotent and never deletes: new units are added, names and levels
brought back to the package's, a commune now listed under another province is
moved there (old link closed today, new one opened today), and a unit with one
of these codes that the package no longer lists is closed (`valid_to` = today)
and reported. Units with other codes are never touched.

Everything happens in one transaction with a fixed number of queries: two
reads, then bulk inserts and updates (on SQLite, in batches of 999 parameters).
On PostgreSQL an advisory lock makes concurrent loads wait for each other.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date

import vietnam_provinces
from django.db import connection, transaction
from django.db.models import Q
from vietnam_provinces import Province, VietNamDivisionType, Ward

from cchc.core.numbers import format_number
from cchc.web.organisation.models import OrgUnit, UnitLink

__all__ = [
    "REFORM_DATE",
    "ClosedUnit",
    "LoadSummary",
    "UnknownProvince",
    "load_vietnam_units",
    "province_unit_code",
    "ward_unit_code",
]

REFORM_DATE = date(2025, 7, 1)
PROVINCE_LEVEL = "tinh"
COMMUNE_LEVEL = "xa"
SOURCE = (
    f"vietnam-provinces {vietnam_provinces.__version__} "
    f"(dữ liệu ngày {vietnam_provinces.__data_version__})"
)

_PROVINCE_CODE = re.compile(r"P-\d{2}")
_WARD_CODE = re.compile(r"W-\d{5}")
_PREFIX = {
    VietNamDivisionType.TINH: "Tỉnh",
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: "Thành phố",
    VietNamDivisionType.XA: "Xã",
    VietNamDivisionType.PHUONG: "Phường",
    VietNamDivisionType.DAC_KHU: "Đặc khu",
}


class UnknownProvince(ValueError):
    """A province code the package does not know; the message is Vietnamese."""


@dataclass(frozen=True)
class ClosedUnit:
    code: str
    name: str


@dataclass(frozen=True)
class LoadSummary:
    """What a load did (or, with `dry_run`, would do)."""

    provinces: int  # provinces and centrally-run cities in the package, within the scope
    communes: int  # xã, phường, đặc khu in the package, within the scope
    created: int  # units added
    updated: int  # units renamed, re-levelled, reopened or moved to another province
    closed: tuple[ClosedUnit, ...]  # units the package no longer lists
    links_created: int
    links_closed: int
    seconds: float
    dry_run: bool = False
    province: str | None = None  # the unit code when one province was loaded
    notes: tuple[str, ...] = field(default=())

    def message(self) -> str:
        """The Vietnamese summary people read after `cchc manage load_units`."""
        counts = (
            f"{format_number(self.provinces)} tỉnh, thành phố và "
            f"{format_number(self.communes)} xã, phường, đặc khu "
            f"(mới: {format_number(self.created)}, cập nhật: {format_number(self.updated)}, "
            f"đóng: {format_number(len(self.closed))})"
        )
        took = f"trong {format_number(self.seconds, 1)} giây"
        if self.dry_run:
            first = f"Chạy thử, không ghi gì vào cơ sở dữ liệu: sẽ nạp {counts}; tính {took}."
        else:
            first = f"Đã nạp {counts} {took}."
        lines = [first, f"Nguồn: {SOURCE}."]
        if self.closed:
            verb = "Sẽ đóng" if self.dry_run else "Đã đóng"
            lines.append(
                f"{verb} (hết hiệu lực từ hôm nay) {format_number(len(self.closed))} đơn vị "
                "không còn trong danh mục:"
            )
            lines.extend(f"  {unit.code} {unit.name}" for unit in self.closed)
        lines.extend(self.notes)
        return "\n".join(lines)


@dataclass(frozen=True)
class _Wanted:
    code: str
    name: str
    level: str
    parent: str | None


def province_unit_code(code: int) -> str:
    return f"P-{int(code):02d}"


def ward_unit_code(code: int) -> str:
    return f"W-{int(code):05d}"


def _clean(name: str) -> str:
    """The package has a few names with doubled spaces ("Xã  Phú Hữu")."""
    return " ".join(name.split())


def _named(name: str, division_type: VietNamDivisionType) -> str:
    """The name with its kind in front: provinces come bare ("Cao Bằng"), cities do not."""
    name = _clean(name)
    prefix = _PREFIX[division_type]
    return name if name.startswith(prefix + " ") else f"{prefix} {name}"


def _province_number(text: str | int) -> int:
    """`1`, `01`, `P-01`, `P_01` → 1."""
    raw = str(text).strip()
    digits = re.sub(r"^[Pp][-_ ]?", "", raw)
    if not digits.isdigit():
        raise UnknownProvince(f"«{raw}» không phải là mã tỉnh, thành phố (ví dụ: 01 hoặc P-01).")
    return int(digits)


def _wanted(province_code: str | int | None) -> tuple[list[_Wanted], list[_Wanted], set[str]]:
    """The package's provinces and wards in scope, and the codes of every unit it lists."""
    provinces = sorted(Province.iter_all(), key=lambda p: p.code)
    wards = sorted(Ward.iter_all(), key=lambda w: w.code)
    listed = {province_unit_code(p.code) for p in provinces} | {
        ward_unit_code(w.code) for w in wards
    }
    if province_code is not None:
        number = _province_number(province_code)
        provinces = [p for p in provinces if p.code == number]
        if not provinces:
            known = ", ".join(f"{code:02d}" for code in sorted(p.code for p in Province.iter_all()))
            raise UnknownProvince(
                f"Không có tỉnh, thành phố mã «{province_code}» trong {SOURCE}. "
                f"Các mã hiện có: {known}."
            )
        wards = [w for w in wards if w.province_code == number]
    wanted_provinces = [
        _Wanted(province_unit_code(p.code), _named(p.name, p.division_type), PROVINCE_LEVEL, None)
        for p in provinces
    ]
    wanted_wards = [
        _Wanted(
            ward_unit_code(w.code),
            _named(w.name, w.division_type),
            COMMUNE_LEVEL,
            province_unit_code(w.province_code),
        )
        for w in wards
    ]
    return wanted_provinces, wanted_wards, listed


def _is_ours(code: str) -> bool:
    return bool(_PROVINCE_CODE.fullmatch(code) or _WARD_CODE.fullmatch(code))


def _open(valid_to: date | None, today: date) -> bool:
    return valid_to is None or valid_to > today


def load_vietnam_units(
    *,
    province_code: str | int | None = None,
    today: date | None = None,
    dry_run: bool = False,
) -> LoadSummary:
    """Bring the tree in line with the package; all of it, or one province and its communes.

    With `dry_run` everything is computed and written inside a transaction that
    is rolled back, so the counts are exactly those of a real run.
    Raises UnknownProvince for a province code the package does not have.
    """
    started = time.perf_counter()
    today = today or date.today()
    provinces, wards, listed = _wanted(province_code)
    wanted = provinces + wards
    scope = provinces[0].code if province_code is not None else None  # "P-46"

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two loads at once: the second waits, then finds the first's units and does nothing.
            # (SQLite's IMMEDIATE transactions already take the write lock up front.)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('cchc.load_units'))")
        ours = Q(code__startswith="P-") | Q(code__startswith="W-")
        existing = {
            unit.code: unit
            for unit in OrgUnit.objects.filter(ours)
            .order_by()
            .only("id", "code", "name", "level", "valid_from", "valid_to")
            if _is_ours(unit.code)
        }
        links_by_child: dict[int, list[UnitLink]] = {}
        for link in (
            UnitLink.objects.filter(child__in=OrgUnit.objects.filter(ours).values("id"))
            .order_by("id")
            .only("id", "child_id", "parent_id", "valid_from", "valid_to")
        ):
            links_by_child.setdefault(link.child_id, []).append(link)

        # Units: add the new ones, bring the others back to the package's name and level.
        new_units: list[OrgUnit] = []
        changed_units: dict[str, OrgUnit] = {}
        reopened: dict[int, date] = {}  # unit id → the day it had been closed
        for want in wanted:
            unit = existing.get(want.code)
            if unit is None:
                unit = OrgUnit(
                    code=want.code,
                    name=want.name,
                    level=want.level,
                    valid_from=REFORM_DATE,
                    valid_to=None,
                )
                new_units.append(unit)
                existing[want.code] = unit
                continue
            if unit.name != want.name or unit.level != want.level:
                unit.name, unit.level = want.name, want.level
                changed_units[want.code] = unit
            if not _open(unit.valid_to, today):  # closed before, listed again
                reopened[unit.id] = unit.valid_to  # type: ignore[assignment]  # closed: a date
                unit.valid_to = None
                changed_units[want.code] = unit
        if new_units:
            OrgUnit.objects.bulk_create(new_units)
            if any(unit.pk is None for unit in new_units):  # backends that return no ids
                ids = dict(OrgUnit.objects.filter(ours).order_by().values_list("code", "id"))
                for unit in new_units:
                    unit.pk = ids[unit.code]

        # Parent links: every commune under its province, from 1/7/2025 or from today.
        new_links: list[UnitLink] = []
        changed_links: dict[int, UnitLink] = {}
        moved: set[str] = set()
        for want in wards:
            child = existing[want.code]
            parent = existing[want.parent or ""]  # a ward always names its province
            links = links_by_child.get(child.id, [])
            current = [link for link in links if _open(link.valid_to, today)]
            if any(link.parent_id == parent.id for link in current):
                continue
            closed_on = reopened.get(child.id)
            back = next(
                (
                    link
                    for link in links
                    if closed_on is not None
                    and link.parent_id == parent.id
                    and link.valid_to == closed_on
                ),
                None,
            )
            for link in current:
                if link.valid_from is None or link.valid_from <= today:
                    link.valid_to = today
                    changed_links[link.id] = link
                    moved.add(want.code)
            if back is not None:
                back.valid_to = None
                changed_links[back.id] = back
            else:
                new_links.append(
                    UnitLink(
                        child=child,
                        parent=parent,
                        valid_from=today if links else REFORM_DATE,
                        valid_to=None,
                    )
                )
        links_closed = sum(1 for link in changed_links.values() if link.valid_to is not None)

        # Units the package no longer lists: close them and their links to a parent.
        province_unit = existing[scope] if scope else None
        closed: list[ClosedUnit] = []
        for code in sorted(existing):
            unit = existing[code]
            if code in listed or unit.pk is None or not _open(unit.valid_to, today):
                continue
            current = [
                link for link in links_by_child.get(unit.id, []) if _open(link.valid_to, today)
            ]
            if province_unit is not None and not any(
                link.parent_id == province_unit.id for link in current
            ):
                continue  # loading one province closes only what was under it
            unit.valid_to = today
            changed_units[code] = unit
            closed.append(ClosedUnit(code, unit.name))
            for link in current:
                if link.valid_from is None or link.valid_from <= today:
                    link.valid_to = today
                    changed_links[link.id] = link
                    links_closed += 1

        if changed_units:
            OrgUnit.objects.bulk_update(list(changed_units.values()), ["name", "level", "valid_to"])
        if changed_links:
            UnitLink.objects.bulk_update(list(changed_links.values()), ["valid_to"])
        if new_links:
            UnitLink.objects.bulk_create(new_links)
        if dry_run:
            transaction.set_rollback(True)

    closed_codes = {unit.code for unit in closed}
    updated = (set(changed_units) | moved) - closed_codes
    notes: list[str] = []
    if moved:
        notes.append(
            f"Chuyển sang tỉnh, thành phố khác (từ hôm nay): {format_number(len(moved))} đơn vị: "
            + ", ".join(sorted(moved))
            + "."
        )
    return LoadSummary(
        provinces=len(provinces),
        communes=len(wards),
        created=len(new_units),
        updated=len(updated),
        closed=tuple(closed),
        links_created=len(new_links),
        links_closed=links_closed,
        seconds=time.perf_counter() - started,
        dry_run=dry_run,
        province=scope,
        notes=tuple(notes),
    )
