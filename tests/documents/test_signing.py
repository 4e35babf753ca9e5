"""The PDF to sign, a signed upload checked, and the agency's seal where Decree 30 puts it.

One LibreOffice conversion for the module (the seed 001 report, frozen); the
leader signs it with pyHanko directly, as an office's own tool would, with
certificates of a CA the test makes; each way a file can be wrong is refused
with its own message.
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, ImageDraw
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.stamp import TextStamp, TextStampStyle
from pyhanko_certvalidator import ValidationContext

from cchc.core.snapshot import freeze
from cchc.core.values import Entry
from cchc.documents.pdf import find_soffice
from cchc.documents.signing.agency import agency_stamp_text, sign_as_agency
from cchc.documents.signing.keys import (
    SigningSetupError,
    agency_token_signer,
    load_agency_signer,
    load_trust_roots,
)
from cchc.documents.signing.layout import MM
from cchc.documents.signing.to_sign import SIGNER_FIELD, pdf_to_sign
from cchc.documents.signing.verify import SignatureRefused, certificate_name, verify_signed_pdf
from cchc.importers.report_file import import_report, report_content
from tests.seeds import SEED_001
from tests.signing_pki import (
    P12_PASSWORD,
    SOFTHSM_MODULE,
    TOKEN_PIN,
    OwnCA,
    sign_outside,
    softhsm_token,
)

pytestmark = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice and poppler-utils (scripts/ensure-services installs them)",
)

SIGNER = "Hồ Thanh Nghi"  # seed 001's signer block
AGENCY = "Ủy ban nhân dân xã Hương Sơn"
FILE = "bao-cao-da-ky.pdf"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    ca = OwnCA(folder / "ca")
    stranger = OwnCA(folder / "stranger", name="CA không được tin cậy")
    long_ago = datetime.now(tz=UTC) - timedelta(days=3 * 365)
    return {
        "ca": ca,
        "roots": load_trust_roots(ca.root_file),
        "leader": ca.issue(SIGNER, "leader.p12"),
        "expired": ca.issue(SIGNER, "expired.p12", not_before=long_ago, days=365),
        "untrusted": stranger.issue(SIGNER, "untrusted.p12"),
        "other": ca.issue("Nguyễn Văn An", "other.p12"),
        "agency": ca.issue(AGENCY, "agency.p12"),
    }


@pytest.fixture(scope="module")
def report():
    imported = import_report(SEED_001)
    content = report_content(imported)
    snapshot = freeze(content, report_id=1, unit_code="HS", round_id=1)
    frozen_at = datetime.now(tz=UTC)
    return (
        imported.template,
        content,
        snapshot,
        pdf_to_sign(imported.template, content, snapshot),
        frozen_at,
    )


def _verify(data: bytes, report, pki, *, fingerprint: str | None = None, not_before=None):
    _, _, snapshot, _, frozen_at = report
    return verify_signed_pdf(
        data,
        file=FILE,
        fingerprint=fingerprint or snapshot.fingerprint,
        expected_signer=SIGNER,
        trust_roots=pki["roots"],
        not_before=not_before or frozen_at,
        original=report[3].pdf,
        now=datetime.now(tz=UTC),
    )


def _refusal(data: bytes, report, pki, **kwargs) -> str:
    with pytest.raises(SignatureRefused) as refused:
        _verify(data, report, pki, **kwargs)
    return str(refused.value)


def _when(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%H:%M:%S ngày %d/%m/%Y")


def test_the_pdf_to_sign_is_pdf_a_with_the_fingerprint_and_a_field_between_title_and_name(
    report, tmp_path
) -> None:
    _, _, snapshot, prepared, _ = report
    path = tmp_path / "de-ky.pdf"
    path.write_bytes(prepared.pdf)
    meta = subprocess.run(
        ["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True
    ).stdout
    reader = PdfFileReader(io.BytesIO(prepared.pdf))
    field = next(
        f for f in reader.root["/AcroForm"]["/Fields"] if f.get_object()["/T"] == SIGNER_FIELD
    )
    box = prepared.signature_box
    # The block of seed 001 on page 11: «CHỦ TỊCH» ends 269 pt from the bottom, the name
    # starts at 193 pt; the image place is centred on the name, 1,8 times as wide as tall.
    assert (
        bool(re.search(r'pdfaid:part(="|>)2', meta)),  # PDF/A-2, kept in the XMP
        f"cchc-sha256-{snapshot.fingerprint}" in meta,
        box.page,
        [round(v) for v in box.rect()],
        [round(float(v)) for v in field.get_object()["/Rect"]],
    ) == (True, True, 10, [353, 193, 489, 269], [353, 193, 489, 269])


def test_a_pdf_signed_outside_by_the_signer_with_a_trusted_certificate_is_accepted(
    report, pki
) -> None:
    signed = sign_outside(report[3].pdf, pki["leader"])
    verified = _verify(signed, report, pki)
    assert (verified.signer, verified.fingerprint, verified.signatures) == (
        SIGNER,
        report[2].fingerprint,
        1,
    )
    assert abs(verified.signed_at - datetime.now(tz=UTC)) < timedelta(minutes=1)


def test_a_signature_in_a_field_of_the_signing_tool_s_own_is_accepted_too(report, pki) -> None:
    signed = sign_outside(report[3].pdf, pki["leader"], field="Signature1")
    assert _verify(signed, report, pki).signer == SIGNER


def test_an_unsigned_pdf_is_refused(report, pki) -> None:
    assert _refusal(report[3].pdf, report, pki) == (
        f"Tệp «{FILE}» chưa có chữ ký số nào; hãy ký bản PDF để ký số rồi tải lên lại."
    )


def test_a_pdf_whose_content_was_changed_after_signing_is_refused(report, pki) -> None:
    signed = sign_outside(report[3].pdf, pki["leader"])
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    stamp = TextStamp(writer, TextStampStyle(stamp_text="Số liệu đã sửa: 99"))
    stamp.apply(dest_page=0, x=300, y=400)
    altered = io.BytesIO()
    writer.write(altered)
    assert _refusal(altered.getvalue(), report, pki) == (
        f"Tệp «{FILE}» đã bị sửa nội dung sau khi «{SIGNER}» ký số; chỉ được thêm chữ ký "
        "hoặc dữ liệu kiểm tra chữ ký. Hãy tải lên đúng tệp vừa ký."
    )


def test_a_pdf_edited_before_signing_is_refused_though_it_carries_the_fingerprint(
    report, pki
) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(report[3].pdf))
    TextStamp(writer, TextStampStyle(stamp_text="Số liệu đã sửa: 99")).apply(
        dest_page=0, x=300, y=400
    )
    edited = io.BytesIO()
    writer.write(edited)
    signed = sign_outside(edited.getvalue(), pki["leader"])
    assert _refusal(signed, report, pki) == (
        f"Tệp «{FILE}» không phải đúng bản PDF để ký số cchc đã tạo cho lần duyệt này, "
        "chỉ thêm chữ ký: nội dung đã bị sửa hoặc tệp đã được lưu lại trước khi ký. Hãy "
        "ký đúng tệp đã tải về."
    )


def test_a_pdf_whose_signed_bytes_were_changed_is_refused(report, pki) -> None:
    signed = bytearray(sign_outside(report[3].pdf, pki["leader"]))
    at = signed.index(b"/Producer")  # in the signed range: the document information
    signed[at + 1 : at + 9] = b"Producex"
    assert _refusal(bytes(signed), report, pki) == (
        f"Chữ ký số của «{SIGNER}» trong tệp «{FILE}» không khớp với nội dung: "
        "tệp đã bị sửa sau khi ký."
    )


def test_a_pdf_signed_with_an_expired_certificate_is_refused(report, pki) -> None:
    signed = sign_outside(report[3].pdf, pki["expired"])
    end = pki["expired"].signer().signing_cert["tbs_certificate"]["validity"]["not_after"].native
    message = _refusal(signed, report, pki)
    signed_at = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].self_reported_timestamp
    assert message == (
        f"Chứng thư số của «{SIGNER}» đã hết hạn từ {_when(end)}, trước lúc ký "
        f"({_when(signed_at)}); hãy ký bằng chứng thư số còn hiệu lực."
    )


def test_a_pdf_signed_with_a_certificate_of_an_untrusted_authority_is_refused(report, pki) -> None:
    signed = sign_outside(report[3].pdf, pki["untrusted"])
    assert _refusal(signed, report, pki) == (
        f"Chứng thư số của «{SIGNER}» do «CA không được tin cậy» cấp không dẫn về tổ chức "
        "chứng thực được tin cậy (chứng thư gốc do quản trị hệ thống cấu hình), hoặc không "
        "dùng để ký văn bản."
    )


def test_a_pdf_signed_by_someone_else_is_refused(report, pki) -> None:
    signed = sign_outside(report[3].pdf, pki["other"])
    assert _refusal(signed, report, pki) == (
        f"Chữ ký số là của «Nguyễn Văn An», không phải của người ký báo cáo «{SIGNER}»."
    )


def test_a_signed_pdf_of_another_version_of_the_report_is_refused(report, pki) -> None:
    _, content, snapshot, prepared, _ = report
    changed = copy.deepcopy(content)
    changed.values["PL2"]["2.2"] = Entry(raw="16")
    newer = freeze(changed, report_id=1, unit_code="HS", round_id=1)
    signed = sign_outside(prepared.pdf, pki["leader"])  # the earlier version, signed
    assert _refusal(signed, report, pki, fingerprint=newer.fingerprint) == (
        f"Tệp «{FILE}» là bản của một lần duyệt khác (mã {snapshot.fingerprint[:12]}…), "
        f"không phải bản đang chờ ký (mã {newer.fingerprint[:12]}…): báo cáo đã thay đổi; "
        "hãy tải bản PDF để ký số mới và ký lại."
    )


def test_a_file_that_is_not_a_pdf_or_is_damaged_is_refused(report, pki) -> None:
    signed = sign_outside(report[3].pdf, pki["leader"])
    assert [
        _refusal(b"PK\x03\x04 a Word file", report, pki),
        _refusal(signed[: len(signed) // 3], report, pki),
    ] == [
        f"Tệp «{FILE}» không phải tệp PDF.",
        f"Tệp «{FILE}» bị hỏng, không đọc được như một tệp PDF.",
    ]


def test_a_signature_dated_before_the_approval_is_refused(report, pki) -> None:
    signed = sign_outside(report[3].pdf, pki["leader"])
    signed_at = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].self_reported_timestamp
    approved = datetime.now(tz=UTC) + timedelta(hours=1)
    assert _refusal(signed, report, pki, not_before=approved) == (
        f"Thời điểm ký ghi trong chữ ký ({_when(signed_at)}) không nằm giữa lúc báo cáo được "
        f"duyệt ({_when(approved)}) và lúc tải lên; hãy kiểm tra đồng hồ máy ký và ký lại."
    )


def _seal_png() -> bytes:
    """A seal as offices scan theirs: red rings on a transparent background, edge to edge."""
    image = Image.new("RGBA", (472, 472), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, 471, 471), outline=(220, 20, 30, 255), width=16)
    draw.ellipse((70, 70, 401, 401), outline=(220, 20, 30, 255), width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _countersign(report, pki, signer, when: datetime | None = None):
    """The leader signs outside, then cchc adds the agency's signature with `signer`."""
    return sign_as_agency(
        sign_outside(report[3].pdf, pki["leader"]),
        signer=signer,
        agency=AGENCY,
        seal_png=_seal_png(),
        seal_mm=40,
        signature_box=report[3].signature_box,
        when=when,
    )


