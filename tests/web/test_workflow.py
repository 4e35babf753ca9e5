"""The report workflow: assignment from the template, save, approve, submit, return, accept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import Assignment, AuditEvent, ReportState
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import permissions, services


def test_seed_000_assignment_comes_out_of_the_template_roles(world) -> None:
    parts = set(
        Assignment.objects.filter(report=world.report_a, user=world.officer).values_list(
            "kind", "code"
        )
    )
    forms = {code for kind, code in parts if kind == "form"}
    sections = {code for kind, code in parts if kind == "section"}
    assert forms == {"BM1", "BM4", "BM5"}  # vp-noi-vu in seed 000
    assert {"I", "I.1", "II.3", "II.4", "III"} <= sections
    assert "I.5" not in sections  # the district's tasks go to vp-ubnd
    assert "II.2" not in sections


def test_a_rate_is_computed_by_the_core_when_its_parts_are_saved(world, login) -> None:
    client = login(world.officer)
    url = reverse("save-cell", args=[world.report_a.pk, "BM1"])
    client.post(url, {"code": "2.1", "field": "raw", "text": "19", "version": "0"})
    response = client.post(url, {"code": "2.2", "field": "raw", "text": "15", "version": "0"})
    assert 'id="calc-2" hx-swap-oob="true">= 78,95%</span>' in response.content.decode()


def test_a_finding_appears_next_to_its_row(world, login) -> None:
    client = login(world.officer)
    url = reverse("save-cell", args=[world.report_a.pk, "BM1"])
    client.post(url, {"code": "2.1", "field": "raw", "text": "10", "version": "0"})
    response = client.post(url, {"code": "2.2", "field": "raw", "text": "15", "version": "0"})
    row = next(line for line in response.content.decode().split("\n") if 'id="find-4"' in line)
    assert row == (
        '<div class="row-findings" id="find-4" hx-swap-oob="true"><p class="sev-error">Số nhiệm vụ '
        "đã hoàn thành (2.2) không thể lớn hơn số nhiệm vụ đề ra trong kế hoạch (2.1) "
        "(2.2 = 15; 2.1 = 10).</p></div>"
    )


def test_approval_with_errors_needs_a_recorded_reason(world) -> None:
    saving.save_values(
        user=world.officer,
        report=world.report_a,
        form="BM1",
        changes={"2.1": ("10", None), "2.2": ("15", None)},
    )
    with pytest.raises(permissions.Refused, match="Báo cáo còn 1 lỗi"):
        services.approve_report(user=world.leader, report=world.report_a)
    services.approve_report(user=world.leader, report=world.report_a, reason="Số liệu đã xác minh.")
    world.report_a.refresh_from_db()
    assert (world.report_a.state, world.report_a.approval_reason) == (
        ReportState.APPROVED,
        "Số liệu đã xác minh.",
    )


def test_a_submitted_report_is_read_only(world) -> None:
    services.approve_report(user=world.leader, report=world.report_a, reason="Thử.")
    services.submit_report(user=world.leader, report=world.report_a)
    with pytest.raises(permissions.Refused, match="Đã gửi cấp trên"):
        saving.save_values(
            user=world.leader, report=world.report_a, form="BM1", changes={"1": ("3", None)}
        )


def test_return_fix_resubmit_accept_is_recorded_in_the_audit_log(world) -> None:
    r = world.report_a
    saving.save_values(user=world.officer, report=r, form="BM1", changes={"1": ("3", None)})
    services.approve_report(user=world.leader, report=r, reason="Thử.")
    services.submit_report(user=world.leader, report=r)
    services.return_report(user=world.reviewer, report=r, comment="Thiếu số liệu kiểm tra.")
    saving.save_values(user=world.officer, report=r, form="BM1", changes={"3.1": ("2", None)})
    services.approve_report(user=world.leader, report=r, reason="Thử.")
    services.submit_report(user=world.leader, report=r)
    services.accept_report(user=world.reviewer, report=r)
    actions = list(
        AuditEvent.objects.filter(report=r).order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "value-saved",
        "confirmed-incomplete",  # approved with empty parts: the reason and the list
        "approved",
        "frozen",  # the approved version, what the leader signs (cchc/web/signing)
        "submitted",
        "returned",
        "value-saved",
        "confirmed-incomplete",
        "approved",
        "frozen",
        "submitted",
        "accepted",
    ]
    assert services.report_status(r) == "accepted"


def test_returning_needs_a_comment(world) -> None:
    services.approve_report(user=world.leader, report=world.report_a, reason="Thử.")
    services.submit_report(user=world.leader, report=world.report_a)
    with pytest.raises(permissions.Refused, match="Hãy ghi rõ lý do trả lại"):
        services.return_report(user=world.reviewer, report=world.report_a, comment=" ")


def test_the_dashboard_counts_each_state(world, login) -> None:
    saving.save_values(
        user=world.officer, report=world.report_a, form="BM1", changes={"1": ("3", None)}
    )
    response = login(world.reviewer).get(reverse("round-dashboard", args=[world.round.pk]))
    assert response.context["counts"] == {
        "not_started": 1,
        "in_progress": 1,
        "on_time": 0,
        "late": 0,
        "returned": 0,
        "accepted": 0,
    }


def test_a_template_version_in_use_is_never_replaced(world) -> None:
    from django.contrib.auth import get_user_model

    from cchc.bundled_templates import TEMPLATE_DIR

    admin = get_user_model().objects.create_superuser("root", password="x")
    text = (TEMPLATE_DIR / "xa-2022.yaml").read_text(encoding="utf-8")
    with pytest.raises(permissions.Refused, match="Mẫu «xa-2022» đã có"):
        store.add_template_version(yaml_text=text, user=admin)
