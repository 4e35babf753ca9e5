"""The demo data: built through the services, with seed 001 as history and every state."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from cchc.web.demo import load_demo
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import Report, ReportingRound, ReportValue
from cchc.web.reporting.workflow import services


def test_the_demo_loads_once_with_logins_for_every_role(db) -> None:
    logins = load_demo()
    assert {
        "quantri",
        "hue.noivu",
        "hs.lanhdao",
        "hs.quantri",
        "hs.vpnv",
        "hs.vpub",
        "hs.tuphap",
        "hs.taichinh",
        "hs.vhxh",
    } <= {login.username for login in logins}
    assert load_demo() is None


def test_huong_son_history_holds_all_61_values_of_seed_001_and_is_accepted(db) -> None:
    load_demo()
    report = Report.objects.get(round__period_key="2024-H1", unit__code="X-HUONG-SON")
    assert report.state == "accepted"
    assert report.round.issuer.name == "Huyện Nam Đông"  # the tree of 2024
    assert ReportValue.objects.filter(report=report).exclude(raw="").count() == 61
    assert saving.report_content(report).header.number == "341"


def test_the_open_round_has_reports_in_every_state(db) -> None:
    load_demo()
    rnd = ReportingRound.objects.get(period_key="2026-H2")
    _, counts = services.round_dashboard(rnd)
    assert counts == {
        "not_started": 1,
        "in_progress": 1,
        "on_time": 1,
        "late": 0,
        "returned": 1,
        "accepted": 1,
    }


def test_the_2024_rounds_of_hue_and_nam_dong_stay_with_them_after_the_reorganisation(
    db, client
) -> None:
    """Read on the tree of 2024: Huế sees Nam Đông's report in its own round, and Nam
    Đông (closed since 1/7/2025) still sees Hương Sơn's, rows and pages alike."""
    load_demo()
    users = get_user_model().objects
    for username, issuer, unit in (
        ("hue.noivu", "T-HUE", "H-NAM-DONG"),
        ("namdong.noivu", "H-NAM-DONG", "X-HUONG-SON"),
    ):
        client.force_login(users.get(username=username))
        report = Report.objects.get(
            round__period_key="2024-H1", round__issuer__code=issuer, unit__code=unit
        )
        assert report.round in set(client.get(reverse("round-list")).context["rounds"])
        page = client.get(reverse("round-dashboard", args=[report.round_id]))
        assert [r.unit.code for r, _ in page.context["rows"]] == [unit], username
        assert client.get(reverse("report-detail", args=[report.pk])).status_code == 200
