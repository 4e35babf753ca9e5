"""`load_units`: the 34 provinces and 3.321 communes of 1/7/2025, loaded once, kept in line."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from vietnam_provinces import Ward

from cchc.web.organisation.models import OrgUnit, UnitLink
from cchc.web.organisation.services import children_map, create_unit, parent_map
from cchc.web.organisation.units_loader import (
    REFORM_DATE,
    UnknownProvince,
    load_vietnam_units,
)

TODAY = date(2026, 3, 2)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def parent_of(code: str, on: date = TODAY) -> OrgUnit:
    return OrgUnit.objects.get(id=parent_map(on)[unit(code).id])


def snapshot() -> tuple[list, list]:
    units = list(
        OrgUnit.objects.order_by("code").values_list(
            "id", "code", "name", "level", "valid_from", "valid_to"
        )
    )
    links = list(
        UnitLink.objects.order_by("id").values_list(
            "id", "child_id", "parent_id", "valid_from", "valid_to"
        )
    )
    return units, links


def test_loads_every_province_and_commune_with_dated_parent_links(
    db, django_assert_max_num_queries
):
    with django_assert_max_num_queries(50):
        summary = load_vietnam_units(today=TODAY)

    assert (summary.provinces, summary.communes) == (34, 3321)
    assert (summary.created, summary.updated, summary.closed) == (3355, 0, ())
    assert OrgUnit.objects.filter(level="tinh").count() == 34
    assert OrgUnit.objects.filter(level="xa").count() == 3321
    communes = OrgUnit.objects.filter(level="xa")
    assert communes.filter(name__startswith="Xã ").count() == 2621
    assert communes.filter(name__startswith="Phường ").count() == 687
    assert communes.filter(name__startswith="Đặc khu ").count() == 13
    assert not OrgUnit.objects.exclude(valid_from=REFORM_DATE).exists()
    assert not OrgUnit.objects.filter(valid_to__isnull=False).exists()

    assert UnitLink.objects.count() == 3321
    assert set(UnitLink.objects.values_list("valid_from", "valid_to")) == {(REFORM_DATE, None)}
    assert not UnitLink.objects.exclude(parent__level="tinh").exists()
    assert not UnitLink.objects.exclude(child__level="xa").exists()

    ha_noi = unit("P-01")
    assert (ha_noi.name, ha_noi.level) == ("Thành phố Hà Nội", "tinh")
    hoan_kiem = unit("W-00070")
    assert (hoan_kiem.name, hoan_kiem.level) == ("Phường Hoàn Kiếm", "xa")
    assert parent_of("W-00070") == ha_noi
    assert unit("P-46").name == "Thành phố Huế"
    assert unit("P-04").name == "Tỉnh Cao Bằng"  # the package has the bare "Cao Bằng"
    assert unit("W-22736").name == "Đặc khu Trường Sa"
    assert parent_of("W-22736").name == "Tỉnh Khánh Hòa"
    assert unit("W-12745").name == "Xã Bắc Đông Quan"  # "Xã  Bắc Đông Quan" in the package

    # Before 1/7/2025 none of these units has a parent; on it, each province has its communes.
    assert not parent_map(date(2025, 6, 30))
    tree = children_map(REFORM_DATE)
    assert len(tree[unit("P-79").id]) == 168  # Hồ Chí Minh has the most
    assert len(tree[unit("P-12").id]) == 38  # Lai Châu the fewest
    assert sum(len(children) for children in tree.values()) == 3321


def test_running_twice_changes_nothing(db, django_assert_max_num_queries):
    load_vietnam_units(today=TODAY)
    before = snapshot()

    with django_assert_max_num_queries(6):
        summary = load_vietnam_units(today=TODAY)

    assert (summary.created, summary.updated, summary.closed) == (0, 0, ())
    assert (summary.links_created, summary.links_closed) == (0, 0)
    assert snapshot() == before


def test_queries_do_not_grow_with_the_number_of_units(db):
    with CaptureQueriesContext(connection) as one:
        load_vietnam_units(province_code="12", today=TODAY)  # Lai Châu, 38 communes
    with CaptureQueriesContext(connection) as rest:
        load_vietnam_units(today=TODAY)  # the 3.316 others
    # Inserts go in batches (SQLite takes 999 parameters a query), nothing is per row.
    assert len(one.captured_queries) <= 8
    assert len(rest.captured_queries) <= 50
    assert UnitLink.objects.count() == 3321


def test_a_renamed_unit_gets_its_name_back(db):
    load_vietnam_units(today=TODAY)
    OrgUnit.objects.filter(code="W-00070").update(name="Phường Hoàn Kiếm cũ", level="huyen")
    OrgUnit.objects.filter(code="P-46").update(name="Tỉnh Thừa Thiên Huế")

    summary = load_vietnam_units(today=TODAY)

    assert (summary.created, summary.updated, summary.closed) == (0, 2, ())
    assert (unit("W-00070").name, unit("W-00070").level) == ("Phường Hoàn Kiếm", "xa")
    assert unit("P-46").name == "Thành phố Huế"
    assert "cập nhật: 2" in summary.message()


def test_one_province_only(db):
    summary = load_vietnam_units(province_code="46", today=TODAY)

    expected = sum(1 for w in Ward.iter_all() if w.province_code == 46)
    assert expected == 40
    assert (summary.provinces, summary.communes, summary.created) == (1, 40, 41)
    assert list(OrgUnit.objects.filter(level="tinh").values_list("code", flat=True)) == ["P-46"]
    assert OrgUnit.objects.filter(level="xa").count() == 40
    assert set(UnitLink.objects.values_list("parent__code", flat=True)) == {"P-46"}
    assert summary.message().startswith(
        "Đã nạp 1 tỉnh, thành phố và 40 xã, phường, đặc khu (mới: 41, cập nhật: 0, đóng: 0) trong "
    )

    # The other spellings of the code name the same province; then the rest fills in.
    assert load_vietnam_units(province_code="P-46", today=TODAY).created == 0
    assert load_vietnam_units(province_code=46, today=TODAY).created == 0
    assert load_vietnam_units(today=TODAY).created == 3355 - 41


def test_unknown_province_is_refused(db):
    with pytest.raises(UnknownProvince, match="99"):
        load_vietnam_units(province_code="99")
    with pytest.raises(UnknownProvince, match="không phải là mã"):
        load_vietnam_units(province_code="Hà Nội")
    assert not OrgUnit.objects.exists()


def test_units_gone_from_the_package_are_closed_and_reported_never_deleted(db):
    load_vietnam_units(today=TODAY)
    ha_noi = unit("P-01")
    gone = create_unit(
        code="W-99999", name="Xã Đã Nhập", level="xa", parent=ha_noi, valid_from=REFORM_DATE
    )
    gone_province = create_unit(code="P-99", name="Tỉnh Cũ", level="tinh", valid_from=REFORM_DATE)
    # Units with other codes (the app's own, an office under the city) are not the loader's.
    office = create_unit(code="P-01-SNV", name="Sở Nội vụ Hà Nội", level="so", parent=ha_noi)
    other = create_unit(code="T", name="Tỉnh Thử", level="tinh")

    summary = load_vietnam_units(today=TODAY)

    assert [(c.code, c.name) for c in summary.closed] == [
        ("P-99", "Tỉnh Cũ"),
        ("W-99999", "Xã Đã Nhập"),
    ]
    assert (summary.created, summary.updated, summary.links_closed) == (0, 0, 1)
    gone.refresh_from_db()
    gone_province.refresh_from_db()
    assert gone.valid_to == TODAY and gone_province.valid_to == TODAY
    assert UnitLink.objects.get(child=gone).valid_to == TODAY
    assert gone.id not in children_map(TODAY)[ha_noi.id]
    assert gone.id in children_map(date(2026, 3, 1))[ha_noi.id]  # history kept
    for untouched in (office, other):
        untouched.refresh_from_db()
        assert untouched.valid_to is None
    assert UnitLink.objects.get(child=office).valid_to is None
    message = summary.message()
    assert "đóng: 2" in message
    assert "W-99999 Xã Đã Nhập" in message and "P-99 Tỉnh Cũ" in message

    # Closed once: the next run, later, leaves them as they are.
    again = load_vietnam_units(today=date(2026, 4, 1))
    assert again.closed == ()
    gone.refresh_from_db()
    assert gone.valid_to == TODAY


def test_loading_one_province_closes_only_what_was_under_it(db):
    load_vietnam_units(today=TODAY)
    create_unit(code="W-99998", name="Xã Huế Cũ", level="xa", parent=unit("P-46"))
    create_unit(code="W-99999", name="Xã Hà Nội Cũ", level="xa", parent=unit("P-01"))

    summary = load_vietnam_units(province_code="46", today=TODAY)

    assert [c.code for c in summary.closed] == ["W-99998"]
    assert unit("W-99999").valid_to is None


def test_a_unit_listed_again_is_reopened_with_its_link(db):
    load_vietnam_units(today=TODAY)
    closed_on = date(2026, 1, 1)
    OrgUnit.objects.filter(code="W-00070").update(valid_to=closed_on)
    UnitLink.objects.filter(child__code="W-00070").update(valid_to=closed_on)

    summary = load_vietnam_units(today=TODAY)

    assert (summary.created, summary.updated, summary.links_created) == (0, 1, 0)
    assert unit("W-00070").valid_to is None
    link = UnitLink.objects.get(child__code="W-00070")
    assert (link.parent.code, link.valid_from, link.valid_to) == ("P-01", REFORM_DATE, None)


def test_a_commune_under_the_wrong_province_is_moved_from_today(db):
    load_vietnam_units(today=TODAY)
    UnitLink.objects.filter(child__code="W-00070").update(parent=unit("P-46"))

    summary = load_vietnam_units(today=TODAY)

    assert (summary.updated, summary.links_created, summary.links_closed) == (1, 1, 1)
    links = list(
        UnitLink.objects.filter(child__code="W-00070")
        .order_by("valid_from")
        .values_list("parent__code", "valid_from", "valid_to")
    )
    assert links == [("P-46", REFORM_DATE, TODAY), ("P-01", TODAY, None)]
    assert parent_of("W-00070").code == "P-01"
    assert "W-00070" in summary.message()


def test_dry_run_writes_nothing(db):
    summary = load_vietnam_units(today=TODAY, dry_run=True)

    assert (summary.created, summary.communes) == (3355, 3321)
    assert not OrgUnit.objects.exists() and not UnitLink.objects.exists()
    assert summary.message().startswith("Chạy thử, không ghi gì vào cơ sở dữ liệu: sẽ nạp 34 ")


def test_command_prints_the_vietnamese_summary(db):
    out = StringIO()
    call_command("load_units", stdout=out)

    first, source = out.getvalue().splitlines()[:2]
    assert re.fullmatch(
        r"Đã nạp 34 tỉnh, thành phố và 3\.321 xã, phường, đặc khu "
        r"\(mới: 3\.355, cập nhật: 0, đóng: 0\) trong \d+,\d giây\.",
        first,
    )
    assert source.startswith("Nguồn: vietnam-provinces 2025.10.1")

    out = StringIO()
    call_command("load_units", "--province", "P-01", stdout=out)
    assert out.getvalue().startswith(
        "Đã nạp 1 tỉnh, thành phố và 126 xã, phường, đặc khu (mới: 0, cập nhật: 0, đóng: 0)"
    )


def test_command_dry_run_and_bad_province(db):
    out = StringIO()
    call_command("load_units", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Chạy thử")
    assert not OrgUnit.objects.exists()

    with pytest.raises(CommandError, match="Không có tỉnh, thành phố mã «00»"):
        call_command("load_units", "--province", "00", stdout=StringIO())
