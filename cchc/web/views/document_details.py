"""«Thông tin văn bản»: the leader and the unit admin edit the document details and see
the first page's header and the signer block as the Word file prints them."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from cchc.core.report_content import DocumentHeader, ReportContent
from cchc.documents.docx_frame import (
    MOTTO,
    NATIONAL_NAME,
    body_lines,
    date_line,
    distribution_lines,
    issuing_body,
    number_line,
)
from cchc.web.reporting.entry.document_details import (
    details_of,
    next_number,
    require_details_editor,
    save_document_details,
)
from cchc.web.reporting.workflow.permissions import Refused, is_unit_manager
from cchc.web.views.common import refusals_as_403, visible_report


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _date(text: str) -> date | None:
    """`dd/mm/yyyy` as people type it, or the browser's `yyyy-mm-dd`."""
    text = text.strip()
    if not text:
        return None
    try:
        if "/" in text:
            day, month, year = (int(x) for x in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(
            f"Thông tin văn bản, Ngày: «{text}» không phải ngày (ghi theo dạng 10/06/2024)."
        ) from None


def _posted(post) -> DocumentHeader:
    return DocumentHeader(
        governing_body=post.get("governing_body", "").strip(),
        issuing_body=post.get("issuing_body", "").strip(),
        number=post.get("number", "").strip(),
        symbol=post.get("symbol", "").strip(),
        place=post.get("place", "").strip(),
        date=_date(post.get("date", "")),
        summary=post.get("summary", "").strip(),
        recipients=_lines(post.get("recipients", "")),
        signing_authority=_lines(post.get("signing_authority", "")),
        signer=post.get("signer", "").strip(),
        distribution=_lines(post.get("distribution", "")),
    )


def preview(report, header: DocumentHeader) -> dict:
    """The first page's header and the closing block, line by line as printed."""
    content = ReportContent(template_id="", values={}, unit=report.unit.name, header=header)
    return {
        "governing_body": body_lines(header.governing_body.strip().upper()),
        "issuing_body": body_lines(issuing_body(content)),
        "number_line": number_line(header),
        "national_name": NATIONAL_NAME,
        "motto": MOTTO,
        "date_line": date_line(header),
        "doc_type": (header.doc_type or "BÁO CÁO").upper(),
        "summary": header.summary,
        "recipients": [r.strip().rstrip(";.") for r in header.recipients if r.strip()],
        "distribution": distribution_lines(header),
        "authority": [a.strip().upper() for a in header.signing_authority if a.strip()],
        "signer": header.signer,
    }


@login_required
@refusals_as_403
def document_details(request, pk: int):
    report = visible_report(request, pk)
    header, saved = details_of(report)
    may_edit = is_unit_manager(request.user, report) and report.editable
    status = 200
    if request.method == "POST":
        require_details_editor(request.user, report)
        try:
            header = _posted(request.POST)
            header = save_document_details(
                user=request.user,
                report=report,
                header=header,
                take_next=request.POST.get("take_next") == "1",
            )
        except Refused as exc:  # nothing saved; the page keeps what was typed
            messages.error(request, f"Chưa lưu thông tin văn bản: {exc}")
            status = 400
        else:
            messages.success(request, f"Đã lưu thông tin văn bản ({number_line(header)}).")
            return redirect("document-details", pk=pk)
    year = (header.date or date.today()).year
    return render(
        request,
        "cchc/document_details.html",
        {
            "report": report,
            "header": header,
            "saved": saved,
            "may_edit": may_edit,
            "date_text": header.date.strftime("%d/%m/%Y") if header.date else "",
            "next_number": next_number(report.unit_id, year),
            "year": year,
            "preview": preview(report, header),
            "texts": {
                "recipients": "\n".join(header.recipients),
                "distribution": "\n".join(header.distribution),
                "signing_authority": "\n".join(header.signing_authority),
            },
        },
        status=status,
    )