@pytest.fixture(scope="module")
def agency_signed(report, pki):
    signer = load_agency_signer(pki["agency"].p12, P12_PASSWORD)
    return _countersign(report, pki, signer, datetime(2026, 12, 1, 9, 30, 5, tzinfo=VIETNAM))


def test_the_agency_signature_added_by_cchc_is_valid_and_keeps_the_signer_s_valid(
    report, pki, agency_signed
) -> None:
    final, _ = agency_signed
    context = ValidationContext(trust_roots=pki["roots"], allow_fetching=False)
    signatures = PdfFileReader(io.BytesIO(final)).embedded_signatures
    statuses = [validate_pdf_signature(s, signer_validation_context=context) for s in signatures]
    assert [
        (s.field_name, st.bottom_line, st.coverage)
        for s, st in zip(signatures, statuses, strict=True)
    ] == [
        (SIGNER_FIELD, True, SignatureCoverageLevel.ENTIRE_REVISION),
        ("ChuKyCoQuan", True, SignatureCoverageLevel.ENTIRE_FILE),
    ]
    assert _verify(final, report, pki).signatures == 2


def test_the_agency_stamp_text_gives_the_time_in_iso_8601_with_the_vietnam_zone() -> None:
    when = datetime(2026, 12, 1, 2, 30, 5, 123, tzinfo=UTC)
    assert agency_stamp_text(AGENCY, when) == f"{AGENCY}\nThời gian ký: 2026-12-01T09:30:05+07:00"


