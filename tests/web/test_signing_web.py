"""Approve → PDF to sign → signed upload checked and recorded → submit → the reviewer sees it.

Through the real pages (Django's test client) with the personas of conftest; the
leader signs with pyHanko directly, with certificates of the test's own CA.
"""

from __future__ import annotations

import io
import shutil

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw
from pyhanko.pdf_utils.reader import PdfFileReader

from cchc.documents.pdf import find_soffice
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import AuditEvent, ReportingRound, ReportState, ReportValue
from cchc.web.reporting.workflow import permissions, services
from cchc.web.signing.models import ReportSignature, ReportSnapshot
from cchc.web.signing.services import round_requires_signature, set_round_requirement
from tests.signing_pki import P12_PASSWORD, OwnCA, sign_outside

needs_pdf = pytest.mark.skipif(
    find_soffice() is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice and poppler-utils (scripts/ensure-services installs them)",
)
LEADER_NAME = "Ngô Văn Thành"
AGENCY = "Ủy ban nhân dân xã An"
NOT_SIGNED = (
    "Đợt báo cáo này yêu cầu gửi kèm bản PDF đã ký số: hãy tải «Bản PDF để ký số», "
    "ký bằng chứng thư số của mình rồi tải tệp đã ký lên trước khi gửi."
)


@pytest.fixture
def pki(tmp_path, settings):
    ca = OwnCA(tmp_path / "ca")
    settings.SIGNING_TRUST_ROOTS = ca.root_file
    stranger = OwnCA(tmp_path / "stranger", name="CA lạ")
    return {
        "leader": ca.issue(LEADER_NAME, "leader.p12"),
        "untrusted": stranger.issue(LEADER_NAME, "untrusted.p12"),
        "agency": ca.issue(AGENCY, "agency.p12"),
        "folder": tmp_path,
    }


@pytest.fixture
def named(world):
    world.leader.first_name = LEADER_NAME  # as the app stores names: whole, in first_name
    world.leader.save()
    return world


