"""The unit tree as of a date and its dated changes, through the services and the pages.

Personas: the system administrator; the province's unit admin (manages the
communes below); commune A's unit admin (manages A's people, not A itself);
a contributor (reaches none of it).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cchc.web.organisation.models import Membership, OrgUnit, Role, UnitLink
from cchc.web.organisation.people import Invalid
from cchc.web.organisation.permissions import NotAllowed
from cchc.web.organisation.services import create_unit
from cchc.web.organisation.unit_changes import close_unit, move, rename_unit, unit_tree
from cchc.web.reporting.models import AuditEvent

REFORM = date(2025, 7, 1)


def _shape(nodes) -> list:
    return [(n.name, _shape(n.children)) if n.children else n.name for n in nodes]


@pytest.fixture
def province_admin(world):
    user = get_user_model().objects.create_user("tinh.quantri", password="x")
    Membership.objects.create(user=user, unit=world.province, role=Role.UNIT_ADMIN)
    return user


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", password="x")


def test_a_moved_commune_keeps_its_history_under_its_old_district(world, province_admin) -> None:
    district = create_unit(code="H", name="Huyện Cũ", level="huyen", parent=world.province)
    UnitLink.objects.filter(child=world.commune_a).update(parent=district)
    move(by=province_admin, unit=world.commune_a, new_parent=world.province, on=REFORM)
    close_unit(by=province_admin, unit=district, on=REFORM)
    before, after = unit_tree(date(2025, 6, 30)), unit_tree(REFORM)
    assert _shape(before) == [("Bộ Nội vụ", [("Tỉnh Thử", [("Huyện Cũ", ["Xã An"]), "Xã Bình"])])]
    assert _shape(after) == [("Bộ Nội vụ", [("Tỉnh Thử", ["Xã An", "Xã Bình"])])]
    event = AuditEvent.objects.get(action="unit-moved")
    assert (event.user, event.target, event.before, event.after) == (
        province_admin,
        "XA",
        {"parent": "H"},
        {"parent": "T", "from": "2025-07-01"},
    )


def test_a_renamed_unit_shows_its_old_name_on_an_earlier_date(world, province_admin) -> None:
    rename_unit(by=province_admin, unit=world.commune_b, name="Phường Bình Minh", on=REFORM)
    rename_unit(by=province_admin, unit=world.commune_b, name="Phường Bình", on=date(2026, 1, 1))
    assert list(world.commune_b.former_names.values_list("name", "valid_from", "valid_to")) == [
        ("Xã Bình", None, REFORM),
        ("Phường Bình Minh", REFORM, date(2026, 1, 1)),
    ]
    names = {
        day: _shape(unit_tree(day, {world.province.id}))
        for day in (date(2025, 6, 30), date(2025, 12, 31), date(2026, 1, 1))
    }
    assert names == {
        date(2025, 6, 30): [("Tỉnh Thử", ["Xã An", "Xã Bình"])],
        date(2025, 12, 31): [("Tỉnh Thử", ["Phường Bình Minh", "Xã An"])],
        date(2026, 1, 1): [("Tỉnh Thử", ["Phường Bình", "Xã An"])],
    }
    with pytest.raises(Invalid) as refused:
        rename_unit(by=province_admin, unit=world.commune_b, name="Xã Khác", on=REFORM)
    assert str(refused.value) == (
        "Ngày đổi tên phải sau 01/01/2026 (ngày Phường Bình có tên hiện nay)."
    )


def test_a_unit_with_units_below_is_not_closed_and_a_leaf_is(world, root) -> None:
    with pytest.raises(Invalid) as refused:
        close_unit(by=root, unit=world.province, on=REFORM)
    assert str(refused.value) == (
        "Tỉnh Thử còn 2 đơn vị trực thuộc ngày 01/07/2025; hãy chuyển hoặc giải thể các đơn vị "
        "đó trước."
    )
    close_unit(by=root, unit=world.commune_b, on=REFORM)
    assert _shape(unit_tree(REFORM)) == [("Bộ Nội vụ", [("Tỉnh Thử", ["Xã An"])])]
    assert _shape(unit_tree(date(2025, 6, 30))) == [
        ("Bộ Nội vụ", [("Tỉnh Thử", ["Xã An", "Xã Bình"])])
    ]
    assert OrgUnit.objects.filter(code="XB").exists()


def test_a_commune_admin_changes_no_unit_and_nobody_moves_a_unit_into_itself(world, root) -> None:
    with pytest.raises(NotAllowed) as refused:
        rename_unit(by=world.unit_admin, unit=world.commune_a, name="Xã An Mới", on=REFORM)
    assert str(refused.value) == (
        "Chỉ quản trị của đơn vị cấp trên của Xã An (hoặc quản trị hệ thống) được đổi tên, "
        "giải thể hay chuyển đơn vị này."
    )
    with pytest.raises(Invalid) as looped:
        move(by=root, unit=world.province, new_parent=world.commune_a, on=REFORM)
    assert str(looped.value) == (
        "Không chuyển Tỉnh Thử vào chính nó hay đơn vị trực thuộc nó được."
    )
    assert AuditEvent.objects.filter(action__startswith="unit-").count() == 0


def test_the_tree_page_shows_the_users_own_branch_as_of_the_date_asked(
    world, login, province_admin
) -> None:
    page = login(world.unit_admin).get(reverse("unit-tree"), {"ngay": "30/06/2025"})
    body = page.content.decode()
    assert (page.status_code, "Cây đơn vị ngày 30/06/2025" in body) == (200, True)
    assert ('data-code="XA"' in body, 'data-code="XB"' in body) == (True, False)
    bad = login(world.unit_admin).get(reverse("unit-tree"), {"ngay": "31/02/2025"})
    assert "Ngày không tồn tại: &#x27;31/02/2025&#x27;." in bad.content.decode()


def test_unit_changes_through_the_page_are_refused_to_a_sibling_and_a_contributor(
    world, login, province_admin
) -> None:
    contributor = login(world.officer).get(reverse("unit-tree"))
    assert contributor.status_code == 403
    assert (
        "Chỉ quản trị đơn vị, cán bộ Nội vụ hoặc quản trị hệ thống được xem cây đơn vị."
        in contributor.content.decode()
    )
    sibling = login(world.unit_admin).post(
        reverse("unit-change", args=[world.commune_b.pk]),
        {"action": "rename", "name": "Xã Lạ", "on": "01/07/2025"},
    )
    assert sibling.status_code == 403
    assert (
        login(world.unit_admin).get(reverse("unit-detail", args=[world.commune_b.pk])).status_code
        == 403
    )
    added = login(province_admin).post(
        reverse("unit-change", args=[world.province.pk]),
        {"action": "add", "code": "XC", "name": "Xã Cát", "level": "xa", "on": "01/07/2025"},
    )
    assert added.status_code == 302
    assert _shape(unit_tree(REFORM, {world.province.id})) == [
        ("Tỉnh Thử", ["Xã An", "Xã Bình", "Xã Cát"])
    ]
    assert list(
        AuditEvent.objects.filter(action__startswith="unit-").values_list(
            "action", "target", "after"
        )
    ) == [
        (
            "unit-added",
            "XC",
            {"name": "Xã Cát", "level": "xa", "parent": "T", "from": "2025-07-01"},
        )
    ]


def test_the_national_list_is_reviewed_as_a_dry_run_before_it_is_loaded(world, login, root) -> None:
    client = login(root)
    url = reverse("units-load")
    review = client.post(url, {"province": "46", "action": "review"})
    assert "Xem trước (chưa ghi gì)" in review.content.decode()
    assert OrgUnit.objects.filter(code__startswith="W-").count() == 0
    client.post(url, {"province": "46", "action": "apply"})
    assert OrgUnit.objects.filter(code="P-46").exists()
    event = AuditEvent.objects.get(action="units-loaded")
    assert (event.target, event.after["closed"]) == ("P-46", [])
    assert OrgUnit.objects.filter(code__startswith="W-").count() == event.after["created"] - 1
    unknown = client.post(url, {"province": "99", "action": "review"})
    assert unknown.status_code == 400
    assert login(world.unit_admin).get(url).status_code == 403
