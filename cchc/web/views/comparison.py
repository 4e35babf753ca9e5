"""So sánh: units of a round ranked on one indicator, values to review, a unit's trend."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from cchc.core.comparison import indicator_label
from cchc.documents.charts import bars, svg, trend
from cchc.documents.tables import TABLE_EXTENSIONS, table_writer, text_rows
from cchc.web.reporting import comparison as data
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.workflow.permissions import may_consolidate
from cchc.web.views.common import attachment


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
    if fmt in TABLE_EXTENSIONS and which in tables:
        writer = table_writer(fmt)
        name = f"so-sanh-{which}-{rnd.period_key}-{c.form.code}-{c.indicator.code}"
        return attachment(writer.render(tables[which]), writer, name)
    label = indicator_label(c.form, c.indicator)
    ranking = bars(label, [(c.names.get(r.unit, r.unit), r.value) for r in c.ranking], kind=c.kind)
    trend_chart = ""
    if c.series:
        unit_name = c.names.get(c.unit or "", c.unit or "")
        points = [(p.period, p.value) for p in c.series.points]
        trend_chart = svg(trend(f"{unit_name}: {label}", points, kind=c.kind))
    return render(
        request,
        "cchc/round_comparison.html",
        {
            "round": rnd,
            "c": c,
            "label": label,
            "key": f"{c.form.code}.{c.indicator.code}",
            "tables": {name: (t, text_rows(t)) for name, t in tables.items()},
            # Our own SVG: every text in it is escaped by the drawing.
            "ranking_chart": mark_safe(svg(ranking)),
            "trend_chart": mark_safe(trend_chart),
            "unit_names": [(u, c.names.get(u, u)) for u in c.units],
            "past": [p.label for p in c.past],
        },
    )
