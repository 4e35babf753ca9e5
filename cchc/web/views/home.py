"""Việc của tôi: each person's parts of every open report, with deadlines and what is overdue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from cchc.web.reporting.models import EDITABLE_STATES, Assignment, Report
from cchc.web.reporting.services import template_of


@login_required
def my_work(request):
    now = timezone.now()
    items = []
    assignments = (
        Assignment.objects.filter(user=request.user, report__state__in=EDITABLE_STATES)
        .select_related("report__unit", "report__round__template")
        .order_by("report__round__deadline", "kind", "code")
    )
    for a in assignments:
        template = template_of(a.report.round.template)
        if a.kind == "form":
            f = template.form(a.code)
            label = f"{f.label or f.code}: {f.title}" if f else a.code
        else:
            s = next((s for s in template.all_sections() if s.code == a.code), None)
            label = f"Mục {a.code}: {s.title}" if s else a.code
        items.append(
            {
                "assignment": a,
                "label": label,
                "deadline": a.report.round.deadline,
                "overdue": a.done_at is None and a.report.round.deadline < now,
            }
        )
    leading = (
        Report.objects.filter(
            unit__memberships__user=request.user,
            unit__memberships__role__in=["leader", "unit_admin"],
        )
        .select_related("unit", "round")
        .distinct()
        .order_by("round__deadline")
    )
    return render(
        request,
        "cchc/my_work.html",
        {
            "items": items,
            "leading": leading,
            "now": now,
            "overdue_count": sum(1 for i in items if i["overdue"]),
        },
    )
