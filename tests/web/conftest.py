"""A small world for web tests: a ministry, a province under it, two communes, and the
personas of STYLE.md.

- `officer`: contributor of commune A, assigned Biểu mẫu 1 and section I
- `colleague`: contributor of commune A with nothing assigned
- `leader`, `unit_admin`: of commune A
- `outsider`: contributor of sibling commune B
- `reviewer`: Home Affairs office of the province, above both; it issued the round
- `ministry_reviewer`: of the ministry above the province: sees the round, may not act on it
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc.core.periods import Period, PeriodType, Window
from cchc.web.organisation.models import Membership, OrgUnit, Role
from cchc.web.organisation.services import create_unit
from cchc.web.reporting.models import Report, ReportingRound, TemplateVersion
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import services

PASSWORD = "mat-khau-thu"


@dataclass
class World:
    ministry: OrgUnit
    province: OrgUnit
    commune_a: OrgUnit
    commune_b: OrgUnit
    round: ReportingRound
    report_a: Report
    report_b: Report
    officer: object
    colleague: object
    leader: object
    unit_admin: object
    outsider: object
    reviewer: object
    ministry_reviewer: object


def _user(username: str, unit: OrgUnit, role: str, duty: str = ""):
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=username)
    Membership.objects.create(user=user, unit=unit, role=role, duty=duty)
    return user


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Nothing cached by an earlier test (its users' ids come again in the next)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Real hashing is slow on purpose; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    store.install_bundled_templates()
    ministry = create_unit(code="BNV", name="Bộ Nội vụ", level="bo")
    province = create_unit(code="T", name="Tỉnh Thử", level="tinh", parent=ministry)
    a = create_unit(code="XA", name="Xã An", level="xa", parent=province)
    b = create_unit(code="XB", name="Xã Bình", level="xa", parent=province)
    officer = _user("officer", a, Role.CONTRIBUTOR, duty="vp-noi-vu")
    colleague = _user("colleague", a, Role.CONTRIBUTOR)
    leader = _user("leader", a, Role.LEADER)
    unit_admin = _user("unit_admin", a, Role.UNIT_ADMIN)
    outsider = _user("outsider", b, Role.CONTRIBUTOR, duty="vp-noi-vu")
    reviewer = _user("reviewer", province, Role.REVIEWER)
    ministry_reviewer = _user("ministry_reviewer", ministry, Role.REVIEWER)
    rnd = services.open_round(
        user=reviewer,
        issuer=province,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, 2026, 2),
        units=[a, b],
        window_override=Window(date(2026, 6, 15), date(2026, 12, 14)),
        deadline=timezone.make_aware(datetime(2099, 12, 16, 17, 0)),
    )
    return World(
        ministry,
        province,
        a,
        b,
        rnd,
        rnd.reports.get(unit=a),
        rnd.reports.get(unit=b),
        officer,
        colleague,
        leader,
        unit_admin,
        outsider,
        reviewer,
        ministry_reviewer,
    )


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user
