"""«Tải báo cáo tổng hợp (.docx)»: the round's consolidated report with charts, as Word."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from cchc.documents.docx_writer import MEDIA_TYPE
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.permissions import may_consolidate
from cchc.web.reporting.round_report import round_report_docx, round_report_name


@login_required
def round_report(request, pk: int):
    rnd = get_object_or_404(ReportingRound.objects.select_related("issuer", "template"), pk=pk)
    if not may_consolidate(request.user, rnd):
        raise PermissionDenied(
            f"Chỉ cán bộ của {rnd.issuer.name} được tải báo cáo tổng hợp của đợt này."
        )
    response = HttpResponse(round_report_docx(rnd), content_type=MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{round_report_name(rnd)}"'
    return response
