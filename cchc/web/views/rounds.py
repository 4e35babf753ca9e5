"""Reporting rounds: list, open (window and deadline prefilled, editable), dashboard."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cchc.core.periods import Period, PeriodError, PeriodType, Window
from cchc.web.organisation.models import OrgUnit
from cchc.web.organisation.services import children_map, descendant_ids
from cchc.web.reporting.models import ReportingRound, TemplateVersion
from cchc.web.reporting.rounds.changes import deadline_refusal
from cchc.web.reporting.workflow import permissions
from cchc.web.reporting.workflow.services import default_schedule, open_round
from cchc.web.signing.services import set_round_requirement
from cchc.web.views.common import refusals_as_403
from cchc.web.views.errors import error_response
from cchc.web.views.paging import BadPage, page_of
from cchc.web.views.round_dashboard import (
    ROUNDS_PER_PAGE,
    BadFilter,
    dashboard_page,
    listed_rounds,
)

PERIOD_CHOICES = [
    ("quarter-1", "Quý I"),
    ("half_year-1", "6 tháng đầu năm"),
    ("nine_months-1", "9 tháng đầu năm"),
    ("quarter-3", "Quý III"),
    ("half_year-2", "6 tháng cuối năm"),
    ("year-1", "Cả năm"),
    ("quarter-2", "Quý II"),
    ("quarter-4", "Quý IV"),
]


# The years a round may be opened for, on the form and in its prefill link.
FIRST_YEAR, LAST_YEAR = 2000, 2099


class RoundForm(forms.Form):
    issuer = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label="Đơn vị mở đợt")
    template = forms.ModelChoiceField(queryset=TemplateVersion.objects.all(), label="Mẫu báo cáo")
    period = forms.ChoiceField(choices=PERIOD_CHOICES, label="Kỳ báo cáo")
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, label="Năm")
    window_start = forms.DateField(
        label="Chốt số liệu từ ngày",
        input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(format="%d/%m/%Y"),
    )
    window_end = forms.DateField(
        label="đến ngày", input_formats=["%d/%m/%Y"], widget=forms.DateInput(format="%d/%m/%Y")
    )
    deadline = forms.DateTimeField(
        label="Hạn nộp (giờ, ngày)",
        input_formats=["%H:%M %d/%m/%Y"],
        widget=forms.DateTimeInput(format="%H:%M %d/%m/%Y"),
    )
    units = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.none(), label="Đơn vị báo cáo", widget=forms.CheckboxSelectMultiple
    )
    requires_signature = forms.BooleanField(
        required=False, label="Yêu cầu gửi kèm bản PDF đã ký số"
    )

    def period_obj(self) -> Period:
        kind, number = self.cleaned_data["period"].rsplit("-", 1)
        return Period(PeriodType(kind), self.cleaned_data["year"], int(number))


@login_required
def round_list(request):
    try:
        page = page_of(
            Paginator(listed_rounds(request.user), ROUNDS_PER_PAGE), request.GET.get("page")
        )
    except BadPage as exc:
        return error_response(request, 400, str(exc))
    can_open = permissions.may_open_rounds(request.user)
    return render(
        request,
        "cchc/round_list.html",
        {"rounds": page.object_list, "page": page, "can_open": can_open},
    )


@login_required
@refusals_as_403
def round_create(request):
    today = timezone.localdate()
    issuers = permissions.issuer_units(request.user)
    if not issuers.exists():
        raise PermissionDenied("Chỉ cán bộ Nội vụ của đơn vị cấp trên được mở đợt báo cáo.")
    tree = children_map(today)
    below = descendant_ids(set(issuers.values_list("id", flat=True)), today, tree)
    data = request.POST if request.method == "POST" else None
    try:
        initial = _initial(request, issuers)
    except BadParameter as exc:
        return error_response(request, 400, str(exc))
    form = RoundForm(data, initial=initial)
    issuer_field = form.fields["issuer"]
    units_field = form.fields["units"]
    assert isinstance(issuer_field, forms.ModelChoiceField)
    assert isinstance(units_field, forms.ModelMultipleChoiceField)
    issuer_field.queryset = issuers
    units_field.queryset = (
        OrgUnit.objects.filter(id__in=below)
        .exclude(id__in=issuers.values_list("id", flat=True))
        .order_by("name")
    )
    if request.method == "POST" and form.is_valid():
        # A past deadline, or one before the cut-off, is refused here, not silently kept.
        refusal = deadline_refusal(form.cleaned_data["deadline"], form.cleaned_data["window_end"])
        if refusal:
            form.add_error("deadline", refusal)
        try:
            period = form.period_obj()
        except PeriodError as exc:
            form.add_error("period", str(exc))
        if form.is_valid():
            rnd = open_round(
                user=request.user,
                issuer=form.cleaned_data["issuer"],
                template=form.cleaned_data["template"],
                period=period,
                units=list(form.cleaned_data["units"]),
                window_override=Window(
                    form.cleaned_data["window_start"], form.cleaned_data["window_end"]
                ),
                deadline=form.cleaned_data["deadline"],
            )
            if form.cleaned_data["requires_signature"]:
                set_round_requirement(user=request.user, rnd=rnd, required=True)
            messages.success(request, f"Đã mở đợt «{rnd.title}» cho {rnd.reports.count()} đơn vị.")
            return redirect("round-dashboard", pk=rnd.pk)
    return render(request, "cchc/round_form.html", {"form": form})


class BadParameter(ValueError):
    """A query parameter no page can answer; the message is Vietnamese (a 400)."""


def _initial(request, issuers) -> dict:
    """Window and deadline prefilled from the chosen period (DESIGN §6), all editable."""
    period_value = request.GET.get("period", "half_year-1")
    year_text = request.GET.get("year") or str(timezone.localdate().year)
    if not year_text.isascii() or not year_text.isdigit() or len(year_text) > 4:
        raise BadParameter(f"Năm «{year_text[:20]}» không hợp lệ: cần một số như 2026.")
    year = int(year_text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadParameter(f"Năm {year} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR}.")
    if period_value not in dict(PERIOD_CHOICES):
        raise BadParameter(f"Kỳ báo cáo «{period_value[:40]}» không có trong danh sách.")
    kind, number = period_value.rsplit("-", 1)
    try:
        schedule = default_schedule(Period(PeriodType(kind), year, int(number)))
    except (PeriodError, ValueError):
        schedule = default_schedule(Period(PeriodType.HALF_YEAR, year, 1))
    return {
        "issuer": issuers.first(),
        "period": period_value,
        "year": year,
        "window_start": schedule.window.start,
        "window_end": schedule.window.end,
        "deadline": timezone.make_aware(
            datetime.combine(schedule.deadline.at.date(), schedule.deadline.at.time())
        ),
        "template": TemplateVersion.objects.first(),
    }


@login_required
def round_dashboard(request, pk: int):
    rnd = get_object_or_404(ReportingRound.objects.select_related("issuer", "template"), pk=pk)
    if not permissions.can_view_round(request.user, rnd):
        raise PermissionDenied("Bạn không có quyền xem đợt báo cáo này.")
    visible = permissions.visible_in_round(request.user, rnd)
    try:
        listed = dashboard_page(request, rnd, visible, permissions.tree_day(rnd))
    except (BadFilter, BadPage) as exc:
        return error_response(request, 400, str(exc))
    can_manage = permissions.may_administer_round(request.user, rnd)
    return render(
        request,
        "cchc/round_dashboard.html",
        {"round": rnd, "can_manage": can_manage, **listed},
    )
