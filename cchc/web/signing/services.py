"""Freeze → PDF to sign → signed upload checked → agency signature → submit, as operations.

Approval freezes the report (`freeze_on_approval`, called by the workflow);
the leader downloads the PDF of that frozen version, signs it with the office's
own tool and uploads it (`upload_signed`); a valid upload is recorded and, when
the unit's organisation certificate is configured, cchc adds the agency's
signature with the seal. Submitting a round that demands it needs a valid
signature of the version being sent (`require_signed_for_submit`). Every
signature and every refusal is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cchc.core.snapshot import Snapshot, content_of, freeze
from cchc.documents.signing.agency import sign_as_agency
from cchc.documents.signing.keys import SigningSetupError
from cchc.documents.signing.layout import Box
from cchc.documents.signing.to_sign import pdf_to_sign
from cchc.documents.signing.verify import (
    SignatureRefused,
    Verified,
    certificate_name,
    check_added_signature,
    verify_signed_pdf,
)
from cchc.web.reporting.entry.saving import report_content
from cchc.web.reporting.models import AuditEvent, Report, ReportingRound, ReportState
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.workflow.permissions import (
    Refused,
    require_leader,
    require_view,
    reviews_for,
)
from cchc.web.signing.config import agency_setup, trust_roots
from cchc.web.signing.models import ReportSignature, ReportSnapshot, RoundSigning, SignatureKind

__all__ = [
    "SignatureState",
    "freeze_on_approval",
    "pdf_for_signing",
    "require_leader",
    "require_signed_for_submit",
    "round_requires_signature",
    "set_round_requirement",
    "signature_state",
    "signed_pdf",
    "stored_pdf_for_signing",
    "upload_signed",
]


def _snapshot_of(report: Report, signer_default: str) -> Snapshot:
    content = report_content(report)
    if not content.header.signer.strip():
        content.header.signer = signer_default
    return freeze(
        content, report_id=report.pk, unit_code=report.unit.code, round_id=report.round_id
    )


def _name(user) -> str:
    return user.get_full_name().strip() or user.username


def current_snapshot(report: Report) -> ReportSnapshot | None:
    return ReportSnapshot.objects.filter(report=report).defer("pdf").first()


def freeze_on_approval(*, report: Report, user) -> ReportSnapshot:
    """The approved report frozen; the same content as the last snapshot keeps that one
    (and so its signature). The signer is the signer block's, else the approving leader."""
    snapshot = _snapshot_of(report, _name(user))
    last = current_snapshot(report)
    if last is not None and last.fingerprint == snapshot.fingerprint:
        return last
    row = ReportSnapshot.objects.create(
        report=report,
        fingerprint=snapshot.fingerprint,
        data=snapshot.data,
        expected_signer=snapshot.data["header"]["signer"],
        created_by=user,
    )
    AuditEvent.objects.create(
        report=report,
        user=user,
        action="frozen",
        target=snapshot.fingerprint[:12],
        after={"fingerprint": snapshot.fingerprint, "signer": row.expected_signer},
    )
    return row


def _awaiting(report: Report) -> ReportSnapshot:
    if report.state != ReportState.APPROVED:
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}»: chỉ ký số bản đã được "
            "lãnh đạo duyệt và chưa gửi."
        )
    snapshot = current_snapshot(report)
    if snapshot is None:
        raise Refused("Báo cáo chưa có bản đã duyệt để ký; hãy duyệt lại báo cáo.")
    return snapshot


def stored_pdf_for_signing(*, user, report: Report) -> bytes | None:
    """The PDF of the approved version if it was made already (None: it is still to make)."""
    require_leader(user, report, "tải bản PDF để ký số")
    snapshot = _awaiting(report)
    stored = ReportSnapshot.objects.filter(pk=snapshot.pk).values_list("pdf", flat=True).first()
    return bytes(stored) if stored else None


def pdf_for_signing(*, user, report: Report) -> tuple[bytes, ReportSnapshot]:
    """The PDF of the approved version, made by LibreOffice on the first download, then kept."""
    require_leader(user, report, "tải bản PDF để ký số")
    snapshot = _awaiting(report)
    stored = ReportSnapshot.objects.filter(pk=snapshot.pk).values_list("pdf", flat=True).first()
    if stored:
        return bytes(stored), snapshot
    content = content_of(snapshot.data)
    frozen = Snapshot(snapshot.data, snapshot.fingerprint)
    try:
        made = pdf_to_sign(template_of(report.round.template), content, frozen)
    except RuntimeError as exc:  # LibreOffice or poppler missing or failing
        raise Refused(str(exc)) from exc
    snapshot.pdf = made.pdf
    snapshot.signature_box = made.signature_box.to_json() if made.signature_box else None
    snapshot.save(update_fields=["pdf", "signature_box"])
    return made.pdf, snapshot


