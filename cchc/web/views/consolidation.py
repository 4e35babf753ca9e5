"""Tổng hợp: the upper unit's consolidated figures for a round, on screen and as files."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from cchc.web.reporting import charts
from cchc.web.reporting.consolidation import table as layout
from cchc.web.reporting.consolidation.page import consolidation_page
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.permissions import may_consolidate

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def round_consolidation(request, pk: int):
    rnd = get_object_or_404(ReportingRound.objects.select_related("issuer", "template"), pk=pk)
    if not may_consolidate(request.user, rnd):
        raise PermissionDenied(
            f"Chỉ cán bộ của {rnd.issuer.name} được xem số liệu tổng hợp của đợt này."
        )
    page = consolidation_page(rnd)
    fmt = request.GET.get("tep", "")
    if fmt in MEDIA:
        write = layout.as_csv if fmt == "csv" else layout.as_xlsx
        response = HttpResponse(
            write(page.template, page.result, page.names), content_type=MEDIA[fmt]
        )
        response["Content-Disposition"] = f'attachment; filename="tong-hop-{rnd.period_key}.{fmt}"'
        return response
    form = page.form(request.GET.get("bieu", ""))
    rate = page.rate(form)
    chart = ""
    if rate:
        bars = [charts.Bar(name, value, "%") for name, value in rate.values]
        title = f"{rate.ind.stt} {rate.ind.name}"
        chart = charts.bar_chart(bars, title=title, maximum=Decimal(100))
    result = page.result
    completeness = charts.completeness_chart(
        len(result.on_time), len(result.late), len(result.not_submitted)
    )
    return render(
        request,
        "cchc/round_consolidation.html",
        {
            # Our own SVG: every text in it is escaped by the chart functions.
            "chart": mark_safe(chart),
            "completeness_chart": mark_safe(completeness),
            "round": rnd,
            "template": page.template,
            "form": form,
            "rows": page.rows_of(form),
            "result": result,
            "names": page.names,
            "units": page.units,
            "columns": page.columns,
            "per_unit": page.per_branch(form),
            "submitted": page.submitted,
            "late": page.late,
            "not_submitted": page.not_submitted,
        },
    )
