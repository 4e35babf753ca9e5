"""One report: overview with findings and workflow actions, assignment (its log: audit.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.web.reporting.entry.document_details import details_of
from cchc.web.reporting.models import Assignment, PartKind, ReportState
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import services
from cchc.web.reporting.workflow.assignments import holder_label, titles_in
from cchc.web.reporting.workflow.permissions import (
    is_leader,
    is_unit_manager,
    reviews_for,
    submission_refusal,
)
from cchc.web.reporting.workflow.readiness import Incomplete, readiness_of
from cchc.web.views.common import refusals_as_403, visible_report
from cchc.web.views.document_details import preview
from cchc.web.views.go_ahead import ask_reason


def _parts(report, template):
    """Each section and form with its assignment and who has it, title (chức vụ) shown."""
    owners = {
        (a.kind, a.code): a for a in Assignment.objects.filter(report=report).select_related("user")
    }
    titles = titles_in(report.unit_id)

    def part(key, **item) -> dict:
        a = owners.get(key)
        return {**item, "assignment": a, "who": holder_label(a.user, titles) if a else ""}

    sections = [
        part((PartKind.SECTION, s.code), section=s, depth=s.code.count("."))
        for s in template.all_sections()
    ]
    forms = [part((PartKind.FORM, f.code), form=f) for f in template.forms]
    return sections, forms


@login_required
def report_detail(request, pk: int):
    report = visible_report(request, pk)
    template = store.template_of(report.round.template)
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
