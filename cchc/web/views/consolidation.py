"""Tổng hợp: the upper unit's consolidated figures for a round, on screen and as files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from cchc.documents.charts import svg
from cchc.documents.tables import TABLE_EXTENSIONS, table_writer
from cchc.web.reporting.consolidation.page import consolidation_page
from cchc.web.reporting.consolidation.table import export_table
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.workflow.permissions import may_consolidate
from cchc.web.views.common import attachment


@login_required
def round_consolidation(request, pk: int):
    rnd = get_object_or_404(ReportingRound.objects.select_related("issuer", "template"), pk=pk)
    if not may_consolidate(request.user, rnd):
        raise PermissionDenied(
            f"Chỉ cán bộ của {rnd.issuer.name} được xem số liệu tổng hợp của đợt này."
        )
    page = consolidation_page(rnd)
    fmt = request.GET.get("tep", "")
    if fmt in TABLE_EXTENSIONS:
        writer = table_writer(fmt)
        table = export_table(page.template, page.result, page.names)
        return attachment(writer.render(table), writer, f"tong-hop-{rnd.period_key}")
    form = page.form(request.GET.get("bieu", ""))
    rate = page.rate_chart(form)
    return render(
        request,
        "cchc/round_consolidation.html",
        {
            # Our own SVG: every text in it is escaped by the drawing.
            "chart": mark_safe(svg(rate)) if rate else "",
            "completeness_chart": mark_safe(svg(page.submissions_chart())),
            "round": rnd,
            "template": page.template,
            "form": form,
            "rows": page.rows_of(form),
            "result": page.result,
            "names": page.names,
            "units": page.units,
            "columns": page.columns,
            "per_unit": page.per_branch(form),
            "submitted": page.submitted,
            "late": page.late,
            "not_submitted": page.not_submitted,
        },
    )
