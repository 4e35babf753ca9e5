"""The kinds of heavy work that run on the queue: each takes a job and reports progress.

Permissions are checked where the job is started (the page) and again here when the
service itself checks them (the PDF for signing): a job runs as the person who asked.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import transaction
from django.utils.text import slugify

from cchc.web.jobs.models import Job
from cchc.web.jobs.output import Output, Progress
from cchc.web.reporting.models import Report, ReportingRound


def round_report(job: Job, progress: Progress) -> Output:
    """The round's consolidated Word report with its charts (half a minute nationally)."""
    from cchc.documents.docx_writer import MEDIA_TYPE  # noqa: PLC0415 — writers load in the worker only
    from cchc.web.reporting.consolidation import consolidate_round  # noqa: PLC0415 — the domain imports jobs
    from cchc.web.reporting.consolidation.word_report import (  # noqa: PLC0415 — charts load in the worker
        round_report_docx,
        round_report_name,
    )

    rnd = ReportingRound.objects.select_related("issuer", "template").get(pk=job.params["round"])
    progress(10, "Đang tổng hợp số liệu của các đơn vị")
    consolidated = consolidate_round(rnd)
    progress(50, "Đang so sánh với các kỳ trước, vẽ biểu đồ và viết báo cáo")
    data = round_report_docx(rnd, consolidated)
    return Output(data=data, filename=round_report_name(rnd), content_type=MEDIA_TYPE)


def _report(job: Job) -> Report:
    return Report.objects.select_related("unit", "round__template").get(pk=job.params["report"])


def _pdf_name(report: Report, suffix: str = "") -> str:
    base = slugify(f"bao-cao-{report.unit.name}-{report.round.period_key}", allow_unicode=False)
    return f"{base}{suffix}.pdf"


def report_pdf(job: Job, progress: Progress) -> Output:
    """A report as PDF: the Word file, converted by LibreOffice (seconds of work)."""
    from cchc.documents.pdf import PdfWriter  # noqa: PLC0415 — writers load in the worker only
    from cchc.web.reporting.entry import saving  # noqa: PLC0415 — the domain imports jobs
    from cchc.web.reporting.template_versions import store  # noqa: PLC0415 — the domain imports jobs

    report = _report(job)
    progress(20, "Đang chuyển báo cáo sang PDF bằng LibreOffice")
    data = PdfWriter().render(
        store.template_of(report.round.template), saving.report_content(report)
    )
    return Output(data=data, filename=_pdf_name(report), content_type="application/pdf")


def signing_pdf(job: Job, progress: Progress) -> Output:
    """The PDF of the approved version to sign, made once and kept with the version."""
    from cchc.web.signing.services import pdf_for_signing  # noqa: PLC0415 — pyhanko loads only to sign

    report = _report(job)
    progress(20, "Đang tạo bản PDF để ký số bằng LibreOffice")
    data, _ = pdf_for_signing(user=job.user, report=report)
    return Output(
        data=data, filename=_pdf_name(report, "-de-ky-so"), content_type="application/pdf"
    )


def rebuild_rounds(round_id: int | None, progress: Progress, say: Callable[[str], None]) -> None:
    """The stored totals of every round (or one) made again from the submitted reports,
    one transaction a round; `say` gets a line for each round done."""
    from cchc.web.reporting.consolidation import sync_round_totals  # noqa: PLC0415 — the domain imports jobs

    rounds = ReportingRound.objects.select_related("template").order_by("pk")
    if round_id is not None:
        rounds = rounds.filter(pk=round_id)
    count = rounds.count()
    if not count and round_id is not None:
        raise ValueError(f"Không có đợt báo cáo số {round_id}.")
    if not count:
        say("Chưa có đợt báo cáo nào: không có gì để tính lại.")
    for done, rnd in enumerate(rounds, start=1):
        progress(100 * (done - 1) // count, f"Đang tính lại đợt {rnd.pk} ({done}/{count})")
        start = time.perf_counter()
        with transaction.atomic():
            made = sync_round_totals(rnd, force=True)
        seconds = f"{time.perf_counter() - start:.2f}".replace(".", ",")
        say(f"Đợt {rnd.pk} ({rnd.period_key}): tính lại {made} nhánh trong {seconds} giây.")


def rebuild_totals(job: Job, progress: Progress) -> Output:
    lines: list[str] = []
    rebuild_rounds(job.params.get("round"), progress, lines.append)
    return Output(summary="\n".join(lines))


KINDS: dict[str, Callable[[Job, Progress], Output]] = {
    "round-report": round_report,
    "report-pdf": report_pdf,
    "signing-pdf": signing_pdf,
    "rebuild-totals": rebuild_totals,
}