def _record(
    report: Report,
    snapshot: ReportSnapshot,
    user,
    *,
    kind: str,
    file_name: str,
    verified: Verified | None = None,
    message: str = "",
    pdf: bytes | None = None,
) -> ReportSignature:
    """One signature or refusal and its audit entry, together."""
    with transaction.atomic():
        row = ReportSignature.objects.create(
            report=report,
            snapshot=snapshot,
            kind=kind,
            fingerprint=snapshot.fingerprint,
            file_name=file_name[:255],
            by=user,
            valid=verified is not None,
            message=message,
            signer_name=verified.signer if verified else "",
            signed_at=verified.signed_at if verified else None,
            certificate=(
                {"subject": verified.subject, "issuer": verified.issuer, "serial": verified.serial}
                if verified
                else {}
            ),
            pdf=pdf,
        )
        AuditEvent.objects.create(
            report=report,
            user=user,
            action=f"{kind}-signature-{'valid' if verified else 'refused'}",
            target=snapshot.fingerprint[:12],
            after={
                "file": file_name,
                "fingerprint": snapshot.fingerprint,
                **(
                    {"signer": verified.signer, "signed_at": verified.signed_at.isoformat()}
                    if verified
                    else {"message": message}
                ),
            },
        )
    return row


def _verify(data: bytes, *, file_name: str, snapshot: ReportSnapshot, expected: str) -> Verified:
    try:
        roots = trust_roots()
    except SigningSetupError as exc:
        raise Refused(str(exc)) from exc
    stored = ReportSnapshot.objects.filter(pk=snapshot.pk).values_list("pdf", flat=True).get()
    verified = verify_signed_pdf(
        data,
        file=file_name,
        fingerprint=snapshot.fingerprint,
        expected_signer=expected,
        trust_roots=roots,
        not_before=snapshot.created_at,
        now=timezone.now(),
        original=bytes(stored) if stored is not None else None,
    )
    if stored is None:  # the right fingerprint, yet cchc never made this version's PDF
        raise SignatureRefused(
            "Bản duyệt này chưa từng được tải về để ký; hãy tải «Bản PDF để ký số», ký đúng "
            "tệp đó rồi tải lên."
        )
    return verified


def upload_signed(*, user, report: Report, file_name: str, data: bytes) -> list[ReportSignature]:
    """Check the leader's signed PDF; record it either way; a refusal raises `Refused`
    with its reason after it is recorded. Valid: the agency signs too, when configured."""
    require_leader(user, report, "tải lên bản PDF đã ký số")
    snapshot = _awaiting(report)
    if _snapshot_of(report, snapshot.expected_signer).fingerprint != snapshot.fingerprint:
        raise Refused("Báo cáo đã thay đổi sau khi duyệt; hãy duyệt lại rồi ký bản mới.")
    try:
        verified = _verify(
            data, file_name=file_name, snapshot=snapshot, expected=snapshot.expected_signer
        )
    except SignatureRefused as exc:
        _record(
            report, snapshot, user, kind=SignatureKind.SIGNER, file_name=file_name, message=str(exc)
        )
        raise Refused(str(exc)) from exc
    rows = [
        _record(
            report,
            snapshot,
            user,
            kind=SignatureKind.SIGNER,
            file_name=file_name,
            verified=verified,
            pdf=data,
        )
    ]
    agency = _agency_signature(report, snapshot, user, data, file_name)
    if agency is not None:
        rows.append(agency)
    return rows