def _approve_with_a_value(world, raw: str = "5") -> None:
    row = ReportValue.objects.filter(report=world.report_a, form="BM1", code="1").first()
    saved = saving.save_values(
        user=world.officer,
        report=world.report_a,
        form="BM1",
        changes={"1": (raw, row.version if row else None)},
    )
    assert saved.conflicts == {}
    services.approve_report(user=world.leader, report=world.report_a, reason="thử")
    world.report_a.refresh_from_db()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _upload(client, report, data: bytes, name: str = "da-ky.pdf"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(
        reverse("report-signed-upload", args=[report.pk]), {"file": file}, follow=True
    )


def _agency_files(settings, pki, unit_code: str) -> None:
    seal = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(seal).ellipse((0, 0, 399, 399), outline=(220, 20, 30, 255), width=14)
    seal_path = pki["folder"] / "con-dau.png"
    seal.save(seal_path)
    password = pki["folder"] / "mat-khau"
    password.write_bytes(P12_PASSWORD + b"\n")
    settings.AGENCY_UNIT = unit_code
    settings.AGENCY_P12 = pki["agency"].p12
    settings.AGENCY_P12_PASSWORD_FILE = password
    settings.AGENCY_SEAL_IMAGE = seal_path
    settings.AGENCY_SEAL_MM = 38


@needs_pdf
def test_a_signed_upload_is_checked_recorded_countersigned_and_shown_to_the_reviewer(
    named, pki, login, settings
) -> None:
    world = named
    set_round_requirement(user=world.reviewer, rnd=world.round, required=True)
    _agency_files(settings, pki, world.commune_a.code)
    _approve_with_a_value(world)
    report = world.report_a
    client = login(world.leader)

    # Submitting before signing is refused, with what to do.
    response = client.post(reverse("report-transition", args=[report.pk]), {"action": "submit"})
    assert (response.status_code, NOT_SIGNED in response.content.decode()) == (403, True)

    to_sign = client.get(reverse("report-pdf-to-sign", args=[report.pk]))
    assert (to_sign.status_code, to_sign["Content-Type"]) == (200, "application/pdf")
    pdf = b"".join(to_sign.streaming_content) if to_sign.streaming else to_sign.content

    # Signed by the leader's name but under an unknown authority: refused and recorded.
    refused = _upload(client, report, sign_outside(pdf, pki["untrusted"]), "la.pdf")
    untrusted = (
        f"Chứng thư số của «{LEADER_NAME}» do «CA lạ» cấp không dẫn về tổ chức chứng thực "
        "được tin cậy (chứng thư gốc do quản trị hệ thống cấu hình), hoặc không dùng để ký "
        "văn bản."
    )
    assert _messages(refused) == [untrusted]

    accepted = _upload(client, report, sign_outside(pdf, pki["leader"]))
    assert _messages(accepted) == [
        f"Chữ ký số hợp lệ: {LEADER_NAME}. Đã lưu bản PDF đã ký. "
        f"Đã thêm chữ ký số của cơ quan ({AGENCY})."
    ]
    rows = list(ReportSignature.objects.filter(report=report).order_by("id"))
    snapshot = ReportSnapshot.objects.get(report=report)
    fingerprint = snapshot.fingerprint
    # The suggested signer block (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH): the place between the
    # title and the leader's name.
    assert snapshot.signature_box == {"page": 2, "rect": [352.8, 237.19, 489.42, 313.09]}
    assert [(r.kind, r.valid, r.signer_name, r.fingerprint, r.by_id) for r in rows] == [
        ("signer", False, "", fingerprint, world.leader.id),
        ("signer", True, LEADER_NAME, fingerprint, world.leader.id),
        ("agency", True, AGENCY, fingerprint, world.leader.id),
    ]
    assert rows[0].message == untrusted
    actions = list(
        AuditEvent.objects.filter(report=report).order_by("id").values_list("action", flat=True)
    )
    assert actions[-5:] == [
        "approved",
        "frozen",
        "signer-signature-refused",
        "signer-signature-valid",
        "agency-signature-valid",
    ]

    response = client.post(
        reverse("report-transition", args=[report.pk]), {"action": "submit"}, follow=True
    )
    assert _messages(response) == ["Đã gửi báo cáo lên cấp trên."]

    reviewer = login(world.reviewer)
    page = reviewer.get(reverse("report-detail", args=[report.pk])).content.decode()
    signed_at = rows[1].signed_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Ho_Chi_Minh"))
    assert (
        f"Đã ký số bởi {LEADER_NAME} lúc {signed_at:%d/%m/%Y %H:%M}, hợp lệ; "
        f"chữ ký số của cơ quan: {AGENCY}."
    ) in page
    download = reviewer.get(reverse("report-signed", args=[report.pk]))
    signatures = PdfFileReader(io.BytesIO(download.content)).embedded_signatures
    assert [s.field_name for s in signatures] == ["ChuKyNguoiKy", "ChuKyCoQuan"]


@needs_pdf
def test_a_report_changed_after_signing_needs_a_new_signature(named, pki, login) -> None:
    world = named
    set_round_requirement(user=world.reviewer, rnd=world.round, required=True)
    _approve_with_a_value(world, "5")
    report = world.report_a
    client = login(world.leader)
    pdf = client.get(reverse("report-pdf-to-sign", args=[report.pk])).content
    old_signed = sign_outside(pdf, pki["leader"])
    assert _messages(_upload(client, report, old_signed)) == [
        f"Chữ ký số hợp lệ: {LEADER_NAME}. Đã lưu bản PDF đã ký."
    ]
    services.submit_report(user=world.leader, report=report)
    services.return_report(user=world.reviewer, report=report, comment="Sửa chỉ tiêu 1.")
    _approve_with_a_value(world, "6")  # the figure changed: another version

    page = client.get(reverse("report-detail", args=[report.pk])).content.decode()
    assert (
        "Báo cáo đã thay đổi sau khi ký: bản đã ký trước đây không còn đúng, cần ký số lại." in page
    )
    with pytest.raises(permissions.Refused) as refused:
        services.submit_report(user=world.leader, report=report)
    assert str(refused.value) == NOT_SIGNED + " Bản đã ký trước đây là của phiên bản cũ."
    [old, new] = ReportSnapshot.objects.filter(report=report).order_by("id")
    assert _messages(_upload(client, report, old_signed)) == [
        f"Tệp «da-ky.pdf» là bản của một lần duyệt khác (mã {old.fingerprint[:12]}…), không "
        f"phải bản đang chờ ký (mã {new.fingerprint[:12]}…): báo cáo đã thay đổi; hãy tải bản "
        "PDF để ký số mới và ký lại."
    ]


def test_approving_the_same_content_again_keeps_the_frozen_version(world) -> None:
    _approve_with_a_value(world)
    services.submit_report(user=world.leader, report=world.report_a)
    services.return_report(user=world.reviewer, report=world.report_a, comment="Xem lại.")
    services.approve_report(user=world.leader, report=world.report_a, reason="thử")
    [snapshot] = ReportSnapshot.objects.filter(report=world.report_a)
    header = snapshot.data["header"]
    assert (snapshot.expected_signer, header["signer"], snapshot.data["values"]) == (
        "leader",  # no signer block: the approving leader (conftest's users have no full name)
        "leader",
        {"BM1": {"1": {"raw": "5", "note": ""}}},
    )


def test_a_round_that_does_not_demand_signatures_accepts_an_unsigned_report(world) -> None:
    _approve_with_a_value(world)
    services.submit_report(user=world.leader, report=world.report_a)
    world.report_a.refresh_from_db()
    assert world.report_a.state == ReportState.SUBMITTED


def test_only_the_issuing_reviewer_sets_whether_a_round_demands_signatures(world, login) -> None:
    url = reverse("round-signing", args=[world.round.pk])
    refused = login(world.leader).post(url, {"required": "1"})
    assert (refused.status_code, "Chỉ cán bộ Nội vụ của Tỉnh Thử" in refused.content.decode()) == (
        403,
        True,
    )
    done = login(world.reviewer).post(url, {"required": "1"}, follow=True)
    assert _messages(done) == ["Đợt báo cáo yêu cầu gửi kèm bản PDF đã ký số."]
    event = AuditEvent.objects.get(round=world.round, action="signing-required-set")
    assert (event.before, event.after, event.user_id) == (
        {"required": False},
        {"required": True},
        world.reviewer.id,
    )


def test_only_the_leader_downloads_the_pdf_to_sign_and_only_once_approved(world, login) -> None:
    url = reverse("report-pdf-to-sign", args=[world.report_a.pk])
    officer = login(world.officer).get(url)
    assert (
        officer.status_code,
        "Chỉ lãnh đạo Xã An được tải bản PDF để ký số." in (officer.content.decode()),
    ) == (403, True)
    draft = login(world.leader).get(url, follow=True)
    assert _messages(draft) == [
        "Báo cáo đang ở trạng thái «Đang soạn»: chỉ ký số bản đã được lãnh đạo duyệt và chưa gửi."
    ]
    outsider = login(world.outsider).get(reverse("report-signed", args=[world.report_a.pk]))
    assert outsider.status_code == 403


def test_without_trust_roots_an_upload_is_refused_with_what_to_ask_for(
    world, login, settings
) -> None:
    settings.SIGNING_TRUST_ROOTS = None
    _approve_with_a_value(world)
    response = _upload(login(world.leader), world.report_a, b"%PDF-1.7\n")
    assert _messages(response) == [
        "Chưa cấu hình chứng thư gốc tin cậy (CCHC_SIGNING_TRUST_ROOTS) nên chưa kiểm tra "
        "được chữ ký số; hãy báo quản trị hệ thống."
    ]


@pytest.mark.parametrize("ticked", [True, False])
def test_a_round_opened_with_the_box_ticked_demands_signatures(world, login, ticked) -> None:
    form = {
        "issuer": world.province.pk,
        "template": world.round.template_id,
        "period": "half_year-1",
        "year": "2027",
        "window_start": "15/12/2026",
        "window_end": "14/06/2027",
        "deadline": "17:00 18/06/2027",
        "units": [world.commune_a.pk],
    }
    if ticked:
        form["requires_signature"] = "on"
    response = login(world.reviewer).post(reverse("round-create"), form)
    rnd = ReportingRound.objects.get(period_key="2027-H1")
    assert (response.status_code, round_requires_signature(rnd)) == (302, ticked)