def _red_box(png_path, dpi: int) -> tuple[float, float, float, float]:
    """The bounding box of the red pixels, in PDF points from the page's bottom left."""
    image = Image.open(png_path).convert("RGB")
    width, height = image.size
    pixels = image.load()
    xs, ys = [], []
    for y in range(height):
        for x in range(width):
            r, g, b = pixels[x, y]
            if r > 170 and g < 90 and b < 90:
                xs.append(x)
                ys.append(y)
    scale = 72 / dpi
    return (
        min(xs) * scale,
        (height - max(ys) - 1) * scale,
        (max(xs) + 1) * scale,
        (height - min(ys)) * scale,
    )


def test_the_red_seal_is_at_actual_size_over_the_left_third_of_the_signature_image(
    report, agency_signed, tmp_path
) -> None:
    final, place = agency_signed
    box = report[3].signature_box
    path = tmp_path / "da-ky.pdf"
    path.write_bytes(final)
    dpi = 150
    page = box.page + 1
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            str(path),
            str(tmp_path / "trang"),
        ],
        check=True,
        timeout=60,
    )
    [png] = list(tmp_path.glob("trang*.png"))
    x1, y1, x2, y2 = _red_box(png, dpi)
    # Within a pixel and a half at 150 dpi: 40 mm across, its right edge on the first third
    # of the signature image, centred on it vertically.
    tolerance = 1.5 * 72 / dpi
    assert [
        abs((x2 - x1) - 40 * MM) < tolerance,
        abs((y2 - y1) - 40 * MM) < tolerance,
        abs(x2 - (box.x1 + box.width / 3)) < tolerance,
        abs((y1 + y2) / 2 - (box.y1 + box.y2) / 2) < tolerance,
    ] == [True, True, True, True]
    assert [round(v) for v in place.seal.rect()] == [round(v) for v in (x1, y1, x2, y2)]


