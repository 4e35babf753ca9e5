"""The pages that list units ask the database the same number of times for one
unit as for three: no query per unit, per report or per row (no N+1).

Two provinces side by side, one with one commune and one with three, each with
its own round, reviewer and submitted reports; each page is opened once to warm
the caches, then counted for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType, Window
from cchc.web.organisation.models import Membership, Role
from cchc.web.organisation.services import create_unit
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import ReportingRound, TemplateVersion
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import services


@dataclass
class Province:
    round: ReportingRound
    reviewer: object
    officer: object  # of the first commune
    report_pk: int


def _user(username: str, unit, role: str, duty: str = ""):
    user = get_user_model().objects.create_user(username, password="x", first_name=username)
    Membership.objects.create(user=user, unit=unit, role=role, duty=duty)
    return user


def _province(code: str, communes: int) -> Province:
    ministry = create_unit(code=f"B{code}", name=f"Bộ {code}", level="bo")
    province = create_unit(code=code, name=f"Tỉnh {code}", level="tinh", parent=ministry)
    units = [
        create_unit(code=f"{code}X{i}", name=f"Xã {code} {i}", level="xa", parent=province)
        for i in range(communes)
    ]
    reviewer = _user(f"reviewer-{code}", province, Role.REVIEWER)
    people = [
        (
            _user(f"officer-{code}{i}", u, Role.CONTRIBUTOR, "vp-noi-vu"),
            _user(f"leader-{code}{i}", u, Role.LEADER),
        )
        for i, u in enumerate(units)
    ]
    rnd = services.open_round(
        user=reviewer,
        issuer=province,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, 2026, 2),
        units=units,
        window_override=Window(date(2026, 6, 15), date(2026, 12, 14)),
        deadline=timezone.make_aware(datetime(2099, 12, 16, 17, 0)),
    )
    for i, (unit, (contributor, leader)) in enumerate(zip(units, people, strict=True)):
        report = rnd.reports.get(unit=unit)
        values = {"1": (str(4 + i), None), "2.1": ("10", None), "2.2": (str(5 + i), None)}
        saving.save_values(user=contributor, report=report, form="BM1", changes=values)
        saving.save_section(
            user=contributor, report=report, code="I", text="Kết quả.", base_version=0
        )
        services.approve_report(user=leader, report=report, reason="đủ để thử")
        services.submit_report(user=leader, report=report)
    first = rnd.reports.get(unit=units[0])
    return Province(rnd, reviewer, people[0][0], first.pk)


@pytest.fixture
def provinces(db) -> tuple[Province, Province]:
    store.install_bundled_templates()
    return _province("P", 1), _province("Q", 3)


def _count(client, user, url: str) -> tuple[int, str]:
    client.force_login(user)
    assert client.get(url).status_code == 200  # warm: templates, caches, stored totals
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


PAGES = {
    "my-work": lambda p: (p.reviewer, reverse("my-work")),
    "my-work-officer": lambda p: (p.officer, reverse("my-work")),
    "round-list": lambda p: (p.reviewer, reverse("round-list")),
    "round-dashboard": lambda p: (p.reviewer, reverse("round-dashboard", args=[p.round.pk])),
    "round-consolidation": lambda p: (
        p.reviewer,
        reverse("round-consolidation", args=[p.round.pk]),
    ),
    "round-comparison": lambda p: (p.reviewer, reverse("round-comparison", args=[p.round.pk])),
    "api-report": lambda p: (p.reviewer, reverse("api-report", args=[p.report_pk])),
}


LISTS_UNITS = {"my-work", "round-dashboard", "round-consolidation", "round-comparison"}


@pytest.mark.parametrize("page", list(PAGES))
def test_a_page_asks_as_often_for_three_units_as_for_one(client, provinces, page) -> None:
    (one, _), (three, shown) = (_count(client, *PAGES[page](p)) for p in provinces)
    assert one == three, f"{page}: {one} queries for one unit, {three} for three"
    if page in LISTS_UNITS:
        assert all(f"Xã Q {i}" in shown for i in range(3))
