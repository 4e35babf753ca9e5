"""«Thông tin văn bản»: number and symbol, date, place, trích yếu, Kính gửi, Nơi nhận, signer.

The details live in `Report.header` as the core's `DocumentHeader` (the same
model the importers fill from a Word report and the writers print), so the
export, the PDF to sign and the frozen snapshot all read them from one place.
Numbers come from the unit's number book (`IssuedNumber`): the next one is taken
inside a transaction, under a unique constraint per unit and year, and a clash
with a report saved at the same moment takes the number after.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cchc.core.document_details import suggest_header
from cchc.core.limits import text_problem
from cchc.core.periods import Period, PeriodError
from cchc.core.report_content import DocumentHeader
from cchc.web.organisation.models import Membership, Role
from cchc.web.reporting.models import AuditEvent, IssuedNumber, Report
from cchc.web.reporting.workflow.permissions import Refused, is_unit_manager

__all__ = [
    "DETAIL_LIMIT",
    "details_of",
    "keep_details",
    "next_number",
    "previous_header",
    "require_details_editor",
    "save_document_details",
]

DETAIL_LIMIT = 2000  # characters in one field (a long Nơi nhận list included)
_ATTEMPTS = 20


def previous_header(report: Report) -> tuple[DocumentHeader | None, bool]:
    """The details of the unit's latest earlier report that has any, and whether that
    report went to the same unit as this one."""
    earlier = (
        Report.objects.filter(unit_id=report.unit_id, round__deadline__lt=report.round.deadline)
        .exclude(header={})
        .order_by("-round__deadline")
        .values_list("header", "round__issuer_id")
        .first()
    )
    if earlier is None:
        return None, True
    return DocumentHeader.from_json(earlier[0]), earlier[1] == report.round.issuer_id


def _leader_name(report: Report) -> str:
    m = (
        Membership.objects.filter(unit=report.unit, role=Role.LEADER, user__is_active=True)
        .select_related("user")
        .order_by("user__id")
        .first()
    )
    return (m.user.get_full_name().strip() or m.user.username) if m else ""


def _period_label(key: str) -> str:
    try:
        return Period.from_key(key).label
    except PeriodError:
        return key


def details_of(report: Report) -> tuple[DocumentHeader, bool]:
    """The report's details and whether they were saved (False: a suggestion from the
    unit, the round and the previous report, not yet saved)."""
    if report.header:
        return DocumentHeader.from_json(report.header), True
    previous, same_recipient = previous_header(report)
    return (
        suggest_header(
            unit=report.unit.name,
            recipient=report.round.issuer.name,
            period_label=_period_label(report.round.period_key),
            today=timezone.localdate(),
            leader=_leader_name(report),
            previous=previous,
            same_recipient=same_recipient,
        ),
        False,
    )


def keep_details(report: Report) -> None:
    """On approval: details never saved are saved as suggested, so the approved
    document keeps the date and signer it was approved with."""
    if not report.header:
        report.header = details_of(report)[0].to_json()
        Report.objects.filter(pk=report.pk).update(header=report.header)


def require_details_editor(user, report: Report) -> None:
    if not is_unit_manager(user, report):
        raise Refused(f"Chỉ lãnh đạo hoặc quản trị {report.unit.name} được sửa thông tin văn bản.")
    if not report.editable:
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}»: "
            "thông tin văn bản chỉ xem, không sửa."
        )


def next_number(unit_id: int, year: int) -> int:
    last = IssuedNumber.objects.filter(unit_id=unit_id, year=year).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


def _check(header: DocumentHeader) -> None:
    fields = {
        "Cơ quan chủ quản": header.governing_body,
        "Cơ quan ban hành": header.issuing_body,
        "Ký hiệu": header.symbol,
        "Địa danh": header.place,
        "Trích yếu": header.summary,
        "Kính gửi": "\n".join(header.recipients),
        "Nơi nhận": "\n".join(header.distribution),
        "Thẩm quyền ký": "\n".join(header.signing_authority),
        "Người ký": header.signer,
    }
    for what, text in fields.items():
        if problem := text_problem(text, limit=DETAIL_LIMIT, what=f"Thông tin văn bản, {what}"):
            raise Refused(problem)
    number = header.number.strip()
    if number and not (number.isascii() and number.isdigit() and 0 < int(number) < 10**6):
        raise Refused(
            f"Thông tin văn bản, Số: «{number}» không phải số thứ tự (ví dụ 5 hoặc 341); "
            "ký hiệu ghi ở ô «Ký hiệu»."
        )


def _book(report: Report, user, header: DocumentHeader, take_next: bool) -> DocumentHeader:
    """Write the report's line in the number book: the number typed, or the next one."""
    year = (header.date or timezone.localdate()).year
    line = IssuedNumber.objects.filter(report=report).first()
    if not take_next and not header.number.strip():
        if line is not None:
            line.delete()
        return header
    if take_next and line is not None and line.year == year:  # already numbered: kept
        return replace(header, number=str(line.number))
    for _ in range(_ATTEMPTS):
        number = next_number(report.unit_id, year) if take_next else int(header.number)
        if line is not None and line.year == year and line.number == number:
            return replace(header, number=str(number))
        try:
            with transaction.atomic():
                IssuedNumber.objects.update_or_create(
                    report=report,
                    defaults={"unit_id": report.unit_id, "year": year, "number": number},
                    create_defaults={
                        "unit_id": report.unit_id,
                        "year": year,
                        "number": number,
                        "issued_by": user,
                    },
                )
        except IntegrityError:
            if not take_next:
                other = IssuedNumber.objects.filter(
                    unit_id=report.unit_id, year=year, number=number
                ).first()
                where = f" ({other.report.round.title})" if other else ""
                raise Refused(
                    f"Số {number} năm {year} đã cấp cho một báo cáo khác của "
                    f"{report.unit.name}{where}. Hãy chọn «Lấy số tiếp theo»."
                ) from None
            continue  # someone took this number a moment ago: take the one after
        return replace(header, number=str(number))
    raise Refused("Sổ văn bản đang bận, chưa lấy được số; hãy lưu lại.")


def save_document_details(
    *, user, report: Report, header: DocumentHeader, take_next: bool = False
) -> DocumentHeader:
    """Save the details; `take_next` takes the next number of the unit's book for the
    year of the document's date. Audited with the details before and after."""
    require_details_editor(user, report)
    _check(header)
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        before = locked.header or None
        header = _book(locked, user, header, take_next)
        after = header.to_json()
        if after == before:
            return header
        Report.objects.filter(pk=report.pk).update(header=after)
        report.header = after
        AuditEvent.objects.create(
            report=report,
            user=user,
            action="details-saved",
            target=f"{after['number'] or '…'}/{after['symbol']}",
            before=before,
            after=after,
        )
    return header
