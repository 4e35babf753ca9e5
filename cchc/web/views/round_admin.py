"""«Quản lý đợt»: the issuing unit changes a round it opened, in one page.

Edit the title, window and deadline; give one unit a later deadline; add or take out
units; close the round and reopen it for one unit (or all). Every button posts an
`action` here; a refusal comes back on the same page with its Vietnamese message
and nothing saved.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from cchc.core.periods import Window
from cchc.web.organisation.models import OrgUnit
from cchc.web.organisation.services import descendant_ids
from cchc.web.reporting.audit.history import describe, wording_for
from cchc.web.reporting.models import AuditEvent, Report, ReportingRound
from cchc.web.reporting.rounds import changes
from cchc.web.reporting.workflow.permissions import Refused, may_administer_round, tree_day
from cchc.web.reporting.workflow.services import STATUS_LABELS, report_status
from cchc.web.views.rounds import RoundForm

DEADLINE_FORMAT = "%H:%M %d/%m/%Y"


class RoundEditForm(forms.Form):
    title = forms.CharField(
        label="Tên đợt", max_length=300, widget=forms.TextInput(attrs={"size": 60})
    )
    window_start = RoundForm.base_fields["window_start"]
    window_end = RoundForm.base_fields["window_end"]
    deadline = RoundForm.base_fields["deadline"]


class DeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        label="Hạn mới (giờ, ngày)", input_formats=[DEADLINE_FORMAT], required=False
    )


def _round(pk: int) -> ReportingRound:
    return get_object_or_404(ReportingRound.objects.select_related("issuer", "template"), pk=pk)


def _report(rnd: ReportingRound, request) -> Report:
    value = request.POST.get("report", "")
    report = None
    if value.isascii() and value.isdigit():
        report = rnd.reports.select_related("unit", "round__issuer").filter(pk=int(value)).first()
    if report is None:
        raise Refused(f"Đợt «{rnd.title}» không có báo cáo mã «{value[:20]}».")
    return report


def _deadline(request, *, required: bool):
    form = DeadlineForm(request.POST)
    if not form.is_valid() or (required and form.cleaned_data["deadline"] is None):
        text = request.POST.get("deadline", "")[:40]
        raise Refused(f"Hạn nộp «{text}» không đúng dạng giờ, ngày như 17:00 20/12/2026.")
    return form.cleaned_data["deadline"]


def _act(request, rnd: ReportingRound, action: str, edit: RoundEditForm) -> str | None:
    """Do one action; what to tell the user, or None when the edit form has errors."""
    user = request.user
    if action == "edit":
        if not edit.is_valid():
            return None
        data = edit.cleaned_data
        changed = changes.edit_round(
            user=user,
            rnd=rnd,
            title=data["title"],
            window=Window(data["window_start"], data["window_end"]),
            deadline=data["deadline"],
        )
        return "Đã lưu thay đổi và báo các đơn vị." if changed else "Không có gì thay đổi."
    if action == "close":
        changes.close_round(user=user, rnd=rnd)
        return "Đã khóa đợt: không nhận báo cáo gửi lên nữa."
    if action == "reopen-round":
        changes.reopen_round(user=user, rnd=rnd)
        return "Đã mở lại đợt cho mọi đơn vị."
    if action == "add":
        wanted = [v for v in request.POST.getlist("units") if v.isascii() and v.isdigit()]
        units = list(OrgUnit.objects.filter(pk__in=wanted))
        made = changes.add_units(user=user, rnd=rnd, units=units)
        return f"Đã thêm {len(made)} đơn vị vào đợt."
    report = _report(rnd, request)
    name = report.unit.name
    if action == "extend":
        deadline = _deadline(request, required=True)
        changes.extend_deadline(user=user, report=report, deadline=deadline)
        return f"Đã gia hạn nộp cho {name}."
    if action == "reopen-unit":
        deadline = _deadline(request, required=False)
        changes.reopen_unit(user=user, report=report, deadline=deadline)
        return f"Đã mở lại đợt cho {name}."
    if action == "remove":
        changes.remove_unit(user=user, report=report)
        return f"Đã bỏ {name} khỏi đợt."
    raise Refused("Thao tác không hợp lệ.")


@login_required
def round_manage(request, pk: int):
    rnd = _round(pk)
    if not may_administer_round(request.user, rnd):
        raise PermissionDenied(
            f"Chỉ cán bộ Nội vụ của {rnd.issuer.name}, đơn vị mở đợt «{rnd.title}», được "
            "sửa, gia hạn, khóa hay mở lại đợt này."
        )
    initial = {
        "title": rnd.title,
        "window_start": rnd.window_start,
        "window_end": rnd.window_end,
        "deadline": rnd.deadline,
    }
    action = request.POST.get("action", "") if request.method == "POST" else ""
    edit = RoundEditForm(request.POST if action == "edit" else None, initial=initial)
    status = 200
    if action:
        try:
            said = _act(request, rnd, action, edit)
        except Refused as exc:
            messages.error(request, f"Chưa lưu: {exc}")
            status = 400
        else:
            if said is not None:
                messages.success(request, said)
                return redirect("round-manage", pk=rnd.pk)
            status = 400
        rnd = _round(pk)
    return render(request, "cchc/round_manage.html", _context(rnd, edit), status=status)


def _context(rnd: ReportingRound, edit: RoundEditForm) -> dict:
    reports = list(rnd.reports.select_related("unit", "round").order_by("unit__name"))
    present = {r.unit_id for r in reports}
    below = descendant_ids({rnd.issuer_id}, tree_day(rnd)) - {rnd.issuer_id} - present
    events = list(
        AuditEvent.objects.filter(round=rnd).select_related("user").order_by("-at", "-id")[:50]
    )
    wording = wording_for(events, None)
    return {
        "round": rnd,
        "form": edit,
        "rows": [(r, STATUS_LABELS[report_status(r)]) for r in reports],
        "candidates": OrgUnit.objects.filter(pk__in=below).order_by("name"),
        "events": [(e, describe(e, wording)) for e in events],
        "pending_states": changes.PENDING,
    }
