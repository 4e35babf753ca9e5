"""Ký số clicked through in headless Chromium: the round demands it, the leader approves,
downloads the PDF to sign, signs it (pyHanko, in the test, as the office's tool would),
uploads it and submits; the reviewer sees the valid signature and downloads the file."""

from __future__ import annotations

import io
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright
from pyhanko.pdf_utils.reader import PdfFileReader

from cchc.core.periods import Period, PeriodType, Window
from cchc.documents.pdf import find_soffice
from cchc.web.organisation.models import Membership, Role
from cchc.web.organisation.services import create_unit
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import TemplateVersion
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import services
from tests.signing_pki import OwnCA, sign_outside
from tests.web.test_e2e_story import CHROMIUM, CHROMIUM_ARGS, PASSWORD, Browser

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() or find_soffice() is None or not shutil.which("pdftotext"),
        reason="needs Debian's Chromium, LibreOffice and poppler-utils (scripts/ensure-services)",
    ),
]

LEADER = "Ngô Văn Thành"
UNIT = "Xã An Phú"


def _person(username: str, name: str, unit, role: str):
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=name)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


def _world():
    store.install_bundled_templates()
    province = create_unit(code="TQT", name="Tỉnh Quảng Thử", level="tinh")
    commune = create_unit(code="XAP", name=UNIT, level="xa", parent=province)
    reviewer = _person("tinh.noivu", "Lê Thị Thu", province, Role.REVIEWER)
    leader = _person("ap.lanhdao", LEADER, commune, Role.LEADER)
    officer = _person("ap.vpnv", "Trần Thị Hoa", commune, Role.CONTRIBUTOR)
    rnd = services.open_round(
        user=reviewer,
        issuer=province,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, 2026, 2),
        units=[commune],
        window_override=Window(date(2026, 6, 15), date(2026, 12, 14)),
        deadline=timezone.make_aware(datetime(2099, 12, 18, 17, 0)),
    )
    report = rnd.reports.get()
    saving.save_values(
        user=leader, report=report, form="BM1", changes={"2.1": ("19", None), "2.2": ("15", None)}
    )
    del officer
    return {"reviewer": reviewer, "leader": leader, "round": rnd, "report": report}


def test_the_leader_signs_the_approved_pdf_and_the_reviewer_sees_the_valid_signature(
    transactional_db, live_server, settings, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # as in test_e2e_story
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ca = OwnCA(tmp_path / "ca")
    settings.SIGNING_TRUST_ROOTS = ca.root_file
    signer = ca.issue(LEADER, "lanh-dao.p12")
    people = _world()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            web = Browser(chromium, live_server.url)
            _story(web, people, signer, tmp_path)
        finally:
            chromium.close()
    assert web.server_errors == []
    assert web.script_errors == []


def _story(web: Browser, people: dict, signer, tmp_path: Path) -> None:
    report_url = f"/bao-cao/{people['report'].pk}/"
    # The reviewer makes the round demand signed PDFs.
    page = web.as_user(people["reviewer"])
    page.goto(f"/dot-bao-cao/{people['round'].pk}/")
    expect(page.locator("#round-signing")).to_contain_text("Nhận cả báo cáo chưa ký số")
    page.get_by_role("button", name="Yêu cầu bản PDF đã ký số").click()
    expect(page.locator(".msg.success")).to_have_text(
        "Đợt báo cáo yêu cầu gửi kèm bản PDF đã ký số."
    )

    # The leader approves; submitting before signing is not offered as done.
    page = web.as_user(people["leader"])
    page.goto(report_url)
    page.get_by_label(re.compile("Lý do vẫn duyệt")).fill("Chỉ có Biểu mẫu 1.")
    page.get_by_role("button", name="Lãnh đạo duyệt báo cáo").click()
    expect(page.locator("#report-state")).to_have_text("Lãnh đạo đã duyệt")
    expect(page.locator("#signature-status")).to_have_text(
        "Đợt báo cáo này yêu cầu gửi kèm bản PDF đã ký số."
    )
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("link", name="Tải bản PDF để ký số").click()
    to_sign = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == "bao-cao-xa-an-phu-2026-h2-de-ky-so.pdf"

    signed = tmp_path / "bao-cao-da-ky.pdf"
    # pyHanko's sync calls run an event loop of their own: not in Playwright's thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        signed.write_bytes(pool.submit(sign_outside, to_sign, signer).result())
    page.get_by_label("Tệp PDF đã ký số").set_input_files(str(signed))
    page.get_by_role("button", name="Tải lên bản đã ký").click()
    expect(page.locator(".msg.success")).to_have_text(
        f"Chữ ký số hợp lệ: {LEADER}. Đã lưu bản PDF đã ký."
    )
    status = re.compile(rf"^Đã ký số bởi {LEADER} lúc \d\d/\d\d/\d{{4}} \d\d:\d\d, hợp lệ\.$")
    expect(page.locator("#signature-status")).to_have_text(status)
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(page.locator(".msg.success")).to_have_text("Đã gửi báo cáo lên cấp trên.")

    # The reviewer sees who signed, when, that it is valid, and downloads the signed file.
    page = web.as_user(people["reviewer"])
    page.goto(report_url)
    expect(page.locator("#report-state")).to_have_text("Đã gửi cấp trên")
    expect(page.locator("#signature-status")).to_have_text(status)
    page.screenshot(path=tmp_path / "nguoi-xem.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản PDF đã ký số").click()
    got = Path(download.value.path()).read_bytes()
    assert got == signed.read_bytes()
    signatures = PdfFileReader(io.BytesIO(got)).embedded_signatures
    assert [s.field_name for s in signatures] == ["ChuKyNguoiKy"]
