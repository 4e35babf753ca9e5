"""Nobody sees or changes another unit's data unless above it; every refusal says why."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cchc.web.reporting.models import ReportValue
from cchc.web.reporting.workflow import permissions, services

PERSONAS = [
    "officer",
    "colleague",
    "leader",
    "unit_admin",
    "outsider",
    "reviewer",
    "ministry_reviewer",
]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 200),
        ("colleague", 200),
        ("leader", 200),
        ("unit_admin", 200),
        ("outsider", 403),
        ("reviewer", 200),
        ("ministry_reviewer", 200),
    ],
)
@pytest.mark.parametrize("page", ["report-detail", "report-audit", "form-entry", "api-report"])
def test_who_may_see_commune_a_report(world, login, persona, status, page) -> None:
    client = login(getattr(world, persona))
    args = [world.report_a.pk, "BM1"] if page == "form-entry" else [world.report_a.pk]
    response = client.get(reverse(page, args=args))
    assert response.status_code == status
    if status == 403:
        body = response.content.decode()
        assert "Bạn không có quyền xem báo cáo của Xã An" in body


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer", 200),
        ("colleague", 403),
        ("leader", 200),
        ("unit_admin", 200),
        ("outsider", 403),
        ("reviewer", 403),
    ],
)
def test_who_may_save_a_value_of_biểu_mẫu_1(world, login, persona, status) -> None:
    client = login(getattr(world, persona))
    response = client.post(
        reverse("save-cell", args=[world.report_a.pk, "BM1"]),
        {"code": "2.1", "field": "raw", "text": "19", "version": "0"},
    )
    assert response.status_code == status
    saved = list(ReportValue.objects.filter(report=world.report_a).values_list("code", "raw"))
    assert saved == ([("2.1", "19")] if status == 200 else [])


def test_a_contributor_cannot_fill_a_form_assigned_to_someone_else(world, login) -> None:
    response = login(world.officer).post(
        reverse("save-cell", args=[world.report_a.pk, "BM2"]),
        {"code": "1.1", "field": "raw", "text": "3", "version": "0"},
    )
    assert response.status_code == 403
    assert "Bạn không được phân công biểu BM2 của báo cáo này." in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "colleague", "reviewer"])
def test_the_api_refuses_writes_from_who_may_not_write(world, login, persona) -> None:
    client = login(getattr(world, persona))
    response = client.put(
        reverse("api-values", args=[world.report_a.pk]),
        data=json.dumps({"form": "BM1", "values": {"2.1": {"raw": "19", "version": 0}}}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert ReportValue.objects.filter(report=world.report_a).count() == 0


def test_the_outsider_sees_only_their_own_commune_in_the_round_dashboard(world, login) -> None:
    response = login(world.outsider).get(reverse("round-dashboard", args=[world.round.pk]))
    units = [r.unit.name for r, _ in response.context["rows"]]
    assert units == ["Xã Bình"]


def test_the_reviewer_sees_every_commune_in_the_round_dashboard(world, login) -> None:
    response = login(world.reviewer).get(reverse("round-dashboard", args=[world.round.pk]))
    assert [r.unit.name for r, _ in response.context["rows"]] == ["Xã An", "Xã Bình"]


def test_a_contributor_cannot_approve(world) -> None:
    with pytest.raises(permissions.Refused, match=r"Chỉ lãnh đạo đơn vị được duyệt báo cáo\."):
        services.approve_report(user=world.officer, report=world.report_a)


def test_the_reviewer_of_another_province_cannot_accept(world, db) -> None:
    from django.contrib.auth import get_user_model

    from cchc.web.organisation.models import Membership, Role
    from cchc.web.organisation.services import create_unit

    other = create_unit(code="T2", name="Tỉnh Khác", level="tinh")
    stranger = get_user_model().objects.create_user("stranger", password="x")
    Membership.objects.create(user=stranger, unit=other, role=Role.REVIEWER)
    services.approve_report(user=world.leader, report=world.report_a, reason="Thử.")
    services.submit_report(user=world.leader, report=world.report_a)
    with pytest.raises(permissions.Refused, match=r"Chỉ cán bộ Nội vụ của Tỉnh Thử, đơn vị mở đợt"):
        services.accept_report(user=stranger, report=world.report_a)


def test_anonymous_visitors_are_sent_to_the_login_page(client, world) -> None:
    response = client.get(reverse("report-detail", args=[world.report_a.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
