"""The people of a unit: add, edit, deactivate, reset a password; every change audited.

Nobody is ever deleted (the audit log keeps their name): a person who leaves is
deactivated. A password set by someone else is temporary (`TemporaryPassword`):
it is shown once, and its owner must replace it at first login. A person may
be managed only by someone who manages every unit they belong to, so a commune
admin cannot reset the password of a province official who also sits in the
commune.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from cchc.web.organisation.models import Membership, OrgUnit, Role, TemporaryPassword
from cchc.web.organisation.permissions import NotAllowed, manages_people, require_people_manager
from cchc.web.reporting.models import AuditEvent

ROLE_LABELS = dict(Role.choices)
# Letters and digits that cannot be misread on paper (no 0/o, 1/l/i).
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class Invalid(ValueError):
    """A change that cannot be made as asked (a login taken, no role); nothing was saved."""


def temporary_password() -> str:
    """12 random characters in three groups (`abcd-efgh-jkmn`), easy to read out and type."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def audit(by, action: str, target: str, before=None, after=None) -> None:
    """One change to people or units in the audit log (no report attached)."""
    AuditEvent.objects.create(
        user=by, action=action, target=target[:64], before=before, after=after
    )


def person_state(person, unit: OrgUnit | None = None) -> dict:
    """What the audit log keeps of a person: name, active, and roles, duty, title per unit."""
    rows = Membership.objects.filter(user=person).select_related("unit").order_by("unit__code")
    if unit is not None:
        rows = rows.filter(unit=unit)
    units: dict[str, dict] = {}
    for m in rows:
        entry = units.setdefault(m.unit.code, {"roles": [], "duty": m.duty, "title": m.title})
        entry["roles"].append(m.role)
        entry["duty"] = entry["duty"] or m.duty
        entry["title"] = entry["title"] or m.title
    return {
        "name": person.get_full_name(),
        "active": person.is_active,
        "units": {code: {**v, "roles": sorted(v["roles"])} for code, v in units.items()},
    }


def require_person_manager(by, person) -> None:
    """Every unit the person belongs to must be one the manager manages."""
    if by.is_superuser:
        return
    if person.is_superuser:
        raise NotAllowed("Chỉ quản trị hệ thống quản lý được tài khoản quản trị hệ thống.")
    units = list(OrgUnit.objects.filter(memberships__user=person).distinct())
    if not units:
        raise NotAllowed(f"{person.username} không thuộc đơn vị nào bạn quản lý.")
    for unit in units:
        if not manages_people(by, unit.id):
            raise NotAllowed(
                f"{person.get_full_name() or person.username} thuộc {unit.name}, đơn vị bạn "
                "không quản lý, nên bạn không sửa được tài khoản này."
            )


def _split_name(full_name: str) -> tuple[str, str]:
    """Vietnamese names put the given name last; Django shows `first last`, so all goes first."""
    return " ".join(full_name.split())[:150], ""


def _set_roles(person, unit: OrgUnit, roles: list[str], duty: str, title: str) -> None:
    wanted = set(roles)
    unknown = wanted - set(ROLE_LABELS)
    if unknown:
        raise Invalid(f"Vai trò không có: {', '.join(sorted(unknown))}.")
    Membership.objects.filter(user=person, unit=unit).exclude(role__in=wanted).delete()
    for role in sorted(wanted):
        Membership.objects.update_or_create(
            user=person, unit=unit, role=role, defaults={"duty": duty, "title": title}
        )


def _give_temporary_password(by, person) -> str:
    password = temporary_password()
    person.set_password(password)
    person.save(update_fields=["password"])
    TemporaryPassword.objects.update_or_create(
        user=person, defaults={"password_hash": person.password, "set_by": by}
    )
    return password


def add_person(
    *,
    by,
    unit: OrgUnit,
    full_name: str,
    username: str,
    roles: list[str],
    duty: str = "",
    title: str = "",
) -> tuple[object, str]:
    """A new account in `unit` with a temporary password, returned to be shown once."""
    require_people_manager(by, unit)
    model = get_user_model()
    if model.objects.filter(username__iexact=username).exists():
        raise Invalid(f"Tên đăng nhập «{username}» đã có người dùng.")
    if not roles:
        raise Invalid("Cần chọn ít nhất một vai trò.")
    first, last = _split_name(full_name)
    with transaction.atomic():
        person = model.objects.create_user(username, first_name=first, last_name=last)
        _set_roles(person, unit, roles, duty, title)
        password = _give_temporary_password(by, person)
        audit(by, "person-added", username, after=person_state(person))
    return person, password


def update_person(
    *,
    by,
    person,
    unit: OrgUnit,
    full_name: str,
    roles: list[str],
    duty: str = "",
    title: str = "",
) -> None:
    """Name, and in one unit: roles (none removes the person from it), duty and title."""
    require_person_manager(by, person)
    require_people_manager(by, unit)
    with transaction.atomic():
        before = person_state(person)
        person.first_name, person.last_name = _split_name(full_name)
        person.save(update_fields=["first_name", "last_name"])
        _set_roles(person, unit, roles, duty, title)
        after = person_state(person)
        if after != before:
            audit(by, "person-changed", person.username, before=before, after=after)


def set_active(*, by, person, active: bool) -> None:
    """Deactivate (the account stays, with its history) or reactivate a person."""
    require_person_manager(by, person)
    if person.pk == by.pk and not active:
        raise Invalid("Bạn không tự ngừng tài khoản của chính mình được.")
    if person.is_active == active:
        return
    with transaction.atomic():
        person.is_active = active
        person.save(update_fields=["is_active"])
        audit(
            by,
            "person-reactivated" if active else "person-deactivated",
            person.username,
            before={"active": not active},
            after={"active": active},
        )


def reset_password(*, by, person) -> str:
    """A new temporary password (shown once); the old one stops working at once."""
    require_person_manager(by, person)
    if not person.is_active:
        raise Invalid(
            f"Tài khoản {person.username} đã ngừng hoạt động; hãy mở lại trước khi cấp mật khẩu."
        )
    with transaction.atomic():
        password = _give_temporary_password(by, person)
        audit(by, "password-reset", person.username, after={"temporary": True})
    return password


def must_change_password(user) -> bool:
    held = TemporaryPassword.objects.filter(user=user).select_related("user").first()
    return held is not None and held.still_in_use()
