"""The upper unit's own report filled from the consolidation of the round it issued.

A small tree on the 2024 template (pl-2024): the ministry above a province; the
province's round goes to one district and three communes, one of which (Hương
Sơn) sends the real seed 001 figures and one never reports.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType
from cchc.importers.report_file import import_report
from cchc.web.demo import SEED_001
from cchc.web.organisation.models import Membership, Role
from cchc.web.organisation.services import create_unit
from cchc.web.reporting.entry import saving
from cchc.web.reporting.entry.prefill import prefill_from_consolidation, review_prefill
from cchc.web.reporting.models import AuditEvent, Report, ReportValue, TemplateVersion
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import permissions, services

H1_2024 = Period(PeriodType.HALF_YEAR, 2024, 1)


def _person(username: str, unit, role: str):
    user = get_user_model().objects.create_user(username, password="x", first_name=username)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def _round(issuer, units):
    admin = get_user_model().objects.get(username="root")
    return services.open_round(
        user=admin,
        issuer=issuer,
        template=TemplateVersion.objects.get(template_id="pl-2024"),
        period=H1_2024,
        units=units,
        deadline=timezone.make_aware(datetime(2099, 6, 20, 17, 0)),
    )


def _send(report, values: dict[str, dict[str, str]]) -> None:
    """Fill, approve (with a reason: seed 001 has errors of its own) and submit."""
    admin = get_user_model().objects.get(username="root")
    for form, changes in values.items():
        saving.save_values(
            user=admin,
            report=report,
            form=form,
            changes={c: (v, None) for c, v in changes.items()},
        )
    services.approve_report(user=admin, report=report, reason="số liệu như bản giấy")
    services.submit_report(user=admin, report=report)


def _seed_001() -> dict[str, dict[str, str]]:
    imported = import_report(SEED_001, "pl-2024")
    return {f: {c: e.raw for c, e in v.items() if e.raw} for f, v in imported.values.items()}


@pytest.fixture
def tree(db):
    store.install_bundled_templates()
    get_user_model().objects.create_superuser("root", password="x")
    ministry = create_unit(code="BNV", name="Bộ Nội vụ", level="bo")
    province = create_unit(code="T", name="Tỉnh Thử", level="tinh", parent=ministry)
    district = create_unit(code="H", name="Huyện Đông", level="huyen", parent=province)
    communes = [
        create_unit(code=code, name=name, level="xa", parent=district)
        for code, name in (("X1", "Xã Hương Sơn"), ("X2", "Xã Thượng Long"), ("X3", "Xã Khe Tre"))
    ]
    upper = _round(ministry, [province])
    lower = _round(province, [district, *communes])
    reports = {r.unit.code: r for r in lower.reports.select_related("unit")}
    return {
        "province": province,
        "ministry": ministry,
        "target": upper.reports.get(),
        "lower": reports,
        "leader": _person("tinh.lanhdao", province, Role.LEADER),
        "clerk": _person("tinh.vpnv", province, Role.CONTRIBUTOR),
        "commune_clerk": _person("xa2.vpnv", communes[1], Role.CONTRIBUTOR),
        "ministry_reviewer": _person("bnv.cchc", ministry, Role.REVIEWER),
    }


def _send_all_but_khe_tre(tree) -> None:
    lower = tree["lower"]
    # 3.2.1 is a district row: a commune can no longer save it, but one stored before
    # (an old import) is still there, and is not counted
    ReportValue.objects.create(report=lower["X2"], form="PL4", code="3.2.1", raw="50")
    _send(lower["X1"], _seed_001())
    _send(
        lower["H"],
        {"PL2": {"1": "7", "7": "0"}, "PL4": {"3.2.1": "11406", "3.2.2": "11000"}},
    )
    _send(
        lower["X2"],
        {
            "PL2": {"1": "5", "7": "1"},
            "PL4": {"3.3.1": "100", "3.3.2": "90", "3.4.1": "0", "3.4.2": "0"},
        },
    )


def _stored(report) -> dict[tuple[str, str], tuple[str, str]]:
    return {
        (v.form, v.code): (v.raw, v.note)
        for v in ReportValue.objects.filter(report=report)
        if v.raw or v.note
    }


def test_the_province_report_is_filled_per_level_with_coverage_notes(tree) -> None:
    _send_all_but_khe_tre(tree)
    result = prefill_from_consolidation(user=tree["leader"], report=tree["target"])
    values = _stored(tree["target"])
    # 13 (Hương Sơn) + 5 (Thượng Long) + 7 (the district); Khe Tre never reported
    assert values[("PL2", "1")] == (
        "25",
        "cấp huyện 7, cấp xã 18. Tổng hợp 3/4 đơn vị; chưa có: Xã Khe Tre.",
    )
    # the commune row (one row per level: 3.1.1, 3.2.1, 3.3.1) over the communes only
    assert values[("PL4", "3.3.1")] == ("376", "Tổng hợp 2/3 đơn vị; chưa có: Xã Khe Tre.")
    assert values[("PL4", "3.3.2")][0] == "366"
    # the district row comes from the district level only: Thượng Long's 50 is not added
    assert values[("PL4", "3.2.1")] == ("11406", "")
    assert values[("PL4", "3.2.2")] == ("11000", "")
    # a coded answer is never invented: left empty, the units per option noted
    assert values[("PL2", "7")] == (
        "",
        "Chưa điền (câu trả lời mã hóa không cộng được). 3/4 đơn vị: Không: 1; Có: 2.",
    )
    # rates are not written: the core recomputes them from the summed operands
    assert ("PL4", "3.3") not in values and ("PL2", "2") not in values
    computed = saving.check_report(tree["target"]).computed
    assert computed[("PL4", "3.3")] == Decimal(366) / Decimal(376) * 100
    # 0 + 0 complaints: the rate stays undefined, neither 0% nor 100%
    assert values[("PL4", "3.4.1")][0] == values[("PL4", "3.4.2")][0] == "0"
    assert computed[("PL4", "3.4")] is None
    # Hương Sơn's «3,887» reads two ways and its PL8 2 = 3 is not an option: nothing made up
    assert ("PL7", "1.1") not in values and ("PL8", "2") not in values
    assert result.conflicts == 0 and result.saved == len(values)


def test_each_saved_value_is_versioned_audited_and_the_prefill_is_recorded(tree) -> None:
    _send_all_but_khe_tre(tree)
    prefill_from_consolidation(user=tree["leader"], report=tree["target"])
    events = AuditEvent.objects.filter(report=tree["target"])
    saved = events.filter(action="value-saved", target="PL2.1").get()
    assert (saved.user, saved.after["raw"]) == (tree["leader"], "25")
    recorded = events.get(action="prefilled").after["values"]
    assert recorded["PL2|1"]["raw"] == "25"


def test_running_again_after_more_units_report_updates_only_its_own_values(tree) -> None:
    lower = tree["lower"]
    _send(lower["X1"], _seed_001())
    prefill_from_consolidation(user=tree["leader"], report=tree["target"])
    assert _stored(tree["target"])[("PL2", "1")][0] == "13"
    # the leader types the figure of 4.1 herself; then Thượng Long reports
    saving.save_values(
        user=tree["leader"], report=tree["target"], form="PL4", changes={"1.1": ("9", 1)}
    )
    _send(lower["X2"], {"PL2": {"1": "5"}, "PL4": {"1.1": "3"}})
    review = review_prefill(user=tree["leader"], report=tree["target"])
    status = {r.key: r.status for r in review.rows}
    assert (status["PL2|1"], status["PL4|1.1"], status["PL4|1.4"]) == ("update", "typed", "same")
    result = prefill_from_consolidation(user=tree["leader"], report=tree["target"])
    values = _stored(tree["target"])
    assert values[("PL2", "1")][0] == "18"
    assert values[("PL4", "1.1")][0] == "9"  # typed by a person: kept
    assert result.kept == ["PL4|1.1"]
    prefill_from_consolidation(user=tree["leader"], report=tree["target"], overwrite=True)
    assert _stored(tree["target"])[("PL4", "1.1")][0] == "3"


@pytest.mark.parametrize("who", ["clerk", "commune_clerk", "ministry_reviewer"])
def test_only_the_leader_or_unit_admin_of_the_upper_unit_may_prefill(tree, who) -> None:
    _send_all_but_khe_tre(tree)
    with pytest.raises(permissions.Refused, match="Chỉ lãnh đạo hoặc quản trị của Tỉnh Thử"):
        prefill_from_consolidation(user=tree[who], report=tree["target"])
    assert _stored(tree["target"]) == {}


def test_a_unit_that_issued_no_round_has_nothing_to_prefill(tree) -> None:
    commune_report = tree["lower"]["X2"]
    leader = _person("xa2.lanhdao", commune_report.unit, Role.LEADER)
    with pytest.raises(permissions.Refused, match="chưa mở đợt báo cáo kỳ 2024-H1"):
        review_prefill(user=leader, report=commune_report)


def test_the_web_review_shows_the_rows_then_saves_only_the_chosen_ones(tree, client) -> None:
    _send_all_but_khe_tre(tree)
    client.force_login(tree["leader"])
    page = client.get(reverse("report-prefill", args=[tree["target"].pk]))
    rows = {r.key: r for r in page.context["review"].rows}
    assert (rows["PL2|1"].current_raw, rows["PL2|1"].proposal.raw) == ("", "25")
    assert rows["PL2|1"].proposal.coverage == "3/4 đơn vị"
    body = page.content.decode()
    assert 'data-key="PL4|3.3.1"' in body and "Điền các chỉ tiêu đã chọn" in body
    response = client.post(
        reverse("report-prefill-confirm", args=[tree["target"].pk]),
        {"token": page.context["token"], "key": ["PL2|1", "PL4|3.3.1"]},
    )
    assert response.status_code == 302
    assert {k: v[0] for k, v in _stored(tree["target"]).items()} == {
        ("PL2", "1"): "25",
        ("PL4", "3.3.1"): "376",
    }


def test_the_web_review_is_refused_to_a_commune_officer(tree, client) -> None:
    client.force_login(tree["clerk"])
    response = client.get(reverse("report-prefill", args=[tree["target"].pk]))
    assert response.status_code == 403


def test_province_then_ministry_two_steps_up_the_tree(db) -> None:
    store.install_bundled_templates()
    get_user_model().objects.create_superuser("root", password="x")
    government = create_unit(code="CP", name="Chính phủ", level="tw")
    ministry = create_unit(code="BNV", name="Bộ Nội vụ", level="bo", parent=government)
    province = create_unit(code="T", name="Tỉnh Thử", level="tinh", parent=ministry)
    c1 = create_unit(code="X1", name="Xã Một", level="xa", parent=province)
    c2 = create_unit(code="X2", name="Xã Hai", level="xa", parent=province)
    national = _round(government, [ministry]).reports.get()
    province_report = _round(ministry, [province]).reports.get()
    communes = {r.unit.code: r for r in _round(province, [c1, c2]).reports.select_related("unit")}
    _send(communes["X1"], {"PL4": {"3.3.1": "167000", "3.3.2": "160000"}})
    _send(communes["X2"], {"PL4": {"3.3.1": "344", "3.3.2": "300"}})
    province_leader = _person("tinh.lanhdao", province, Role.LEADER)
    prefill_from_consolidation(user=province_leader, report=province_report)
    # the province's own departments: a figure only the province itself has
    saving.save_values(
        user=province_leader,
        report=province_report,
        form="PL4",
        changes={"3.1.1": ("35186", None), "3.1.2": ("35000", None)},
    )
    services.approve_report(user=province_leader, report=province_report, reason="Chỉ có PL4.")
    services.submit_report(user=province_leader, report=province_report)
    ministry_leader = _person("bnv.lanhdao", ministry, Role.LEADER)
    prefill_from_consolidation(user=ministry_leader, report=national)
    values = {k: v[0] for k, v in _stored(national).items()}
    assert values == {
        ("PL4", "3.1.1"): "35186",
        ("PL4", "3.1.2"): "35000",
        ("PL4", "3.3.1"): "167344",
        ("PL4", "3.3.2"): "160300",
    }


def test_the_demo_leader_of_hue_fills_the_report_to_the_ministry(db) -> None:
    from cchc.web.demo import load_demo

    load_demo()
    report = Report.objects.get(round__issuer__code="BO-NOI-VU")
    leader = get_user_model().objects.get(username="hue.lanhdao")
    review = review_prefill(user=leader, report=report)
    rows = {r.key: r for r in review.rows}
    # Hương Sơn's seed figures, through Nam Đông's accepted report
    assert (rows["PL2|1"].proposal.raw, rows["PL4|3.3.1"].proposal.raw) == ("13", "276")
    assert all(r.status == "new" for r in review.rows)
