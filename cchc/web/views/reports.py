"""One report: overview with findings and workflow actions, assignment (its log: audit.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.web.organisation.models import Membership
from cchc.web.reporting import services
from cchc.web.reporting.document_details import details_of
from cchc.web.reporting.models import Assignment, PartKind, ReportState
from cchc.web.reporting.permissions import (
    Refused,
    is_leader,
    is_unit_manager,
    require_assigner,
    reviews_for,
    submission_refusal,
)
from cchc.web.reporting.readiness import Incomplete, readiness_of
from cchc.web.views.common import refusals_as_403, visible_report
from cchc.web.views.document_details import preview
from cchc.web.views.go_ahead import ask_reason


def _parts(report, template):
    owners = {
        (a.kind, a.code): a for a in Assignment.objects.filter(report=report).select_related("user")
    }
    sections = [
        {
            "section": s,
            "depth": s.code.count("."),
            "assignment": owners.get((PartKind.SECTION, s.code)),
        }
        for s in template.all_sections()
    ]
    forms = [{"form": f, "assignment": owners.get((PartKind.FORM, f.code))} for f in template.forms]
    return sections, forms


@login_required
def report_detail(request, pk: int):
    report = visible_report(request, pk)
    template = services.template_of(report.round.template)
    sections, forms = _parts(report, template)
    ready = readiness_of(report)
    return render(
        request,
        "cchc/report_detail.html",
        {
            "report": report,
            "template": template,
            "sections": sections,
            "forms": forms,
            "findings": ready.findings,
            "narrative_findings": ready.narrative,
            "ready": ready,
            "preview": preview(report, details_of(report)[0]),
            "can_lead": is_leader(request.user, report),
            "can_assign": is_unit_manager(request.user, report),
            "can_review": reviews_for(request.user, report.round.issuer_id),
            "submission_refusal": submission_refusal(report),
            "status": services.STATUS_LABELS[services.report_status(report)],
            "ReportState": ReportState,
        },
    )


@login_required
@refusals_as_403
def report_assign(request, pk: int):
    report = visible_report(request, pk)
    require_assigner(request.user, report, changing=False)
    template = services.template_of(report.round.template)
    members = (
        get_user_model()
        .objects.filter(memberships__unit=report.unit, is_active=True)
        .distinct()
        .order_by("last_name")
    )
    status = 200
    if request.method == "POST":
        try:
            changed = _save_assignments(request, report)
        except Refused as exc:  # nothing of this form was saved
            messages.error(request, f"Chưa lưu phân công: {exc}")
            status = 400
        else:
            messages.success(request, f"Đã lưu phân công ({changed} thay đổi).")
            return redirect("report-assign", pk=report.pk)
    sections, forms = _parts(report, template)
    duties = {m.user_id: m.title for m in Membership.objects.filter(unit=report.unit)}
    return render(
        request,
        "cchc/report_assign.html",
        {
            "report": report,
            "sections": sections,
            "forms": forms,
            "members": members,
            "duties": duties,
        },
        status=status,
    )


def _save_assignments(request, report) -> int:
    """Every changed part of the form, all or none; a bad choice is refused by name."""
    owners = {(a.kind, a.code): a.user_id for a in Assignment.objects.filter(report=report)}
    users = get_user_model().objects
    changed = 0
    with transaction.atomic():
        for key, value in request.POST.items():
            if not key.startswith(("section:", "form:")) or not value:
                continue
            kind, code = key.split(":", 1)
            known = value.isascii() and value.isdigit()
            assignee = users.filter(pk=int(value)).first() if known else None
            if assignee is None:
                raise Refused(f"Không có người dùng mã «{value}» (phần việc {code}).")
            if owners.get((kind, code)) != assignee.pk:
                services.assign_part(
                    user=request.user, report=report, kind=kind, code=code, assignee=assignee
                )
                changed += 1
    return changed


@require_POST
@login_required
@refusals_as_403
def report_transition(request, pk: int):
    report = visible_report(request, pk)
    action = request.POST.get("action", "")
    user = request.user
    if action == "approve":
        try:
            services.approve_report(user=user, report=report, reason=request.POST.get("reason", ""))
        except Incomplete as exc:
            action_url = reverse("report-transition", args=[pk])
            fields = {"action": "approve"}
            return ask_reason(request, report, exc, action=action_url, fields=fields, title="Duyệt")
        messages.success(request, "Lãnh đạo đã duyệt báo cáo.")
    elif action == "submit":
        services.submit_report(user=user, report=report)
        messages.success(request, "Đã gửi báo cáo lên cấp trên.")
    elif action == "accept":
        services.accept_report(user=user, report=report)
        messages.success(request, "Đã tiếp nhận báo cáo.")
    elif action == "return":
        services.return_report(user=user, report=report, comment=request.POST.get("comment", ""))
        messages.success(request, "Đã trả lại báo cáo cho đơn vị.")
    else:
        raise PermissionDenied("Thao tác không hợp lệ.")
    return redirect("report-detail", pk=report.pk)
