"""Checking a signed PDF brought back by the leader, with pyHanko's validation.

Each refusal has its own Vietnamese message, in the order a person would look:
is it a signed PDF, was it changed after signing, is it the version that was
approved, when was it signed, was the certificate valid then, does it come
from a trusted certification authority, is it the expected signer's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from asn1crypto import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, DiffResult, ModificationLevel
from pyhanko.sign.validation import KeyUsageConstraints, validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from cchc.core.snapshot import fingerprint_in, names_match

__all__ = [
    "CLOCK_SKEW",
    "SignatureRefused",
    "Verified",
    "certificate_name",
    "check_added_signature",
    "verify_signed_pdf",
]

# How far a signing tool's clock may be from ours.
CLOCK_SKEW = timedelta(minutes=10)
# A certificate made for signing documents has one of these (Vietnamese CAs set both).
_KEY_USAGE = KeyUsageConstraints(
    key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
)
_VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
_AFTER_LAST = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES}
_AFTER_EARLIER = _AFTER_LAST | {ModificationLevel.FORM_FILLING}  # a later signature's field


class SignatureRefused(ValueError):
    """The uploaded file is not a valid signature of the awaited version; says why."""


@dataclass(frozen=True)
class Verified:
    signer: str  # the certificate's common name
    signed_at: datetime
    subject: str
    issuer: str
    serial: str
    fingerprint: str
    signatures: int  # how many signatures the file carries


def certificate_name(cert: x509.Certificate) -> str:
    native = cert.subject.native
    return str(native.get("common_name") or cert.subject.human_friendly)


def _when(moment: datetime) -> str:
    local = moment.astimezone(_VIETNAM)
    return local.strftime("%H:%M:%S ngày %d/%m/%Y")


def _read(data: bytes, file: str) -> PdfFileReader:
    if not data.startswith(b"%PDF-"):
        raise SignatureRefused(f"Tệp «{file}» không phải tệp PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception as exc:  # a damaged file is the uploader's to fix, not a 500
        raise SignatureRefused(f"Tệp «{file}» bị hỏng, không đọc được như một tệp PDF.") from exc
    if not signatures:
        raise SignatureRefused(
            f"Tệp «{file}» chưa có chữ ký số nào; hãy ký bản PDF để ký số rồi tải lên lại."
        )
    return reader


def _unchanged_after(status: PdfSignatureStatus, *, last: bool) -> bool:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION or status.docmdp_ok is False:
        return False
    return status.modification_level in (_AFTER_LAST if last else _AFTER_EARLIER)


def _validity(cert: x509.Certificate) -> tuple[datetime, datetime]:
    validity = cert["tbs_certificate"]["validity"]
    return validity["not_before"].native, validity["not_after"].native


def verify_signed_pdf(
    data: bytes,
    *,
    file: str,
    fingerprint: str,
    expected_signer: str,
    trust_roots: list[x509.Certificate],
    not_before: datetime,
    now: datetime,
    original: bytes | None = None,
) -> Verified:
    """The first signature is the signer's (Decree 30: the competent person signs, then the
    agency); every signature in the file must be intact, trusted and not followed by changes
    other than signatures and validation data.

    With `original` (the PDF to sign as cchc made it), the file must be that PDF with
    signatures added and nothing else: a file that carries the right fingerprint but
    whose pages were edited before signing is refused too."""
    reader = _read(data, file)
    signatures = sorted(reader.embedded_signatures, key=lambda s: s.signed_revision)
    first = signatures[0]
    name = certificate_name(first.signer_cert)
    signed_at = first.self_reported_timestamp
    if signed_at is None:
        raise SignatureRefused(f"Chữ ký số trong tệp «{file}» không ghi thời điểm ký.")
    statuses = []
    for n, sig in enumerate(signatures):
        moment = sig.self_reported_timestamp or signed_at
        context = ValidationContext(
            trust_roots=trust_roots,
            moment=moment,
            allow_fetching=False,
            revocation_mode="soft-fail",
        )
        try:
            status = validate_pdf_signature(
                sig, signer_validation_context=context, key_usage_settings=_KEY_USAGE
            )
        except Exception as exc:  # malformed signature dictionary or CMS
            raise SignatureRefused(
                f"Chữ ký số thứ {n + 1} trong tệp «{file}» bị hỏng, không kiểm tra được."
            ) from exc
        who = certificate_name(sig.signer_cert)
        if not (status.intact and status.valid):
            raise SignatureRefused(
                f"Chữ ký số của «{who}» trong tệp «{file}» không khớp với nội dung: "
                "tệp đã bị sửa sau khi ký."
            )
        if not _unchanged_after(status, last=n == len(signatures) - 1):
            raise SignatureRefused(
                f"Tệp «{file}» đã bị sửa nội dung sau khi «{who}» ký số; chỉ được thêm chữ ký "
                "hoặc dữ liệu kiểm tra chữ ký. Hãy tải lên đúng tệp vừa ký."
            )
        statuses.append((sig, status, who, moment))

    keywords = _keywords(reader, first.signed_revision)
    found = fingerprint_in(keywords)
    if found is None:
        raise SignatureRefused(
            f"Tệp «{file}» không phải bản PDF để ký số do cchc tạo cho báo cáo này (không có mã "
            "nhận dạng bản đã duyệt); hãy tải «Bản PDF để ký số» và ký đúng tệp đó."
        )
    if found != fingerprint:
        raise SignatureRefused(
            f"Tệp «{file}» là bản của một lần duyệt khác (mã {found[:12]}…), không phải bản "
            f"đang chờ ký (mã {fingerprint[:12]}…): báo cáo đã thay đổi; hãy tải bản PDF để "
            "ký số mới và ký lại."
        )
    if original is not None:
        _only_signatures_on(original, reader, data, file)
    if signed_at < not_before - CLOCK_SKEW or signed_at > now + CLOCK_SKEW:
        raise SignatureRefused(
            f"Thời điểm ký ghi trong chữ ký ({_when(signed_at)}) không nằm giữa lúc báo cáo được "
            f"duyệt ({_when(not_before)}) và lúc tải lên; hãy kiểm tra đồng hồ máy ký và ký lại."
        )
    for sig, status, who, moment in statuses:
        start, end = _validity(sig.signer_cert)
        if moment > end:
            raise SignatureRefused(
                f"Chứng thư số của «{who}» đã hết hạn từ {_when(end)}, trước lúc ký "
                f"({_when(moment)}); hãy ký bằng chứng thư số còn hiệu lực."
            )
        if moment < start:
            raise SignatureRefused(
                f"Chứng thư số của «{who}» chỉ có hiệu lực từ {_when(start)}, sau lúc ký "
                f"({_when(moment)})."
            )
        if status.revoked:
            raise SignatureRefused(f"Chứng thư số của «{who}» đã bị thu hồi.")
        if not status.trusted:
            issuer = sig.signer_cert.issuer.native.get("common_name") or "không rõ"
            raise SignatureRefused(
                f"Chứng thư số của «{who}» do «{issuer}» cấp không dẫn về tổ chức chứng thực "
                "được tin cậy (chứng thư gốc do quản trị hệ thống cấu hình), hoặc không dùng "
                "để ký văn bản."
            )
    if not names_match(expected_signer, name):
        raise SignatureRefused(
            f"Chữ ký số là của «{name}», không phải của người ký báo cáo «{expected_signer}»."
        )
    cert = first.signer_cert
    return Verified(
        signer=name,
        signed_at=signed_at,
        subject=cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        serial=format(cert.serial_number, "x"),
        fingerprint=found,
        signatures=len(signatures),
    )


def check_added_signature(data: bytes, *, trust_roots: list[x509.Certificate]) -> None:
    """The signature cchc has just added (the last one) is intact, covers the whole file and
    leads to a trust root; the earlier ones were checked on upload and are not read again
    (a full check of a tagged report costs seconds)."""
    last = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[-1]
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
    status = validate_pdf_signature(
        last, signer_validation_context=context, key_usage_settings=_KEY_USAGE
    )
    if not (status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE):
        who = certificate_name(last.signer_cert)
        raise SignatureRefused(
            f"Chữ ký vừa thêm bằng chứng thư «{who}» không hợp lệ với các chứng thư gốc tin cậy "
            "đã cấu hình."
        )


def _only_signatures_on(original: bytes, reader: PdfFileReader, data: bytes, file: str) -> None:
    """Everything after the bytes cchc produced is signing (pyHanko's diff policy)."""
    base = PdfFileReader(io.BytesIO(original), strict=False).xrefs.total_revisions - 1
    changes = None
    if data.startswith(original):
        changes = DEFAULT_DIFF_POLICY.review_file(reader, base)
    if not isinstance(changes, DiffResult) or changes.modification_level not in _AFTER_EARLIER:
        raise SignatureRefused(
            f"Tệp «{file}» không phải đúng bản PDF để ký số cchc đã tạo cho lần duyệt này, "
            "chỉ thêm chữ ký: nội dung đã bị sửa hoặc tệp đã được lưu lại trước khi ký. Hãy "
            "ký đúng tệp đã tải về."
        )


def _keywords(reader: PdfFileReader, revision: int) -> str:
    """The keywords as they were in the signed revision (later revisions cannot change them)."""
    try:
        info = reader.get_historical_resolver(revision).trailer_view.get("/Info")
        value = info.get_object().get("/Keywords") if info is not None else None
    except Exception:  # no /Info dictionary, or one that is not a dictionary
        return ""
    return str(value) if value is not None else ""
