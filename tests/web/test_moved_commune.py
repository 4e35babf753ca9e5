"""A commune that moved between districts: each round is read on the tree of its cut-off day.

Xã Chuyển belonged to Huyện Cũ until 1/7/2025, then to Huyện Mới; both districts are
under Tỉnh Thử. Its 2024 report was made under Huyện Cũ, its 2026 one under Huyện
Mới. The rule (docs/permissions.md): whoever was above the commune on the round's
cut-off day sees that round's report, and only the issuing unit's reviewers act on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType, Window
from cchc.web.organisation.models import OrgUnit, Role
from cchc.web.organisation.services import create_unit, move_unit
from cchc.web.reporting.models import Report, ReportingRound, TemplateVersion
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import permissions, services
from tests.web.conftest import _user

MOVE = date(2025, 7, 1)


@dataclass
class Moved:
    province: OrgUnit
    old_district: OrgUnit
    new_district: OrgUnit
    commune: OrgUnit
    old_round: ReportingRound
    new_round: ReportingRound
    old_report: Report
    new_report: Report
    people: dict


def _round(reviewer, issuer, commune, year: int) -> ReportingRound:
    return services.open_round(
        user=reviewer,
        issuer=issuer,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, year, 1),
        units=[commune],
        window_override=Window(date(year - 1, 12, 15), date(year, 6, 14)),
        deadline=timezone.make_aware(datetime(2099, 6, 16, 17, 0)),
    )


@pytest.fixture
def moved(db) -> Moved:
    store.install_bundled_templates()
    province = create_unit(code="T", name="Tỉnh Thử", level="tinh")
    old = create_unit(code="H-CU", name="Huyện Cũ", level="huyen", parent=province)
    new = create_unit(code="H-MOI", name="Huyện Mới", level="huyen", parent=province)
    commune = create_unit(code="X-CHUYEN", name="Xã Chuyển", level="xa", parent=old)
    stayed = create_unit(code="X-O-LAI", name="Xã Ở Lại", level="xa", parent=new)
    people = {
        "province_reviewer": _user("tinh.noivu", province, Role.REVIEWER),
        "old_reviewer": _user("cu.noivu", old, Role.REVIEWER),
        "new_reviewer": _user("moi.noivu", new, Role.REVIEWER),
        "leader": _user("chuyen.lanhdao", commune, Role.LEADER),
        "neighbour": _user("olai.lanhdao", stayed, Role.LEADER),
    }
    old_round = _round(people["old_reviewer"], old, commune, 2024)
    move_unit(unit=commune, new_parent=new, on=MOVE)
    new_round = _round(people["new_reviewer"], new, commune, 2026)
    return Moved(
        province,
        old,
        new,
        commune,
        old_round,
        new_round,
        old_round.reports.get(),
        new_round.reports.get(),
        people,
    )


# persona → (sees the 2024 report, sees the 2026 report)
SEES = {
    "province_reviewer": (True, True),
    "old_reviewer": (True, False),
    "new_reviewer": (False, True),
    "leader": (True, True),
    "neighbour": (False, False),
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_each_round_of_the_moved_commune_is_seen_on_the_tree_of_its_cut_off_day(
    moved, login, persona
) -> None:
    client = login(moved.people[persona])
    for report, sees in zip((moved.old_report, moved.new_report), SEES[persona], strict=True):
        response = client.get(reverse("report-detail", args=[report.pk]))
        assert response.status_code == (200 if sees else 403), (persona, report.round.title)
        if not sees:
            assert "Bạn không có quyền xem báo cáo của Xã Chuyển" in response.content.decode()


@pytest.mark.parametrize("persona", sorted(SEES))
def test_the_round_list_and_dashboard_follow_the_same_tree(moved, login, persona) -> None:
    client = login(moved.people[persona])
    listed = set(client.get(reverse("round-list")).context["rounds"])
    for rnd, sees in zip((moved.old_round, moved.new_round), SEES[persona], strict=True):
        assert (rnd in listed) is sees, (persona, rnd.title)
        response = client.get(reverse("round-dashboard", args=[rnd.pk]))
        if sees:
            assert [r.unit.name for r, _ in response.context["rows"]] == ["Xã Chuyển"]
        else:
            assert response.status_code == 403


def test_the_closed_old_districts_history_stays_under_it(moved, login) -> None:
    """Huyện Cũ's reviewer still finds the 2024 round with the commune in it (not
    «Không có đơn vị nào»), and may open its consolidation."""
    client = login(moved.people["old_reviewer"])
    page = client.get(reverse("round-dashboard", args=[moved.old_round.pk])).content.decode()
    assert "Xã Chuyển" in page and "Không có đơn vị nào" not in page
    assert permissions.may_consolidate(moved.people["old_reviewer"], moved.old_round)
    assert not permissions.may_consolidate(moved.people["old_reviewer"], moved.new_round)
    response = client.get(reverse("round-consolidation", args=[moved.new_round.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("persona", sorted(SEES))
def test_whoever_may_accept_a_report_may_also_see_it(moved, persona) -> None:
    user = moved.people[persona]
    for report in (moved.old_report, moved.new_report):
        services.approve_report(user=moved.people["leader"], report=report, reason="Thử.")
        services.submit_report(user=moved.people["leader"], report=report)
        try:
            permissions.require_round_reviewer(user, report, "tiếp nhận")
        except permissions.Refused:
            continue
        assert permissions.can_view(user, report), (persona, report.round.title)


def test_the_old_districts_reviewer_accepts_the_2024_report_the_new_one_cannot(moved) -> None:
    leader = moved.people["leader"]
    services.approve_report(user=leader, report=moved.old_report, reason="Thử.")
    services.submit_report(user=leader, report=moved.old_report)
    with pytest.raises(services.Refused, match="Chỉ cán bộ Nội vụ của Huyện Cũ"):
        services.accept_report(user=moved.people["new_reviewer"], report=moved.old_report)
    services.accept_report(user=moved.people["old_reviewer"], report=moved.old_report)
    assert Report.objects.get(pk=moved.old_report.pk).state == "accepted"


def test_the_round_list_asks_as_many_queries_for_one_round_as_for_many(
    moved,
) -> None:
    def count(user) -> int:
        user.__dict__.pop("_cchc_memberships", None)
        with CaptureQueriesContext(connection) as queries:
            list(permissions.visible_rounds(user))
        return len(queries.captured_queries)

    before = {p: count(u) for p, u in moved.people.items()}
    for year in (2027, 2028, 2029):
        _round(moved.people["new_reviewer"], moved.new_district, moved.commune, year)
    assert {p: count(u) for p, u in moved.people.items()} == before
    assert max(before.values()) <= 6
