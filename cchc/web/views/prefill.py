"""«Điền từ số liệu tổng hợp»: review the upper report's rows, then save the chosen ones.

Like the upload review: nothing is saved until the person confirms, and what was
shown is what gets saved. If the consolidation changed in between (another unit
reported), those rows are skipped and the person is asked to look again.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc.web.reporting.entry import prefill
from cchc.web.reporting.workflow.permissions import Refused
from cchc.web.views.common import refusals_as_403, visible_report


@login_required
@refusals_as_403
def report_prefill(request, pk: int):
    report = visible_report(request, pk)
    try:
        review = prefill.review_prefill(user=request.user, report=report)
    except Refused as exc:
        if not prefill.source_rounds(report):  # nothing to consolidate: say so on the report
            messages.error(request, str(exc))
            return redirect("report-detail", pk=pk)
        raise
    token = secrets.token_urlsafe(12)
    request.session[f"prefill-{token}"] = {
        "report": report.pk,
        "rows": {r.key: [r.proposal.raw, r.proposal.note, r.version] for r in review.rows},
    }
    return render(
        request,
        "cchc/report_prefill_review.html",
        {"report": report, "review": review, "token": token, "changes": review.changes()},
    )


@require_POST
@login_required
@refusals_as_403
def report_prefill_confirm(request, pk: int):
    report = visible_report(request, pk)
    stored = request.session.pop(f"prefill-{request.POST.get('token', '')}", None)
    if not stored or stored.get("report") != report.pk:
        messages.error(
            request, "Phiên điền số liệu đã hết hạn; hãy bấm lại «Điền từ số liệu tổng hợp»."
        )
        return redirect("report-detail", pk=pk)
    chosen = set(request.POST.getlist("key"))
    review = prefill.review_prefill(user=request.user, report=report)
    rows, moved = [], 0
    for row in review.rows:
        if row.key not in chosen:
            continue
        raw, note, version = stored["rows"].get(row.key, [None, None, None])
        if [row.proposal.raw, row.proposal.note] != [raw, note] or row.version != version:
            moved += 1  # the figures or the value changed since the review
            continue
        rows.append(row)
    result = prefill.apply_prefill(user=request.user, report=report, rows=rows)
    text = f"Đã điền {result.saved} chỉ tiêu từ số liệu tổng hợp."
    if moved or result.conflicts:
        text += (
            f" {moved + result.conflicts} chỉ tiêu không điền vì số liệu vừa thay đổi; "
            "hãy bấm lại «Điền từ số liệu tổng hợp» để xem."
        )
    messages.success(request, text)
    return redirect("report-detail", pk=pk)