def _agency_signature(
    report: Report, snapshot: ReportSnapshot, user, signed: bytes, file_name: str
) -> ReportSignature | None:
    """The agency's signature with the seal over the signer's; a failure is recorded and
    said, and the signer's valid upload stays."""
    try:
        setup = agency_setup(report.unit.code)
        if setup is None:
            return None
        if not snapshot.signature_box:
            raise SigningSetupError(
                "Không tìm thấy khối chữ ký trên bản PDF nên không đặt được con dấu."
            )
        with setup.signer() as signer:
            cert = signer.signing_cert
            final, _ = sign_as_agency(
                signed,
                signer=signer,
                agency=certificate_name(cert),
                seal_png=setup.seal_png(),
                seal_mm=setup.seal_mm,
                signature_box=Box.from_json(snapshot.signature_box),
            )
        check_added_signature(final, trust_roots=trust_roots())
    except (SigningSetupError, SignatureRefused, Refused, RuntimeError, ValueError) as exc:
        message = f"Chưa thêm được chữ ký số của cơ quan: {exc}"
        _record(report, snapshot, user, kind=SignatureKind.AGENCY, file_name="", message=message)
        return None
    agency_name = certificate_name(cert)
    row = _record(
        report,
        snapshot,
        user,
        kind=SignatureKind.AGENCY,
        file_name=file_name,
        verified=Verified(
            signer=agency_name,
            signed_at=timezone.now(),
            subject=cert.subject.human_friendly,
            issuer=cert.issuer.human_friendly,
            serial=format(cert.serial_number, "x"),
            fingerprint=snapshot.fingerprint,
            signatures=2,
        ),
        pdf=final,
    )
    return row


@dataclass(frozen=True)
class SignatureState:
    snapshot: ReportSnapshot | None
    signer: ReportSignature | None  # the valid signature of the current version
    agency: ReportSignature | None
    last_refusal: ReportSignature | None  # the latest attempt, when it was refused
    stale: bool  # signed once, but an earlier version

    @property
    def valid(self) -> bool:
        return self.signer is not None


def signature_state(report: Report) -> SignatureState:
    snapshot = current_snapshot(report)
    rows = list(ReportSignature.objects.filter(report=report).defer("pdf")[:50])
    fingerprint = snapshot.fingerprint if snapshot else None
    current = [r for r in rows if r.valid and r.fingerprint == fingerprint]
    signer = next((r for r in current if r.kind == SignatureKind.SIGNER), None)
    agency = next((r for r in current if r.kind == SignatureKind.AGENCY), None)
    latest = rows[0] if rows else None
    refused = latest if latest is not None and not latest.valid else None
    stale = signer is None and any(r.valid for r in rows)
    return SignatureState(snapshot, signer, agency, refused, stale)


def signed_pdf(*, user, report: Report) -> tuple[bytes, ReportSignature]:
    """The signed file of the current version: with the agency's signature when there is one."""
    require_view(user, report)
    state = signature_state(report)
    row = state.agency or state.signer
    if row is None:
        raise Refused("Báo cáo chưa có bản PDF đã ký số hợp lệ của phiên bản hiện tại.")
    data = ReportSignature.objects.filter(pk=row.pk).values_list("pdf", flat=True).get()
    return bytes(data or b""), row


def round_requires_signature(rnd: ReportingRound) -> bool:
    return RoundSigning.objects.filter(round=rnd, required=True).exists()


def set_round_requirement(*, user, rnd: ReportingRound, required: bool) -> None:
    if not reviews_for(user, rnd.issuer_id):
        raise Refused(f"Chỉ cán bộ Nội vụ của {rnd.issuer.name} được đổi yêu cầu ký số của đợt.")
    with transaction.atomic():
        row, _ = RoundSigning.objects.get_or_create(round=rnd)
        if row.required == required:
            return
        before = row.required
        row.required = required
        row.save(update_fields=["required"])
        AuditEvent.objects.create(
            round=rnd,
            user=user,
            action="signing-required-set",
            before={"required": before},
            after={"required": required},
        )


def require_signed_for_submit(report: Report) -> None:
    """Refuse to submit without a valid signature of this very version, where the round asks."""
    if not round_requires_signature(report.round):
        return
    state = signature_state(report)
    snapshot = state.snapshot
    if snapshot is not None and (
        _snapshot_of(report, snapshot.expected_signer).fingerprint != snapshot.fingerprint
    ):
        raise Refused("Báo cáo đã thay đổi sau khi ký; hãy duyệt lại và ký số bản mới.")
    if not state.valid:
        extra = " Bản đã ký trước đây là của phiên bản cũ." if state.stale else ""
        raise Refused(
            "Đợt báo cáo này yêu cầu gửi kèm bản PDF đã ký số: hãy tải «Bản PDF để ký số», "
            f"ký bằng chứng thư số của mình rồi tải tệp đã ký lên trước khi gửi.{extra}"
        )
