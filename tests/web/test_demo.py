"""The demo data: built through the services, with seed 001 as history and every state."""

from __future__ import annotations

from cchc.web.demo import load_demo
from cchc.web.reporting import entries, services
from cchc.web.reporting.models import Report, ReportingRound, ReportValue


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
    assert entries.report_content(report).header.number == "341"


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
