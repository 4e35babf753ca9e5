"""Only the unit's leader or unit admin gives out its report's parts, by any of the page's
three ways (`require_assigner`); parts go only to the unit's own active people
(`require_assignee`). The personas of STYLE.md, each with data that could leak."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.web.organisation.models import Membership, Role
from cchc.web.reporting.models import Assignment, AuditEvent
from cchc.web.reporting.workflow import assignments
from cchc.web.reporting.workflow.assignments import Change
from cchc.web.reporting.workflow.permissions import Refused

ACTIONS = [
    {"action": "by-duty", "due": "10:00 09/06/2099"},
    {"action": "picked", "pick": ["form:BM2"], "assignee": "COLLEAGUE"},
    {"form:BM2": "COLLEAGUE"},
]


def _split(world) -> dict:
    return dict(
        Assignment.objects.filter(report=world.report_a).values_list("code", "user__username")
    )


@pytest.fixture
def sibling_leader(world):
    """The leader of commune B: a leader, but of another commune."""
    user = world.officer.__class__.objects.create_user("leader_b", first_name="leader_b")
    Membership.objects.create(user=user, unit=world.commune_b, role=Role.LEADER)
    return user


@pytest.mark.parametrize(
    "who", ["officer", "colleague", "outsider", "reviewer", "ministry_reviewer", "sibling_leader"]
)
@pytest.mark.parametrize("data", ACTIONS, ids=["by-duty", "picked", "rows"])
def test_nobody_but_the_units_managers_assigns(world, login, sibling_leader, who, data) -> None:
    user = sibling_leader if who == "sibling_leader" else getattr(world, who)
    before = _split(world)
    url = reverse("report-assign", args=[world.report_a.pk])
    filled = {k: (str(world.colleague.pk) if v == "COLLEAGUE" else v) for k, v in data.items()}
    outside = who in ("outsider", "sibling_leader")  # cannot even see the report
    message = (
        "Bạn không có quyền xem báo cáo của Xã An."
        if outside
        else "Chỉ quản trị đơn vị hoặc lãnh đạo của Xã An được phân công."
    )
    for response in (login(user).post(url, filled), login(user).get(url)):
        assert response.status_code == 403
        assert message in response.content.decode()
    assert _split(world) == before
    assert not AuditEvent.objects.filter(action__in=["assigned", "unassigned"]).exists()


@pytest.mark.parametrize("who", ["leader", "unit_admin"])
@pytest.mark.parametrize("data", ACTIONS, ids=["by-duty", "picked", "rows"])
def test_the_leader_and_the_unit_admin_assign(world, login, who, data) -> None:
    Membership.objects.filter(user=world.colleague).update(duty="tu-phap")
    filled = {k: (str(world.colleague.pk) if v == "COLLEAGUE" else v) for k, v in data.items()}
    url = reverse("report-assign", args=[world.report_a.pk])
    assert login(getattr(world, who)).post(url, filled).status_code == 302
    assert _split(world)["BM2"] == "colleague"


@pytest.mark.parametrize("who", ["officer", "outsider", "reviewer"])
def test_the_operations_themselves_refuse_anyone_else(world, who) -> None:
    user = getattr(world, who)
    with pytest.raises(Refused) as by_duty:
        assignments.assign_by_duty(user=user, report=world.report_a)
    with pytest.raises(Refused) as picked:
        assignments.assign_parts(
            user=user, report=world.report_a, changes=[Change("form", "BM2", world.colleague)]
        )
    assert (
        str(by_duty.value)
        == str(picked.value)
        == ("Chỉ quản trị đơn vị hoặc lãnh đạo của Xã An được phân công.")
    )


def test_several_parts_at_once_never_go_to_someone_of_another_commune(world, login) -> None:
    before = _split(world)
    response = login(world.leader).post(
        reverse("report-assign", args=[world.report_a.pk]),
        {"action": "picked", "pick": ["form:BM2", "form:BM3"], "assignee": world.outsider.pk},
    )
    assert response.status_code == 400
    assert [str(m) for m in response.context["messages"]] == [
        "Chưa lưu phân công: outsider không thuộc Xã An nên không được phân công "
        "phần việc của báo cáo này."
    ]
    assert _split(world) == before