def test_a_wrong_pkcs12_password_is_said_without_showing_it(pki) -> None:
    with pytest.raises(SigningSetupError) as refused:
        load_agency_signer(pki["agency"].p12, b"sai-mat-khau")
    assert str(refused.value) == (
        f"Không mở được tệp chứng thư số của cơ quan {pki['agency'].p12}: sai mật khẩu hoặc "
        "tệp không phải PKCS#12."
    )


needs_softhsm = pytest.mark.skipif(
    not SOFTHSM_MODULE.exists() or shutil.which("softhsm2-util") is None,
    reason="needs SoftHSM (apt-get install softhsm2) to stand in for a PKCS#11 token",
)


@needs_softhsm
def test_the_agency_signs_with_its_key_on_a_pkcs11_token(report, pki, tmp_path, monkeypatch):
    agency = pki["ca"].issue(AGENCY, "token.p12", rsa_key=True)
    softhsm_token(tmp_path, agency, token="cchc-thu", label="co-quan", monkeypatch=monkeypatch)
    with agency_token_signer(
        SOFTHSM_MODULE, token="cchc-thu", key_label="co-quan", pin=TOKEN_PIN
    ) as signer:
        final, _ = _countersign(report, pki, signer)
    context = ValidationContext(trust_roots=pki["roots"], allow_fetching=False)
    signatures = PdfFileReader(io.BytesIO(final)).embedded_signatures
    assert [
        (certificate_name(s.signer_cert), validate_pdf_signature(s, context).bottom_line)
        for s in signatures
    ] == [(SIGNER, True), (AGENCY, True)]
    with (
        pytest.raises(SigningSetupError) as refused,
        agency_token_signer(SOFTHSM_MODULE, token="cchc-thu", key_label="co-quan", pin="000000"),
    ):
        pass
    assert str(refused.value) == (
        f"Không mở được thiết bị ký số «cchc-thu» qua {SOFTHSM_MODULE}: thiếu thiết bị, sai tên "
        "thiết bị hoặc sai mã PIN."
    )
