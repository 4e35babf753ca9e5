"""«Tải báo cáo tổng hợp (.docx)»: the round's consolidated report with charts, as Word.

Nationally it takes half a minute, so it is made on the job queue: the button leads
to the job's page, which shows its progress and then the file.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from cchc.web.jobs.runner import start
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.workflow.permissions import may_consolidate
from cchc.web.views.jobs import file_or_progress


@login_required
def round_report(request, pk: int):
    rnd = get_object_or_404(ReportingRound.objects.select_related("issuer", "template"), pk=pk)
    if not may_consolidate(request.user, rnd):
        raise PermissionDenied(
            f"Chỉ cán bộ của {rnd.issuer.name} được tải báo cáo tổng hợp của đợt này."
        )
    job = start(
        "round-report",
        user=request.user,
        title=f"Tạo báo cáo tổng hợp: {rnd.title}",
        round=rnd.pk,
    )
    return file_or_progress(job)
