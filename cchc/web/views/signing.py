"""Ký số pages: the PDF to sign, the signed upload, the signed file, the round's rule."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from cchc.web.jobs.runner import start
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.workflow.permissions import Refused
from cchc.web.signing import services as signing
from cchc.web.views.common import refusals_as_403, visible_report
from cchc.web.views.jobs import file_or_progress


def _file_name(report, suffix: str) -> str:
    base = slugify(f"bao-cao-{report.unit.name}-{report.round.period_key}", allow_unicode=False)
    return f"{base}-{suffix}.pdf"


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@refusals_as_403
def pdf_to_sign(request, pk: int):
    report = visible_report(request, pk)
    signing.require_leader(request.user, report, "tải bản PDF để ký số")  # else a 403
    try:
        data = signing.stored_pdf_for_signing(user=request.user, report=report)
        if data is None:  # made once by LibreOffice, on the job queue, then kept
            title = f"Tạo bản PDF để ký số: báo cáo {report.unit.name}"
            job = start("signing-pdf", user=request.user, title=title, report=report.pk)
            return file_or_progress(job)
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("report-detail", pk=pk)
    return _pdf(data, _file_name(report, "de-ky-so"))


@require_POST
@login_required
@refusals_as_403
def upload_signed(request, pk: int):
    report = visible_report(request, pk)
    signing.require_leader(request.user, report, "tải lên bản PDF đã ký số")  # else a 403
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Hãy chọn tệp PDF đã ký số để tải lên.")
        return redirect("report-detail", pk=pk)
    name = Path(upload.name).name
    if upload.size > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        messages.error(request, f"{name}: tệp quá lớn (tối đa {limit} MB).")
        return redirect("report-detail", pk=pk)
    try:
        rows = signing.upload_signed(
            user=request.user, report=report, file_name=name, data=upload.read()
        )
    except Refused as exc:
        messages.error(request, str(exc))
        return redirect("report-detail", pk=pk)
    text = f"Chữ ký số hợp lệ: {rows[0].signer_name}. Đã lưu bản PDF đã ký."
    if len(rows) > 1:
        text += f" Đã thêm chữ ký số của cơ quan ({rows[1].signer_name})."
    messages.success(request, text)
    state = signing.signature_state(report)
    if state.last_refusal is not None:  # the agency signature could not be added
        messages.error(request, state.last_refusal.message)
    return redirect("report-detail", pk=pk)


@login_required
@refusals_as_403
def signed_download(request, pk: int):
    report = visible_report(request, pk)
    data, _ = signing.signed_pdf(user=request.user, report=report)
    return _pdf(data, _file_name(report, "da-ky-so"))


@require_POST
@login_required
@refusals_as_403
def round_signing(request, pk: int):
    rnd = get_object_or_404(ReportingRound.objects.select_related("issuer"), pk=pk)
    required = request.POST.get("required") == "1"
    signing.set_round_requirement(user=request.user, rnd=rnd, required=required)
    messages.success(
        request,
        "Đợt báo cáo yêu cầu gửi kèm bản PDF đã ký số."
        if required
        else "Đợt báo cáo nhận cả báo cáo chưa ký số.",
    )
    return redirect("round-dashboard", pk=pk)
