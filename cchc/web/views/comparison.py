"""So sánh: units of a round ranked on one indicator, values to review, a unit's trend."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from cchc.core.comparison import indicator_label
from cchc.core.templates import Kind
from cchc.web.reporting import charts
from cchc.web.reporting import comparison as data
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.permissions import may_consolidate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def round_comparison(request, pk: int):
    rnd = get_object_or_404(ReportingRound.objects.select_related("issuer", "template"), pk=pk)
    if not may_consolidate(request.user, rnd):
        raise PermissionDenied(f"Chỉ cán bộ của {rnd.issuer.name} được xem so sánh của đợt này.")
    try:
        c = data.compare_round(
            rnd, indicator=request.GET.get("chi-tieu", ""), unit=request.GET.get("don-vi", "")
        )
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    tables = data.tables(c)
    fmt, which = request.GET.get("tep", ""), request.GET.get("bang", "xep-hang")
    if fmt in ("csv", "xlsx") and which in tables:
        body = data.as_csv(tables[which]) if fmt == "csv" else data.as_xlsx(tables[which])
        response = HttpResponse(
            body, content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX
        )
        name = f"so-sanh-{which}-{rnd.period_key}-{c.form.code}-{c.indicator.code}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    suffix = "%" if c.kind is Kind.RATE else ""
    label = indicator_label(c.form, c.indicator)
    bars = [charts.Bar(c.names.get(r.unit, r.unit), r.value, suffix) for r in c.ranking]
    maximum = Decimal(100) if c.kind is Kind.RATE else None
    trend = ""
    if c.series:
        points = [(p.period, p.value) for p in c.series.points]
        unit_name = c.names.get(c.unit or "", c.unit or "")
        trend = charts.trend_chart(points, title=f"{unit_name}: {label}", suffix=suffix)
    return render(
        request,
        "cchc/round_comparison.html",
        {
            "round": rnd,
            "c": c,
            "label": label,
            "key": f"{c.form.code}.{c.indicator.code}",
            "tables": {name: (t, data.text_rows(t)) for name, t in tables.items()},
            # Our own SVG: every text in it is escaped by the chart functions.
            "ranking_chart": mark_safe(charts.bar_chart(bars, title=label, maximum=maximum)),
            "trend_chart": mark_safe(trend),
            "unit_names": [(u, c.names.get(u, u)) for u in c.units],
            "past": [p.label for p in c.past],
        },
    )
