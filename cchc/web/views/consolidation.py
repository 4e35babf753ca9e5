"""Tổng hợp: the upper unit's consolidated figures for a round, on screen and as files."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from cchc.core.templates import Kind
from cchc.web.reporting import charts
from cchc.web.reporting import consolidation_table as layout
from cchc.web.reporting.consolidation import consolidate_round
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.permissions import may_consolidate
from cchc.web.reporting.services import template_of


@login_required
def round_consolidation(request, pk: int):
    rnd = get_object_or_404(ReportingRound.objects.select_related("issuer", "template"), pk=pk)
    if not may_consolidate(request.user, rnd):
        raise PermissionDenied(
            f"Chỉ cán bộ của {rnd.issuer.name} được xem số liệu tổng hợp của đợt này."
        )
    result, names = consolidate_round(rnd)
    template = template_of(rnd.template)
    fmt = request.GET.get("tep", "")
    if fmt in ("csv", "xlsx"):
        data = (
            layout.as_csv(template, result, names)
            if fmt == "csv"
            else layout.as_xlsx(template, result, names)
        )
        media = (
            "text/csv; charset=utf-8"
            if fmt == "csv"
            else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
        response = HttpResponse(data, content_type=media)
        response["Content-Disposition"] = f'attachment; filename="tong-hop-{rnd.period_key}.{fmt}"'
        return response
    form_code = request.GET.get("bieu") or template.forms[0].code
    form = template.form(form_code) or template.forms[0]
    rows = [r for r in layout.table_rows(template, result, names) if r["form"].code == form.code]
    units = sorted(names[u] for u in result.expected) if result.expected else []
    # One column per branch (a direct child unit): the commune itself in a province
    # round, the province's consolidated figure in a national one.
    parts = result.breakdown()
    columns = sorted(parts) if parts else sorted(result.expected)

    def figure(row: dict, branch: str) -> Decimal | None:
        total = row["total"]
        if branch in total.by_unit or branch not in parts:
            return total.by_unit.get(branch)
        return parts[branch][row["form"].code, row["ind"].code].value

    per_unit = [
        {"ind": r["ind"], "values": [(names.get(b, b), figure(r, b)) for b in columns]}
        for r in rows
        if not r["heading"] and r["ind"].kind is not Kind.CHOICE
    ]
    rate = next((r for r in rows if r["ind"].kind is Kind.RATE and not r["heading"]), None)
    bars = [charts.Bar(names.get(b, b), figure(rate, b), "%") for b in columns] if rate else []
    title = f"{rate['ind'].stt} {rate['ind'].name}" if rate else ""
    chart = charts.bar_chart(bars, title=title, maximum=Decimal(100)) if rate else ""
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
            "template": template,
            "form": form,
            "rows": rows,
            "result": result,
            "names": names,
            "units": units,
            "columns": [names.get(b, b) for b in columns],
            "per_unit": per_unit,
            "submitted": [names.get(u, u) for u in result.submitted],
            "late": [names.get(u, u) for u in result.late],
            "not_submitted": [names.get(u, u) for u in result.not_submitted],
        },
    )
