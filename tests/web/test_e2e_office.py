"""From a round to the document an office sends, clicked through in headless Chromium,
with the mails caught by a real SMTP server (aiosmtpd) on 127.0.0.1.

Two officials fill their parts; the leader fills the document details, sees what is
still empty, approves and submits; the reviewer returns the report with a comment;
both officials find the notice in the app, a mail in their inbox and the report in
«Việc của tôi»; it is fixed, approved, submitted and accepted; the Word file is then
downloaded and opened: number, date, Kính gửi, Nơi nhận, signer and the rate the
core computed are in it.

Then every page of the story is looked at on a 390 px phone and a 1366 px desk:
nothing scrolls sideways and no text is squeezed to a word a line. With
SCREENSHOT_DIR=docs/screenshots the pictures of the document details, the notices
and the audit log are kept there.
"""

from __future__ import annotations

import os
import re
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import Page, expect, sync_playwright

from cchc.core.periods import Period, PeriodType, Window
from cchc.web.organisation.models import OrgUnit
from cchc.web.reporting.models import PartKind, TemplateVersion
from cchc.web.reporting.workflow import services
from tests.web.test_e2e_story import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PASSWORD,
    UNIT_A,
    Browser,
    _cell,
    _open_report_from_my_work,
    _type_value,
    _world,
    pytestmark,  # noqa: F401 — the same marks: e2e, and skipped without Chromium
    type_rate_on_form_1,
)
from tests.web.test_notice_mail import Sink as MailSink
from tests.web.test_notice_mail import free_port, running

SINK_PORT = free_port()
RETURN_COMMENT = "Biểu mẫu 1 thiếu số văn bản chỉ đạo; mục I.1 cần nêu số hội nghị."
SECTION_TEXT = "Ủy ban nhân dân xã ban hành 5 văn bản chỉ đạo về CCHC."
FIXED_TEXT = SECTION_TEXT + " Tổ chức 2 hội nghị triển khai."
REASON = "Các biểu khác kỳ này không phát sinh."
DETAILS = {
    "Địa danh": "An Phú",
    "Ngày": "15/12/2026",
    "Trích yếu": "Kết quả công tác cải cách hành chính 6 tháng cuối năm 2026",
    "Kính gửi (mỗi nơi một dòng)": "UBND tỉnh Quảng Thử\nSở Nội vụ tỉnh Quảng Thử",
    "Nơi nhận": "UBND tỉnh Quảng Thử;\nSở Nội vụ tỉnh Quảng Thử;",
    "Thẩm quyền ký": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
    "Người ký": "Ngô Văn Thành",
}
WIDTHS = {"1366": (1366, 900), "390": (390, 844)}
KEPT = {"thong-tin-van-ban", "thong-bao", "nhat-ky"}  # the pictures docs/office.md shows

# Elements whose text a narrow column squeezes to about one word a line: three words or
# more, and as many rendered lines as words (Range.getClientRects gives one per line).
CRAMPED = """
() => {
  const out = [];
  const seen = new Set();
  const texts = 'td, th, p, li, label, a, h1, h2, small, span'.split(', ').map(t => 'main ' + t);
  for (const el of document.querySelectorAll(texts.join(', '))) {
    const text = (el.innerText || '').trim();
    const words = text.split(/\\s+/).filter(Boolean);
    if (words.length < 3 || el.offsetParent === null) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (tops.size >= words.length && !seen.has(text)) {
      seen.add(text);
      out.push(el.tagName.toLowerCase() + ': ' + text.slice(0, 60));
    }
  }
  return out;
}
"""
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


class Sink(MailSink):
    """The office's mail server as far as cchc can tell: an SMTP conversation, kept."""

    def to(self, address: str, subject: str) -> list[str]:
        return [
            m.get_content()
            for rcpt, m in self.mails
            if address in rcpt and m["Subject"].startswith(subject)
        ]


@pytest.fixture
def sink():
    with running(Sink(), SINK_PORT) as handler:
        yield handler


def _round(people: dict):
    """The round, opened and handed out before the browser starts (the story test clicks
    those steps): Biểu mẫu 1 to the vp-ubnd official, section I.1 to the vp-noi-vu one."""
    province = OrgUnit.objects.get(code="TQT")
    units = list(OrgUnit.objects.filter(code__in=["XAP", "XBM"]).order_by("code"))
    rnd = services.open_round(
        user=people["reviewer"],
        issuer=province,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, 2026, 2),
        units=units,
        window_override=Window(date(2026, 6, 15), date(2026, 12, 14)),
        deadline=timezone.make_aware(datetime(2099, 12, 18, 17, 0)),
    )
    report = rnd.reports.get(unit__code="XAP")
    parts = ((PartKind.FORM, "BM1", "colleague"), (PartKind.SECTION, "I.1", "officer"))
    for kind, code, who in parts:
        services.assign_part(
            user=people["admin"], report=report, kind=kind, code=code, assignee=people[who]
        )
    return report


def _fill_details(page: Page) -> None:
    page.get_by_role("link", name="Thông tin văn bản").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông tin văn bản")
    for label, value in DETAILS.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(page.locator(".msg.success")).to_have_text("Đã lưu thông tin văn bản (Số: 01/BC-UBND).")
    expect(page.locator("#preview-number")).to_have_text("Số: 01/BC-UBND")
    expect(page.locator("#preview-date")).to_have_text("An Phú, ngày 15 tháng 12 năm 2026")
    expect(page.locator("#preview-recipients")).to_contain_text("Sở Nội vụ tỉnh Quảng Thử")
    expect(page.locator("#preview-signer")).to_contain_text("Ngô Văn Thành")


def _approve_and_submit(page: Page) -> None:
    expect(page.locator("#readiness-gaps")).to_contain_text("Biểu mẫu 2: ")
    page.get_by_label(re.compile("Lý do vẫn duyệt")).fill(REASON)
    page.get_by_role("button", name="Lãnh đạo duyệt báo cáo").click()
    expect(page.locator("#report-state")).to_have_text("Lãnh đạo đã duyệt")
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(page.locator("#report-state")).to_have_text("Đã gửi cấp trên")


def _told_of_the_return(page: Page, part: str) -> None:
    """The notice in the app, then the report in «Việc của tôi», marked returned."""
    page.goto("/")
    expect(page.locator("#notices-link .count")).not_to_have_text("0")
    page.locator("#notices-link").click()
    returned = page.locator('#notices li[data-kind="returned"]')
    expect(returned).to_have_count(1)
    expect(returned).to_contain_text(RETURN_COMMENT)
    page.get_by_role("link", name="Việc của tôi", exact=True).click()
    row = page.locator("#my-work tr").filter(has_text=part)
    expect(row.locator(".tag.bad")).to_have_text("Bị trả lại")
    expect(row).to_contain_text(RETURN_COMMENT)


def test_an_office_report_from_the_officials_to_the_document_sent(
    transactional_db, live_server, settings, monkeypatch, sink, tmp_path
) -> None:
    started = time.perf_counter()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_e2e_story
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SINK_PORT
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = live_server.url
    people = _world()
    for user in people.values():
        user.email = f"{user.username}@anphu.gov.vn"
        user.save(update_fields=["email"])
    report = _round(people)
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            web = Browser(chromium, live_server.url)
            seen: dict[str, tuple[int, list[str]]] = {}
            docx = _story(web, people, tmp_path, lambda page, name: _look(page, name, out, seen))
            _small_and_large(chromium, live_server.url, people, report.pk, out, seen)
        finally:
            chromium.close()
    assert web.server_errors == []
    assert web.script_errors == []
    _check_mails(sink, people)
    _check_document(docx)
    assert seen == {name: (0, []) for name in seen}, seen
    print(f"\noffice story: {time.perf_counter() - started:.1f} s")


def _story(web: Browser, people: dict, tmp_path: Path, look) -> Path:
    # 1. The vp-ubnd official types Biểu mẫu 1; the rate comes as she types.
    colleague, officer = people["colleague"], people["officer"]
    page = web.as_user(colleague)
    page.get_by_role("link", name="Biểu mẫu 1: Công tác chỉ đạo điều hành CCHC").click()
    type_rate_on_form_1(page)
    look(page, "bieu-mau-dang-nhap")
    # 2. The vp-noi-vu official writes section I.1.
    page = web.as_user(officer)
    page.get_by_role("link", name=re.compile(r"^Mục I\.1: ")).click()
    page.get_by_role("textbox", name="Nội dung mục I.1").press_sequentially(SECTION_TEXT)
    expect(page.locator("#section-status")).to_have_text("Đã lưu")
    look(page, "muc-dang-viet")

    # 3. The leader: document details, the completeness list, approval with a reason.
    page = web.as_user(people["leader"])
    _open_report_from_my_work(page, UNIT_A)
    _fill_details(page)
    look(page, "thong-tin-van-ban")
    page.get_by_role("link", name=re.compile(f"^← {UNIT_A} — ")).click()
    expect(page.locator("#preview-number")).to_have_text("Số: 01/BC-UBND")
    look(page, "bao-cao-truoc-khi-duyet")
    _approve_and_submit(page)

    # 4. The reviewer returns it with a comment.
    page = web.as_user(people["reviewer"])
    page.get_by_role("link", name="Việc của tôi", exact=True).click()
    page.locator("#to-review").get_by_role("link", name=re.compile(f"^{UNIT_A} — ")).click()
    page.get_by_label("Lý do trả lại").fill(RETURN_COMMENT)
    page.get_by_role("button", name="Trả lại để sửa").click()
    expect(page.locator("#report-state")).to_have_text("Cấp trên trả lại")

    # 5. Both officials are told, in the app, and find the report among their tasks.
    for person, part in ((colleague, "Biểu mẫu 1:"), (officer, "Mục I.1:")):
        _told_of_the_return(web.as_user(person), part)
    look(web.as_user(officer), "viec-cua-toi-bi-tra-lai")
    page = web.as_user(colleague)
    page.locator("#my-work").get_by_role("link", name=re.compile("^Biểu mẫu 1")).click()
    _type_value(page, "Số văn bản chỉ đạo CCHC đã ban hành", "1", "5")
    expect(_cell(page, "Số nhiệm vụ đã hoàn thành")).to_have_value("15")
    page = web.as_user(officer)
    page.locator("#my-work").get_by_role("link", name=re.compile(r"^Mục I\.1")).click()
    text = page.get_by_role("textbox", name="Nội dung mục I.1")
    expect(text).to_have_value(SECTION_TEXT)
    text.press("End")
    text.press_sequentially(FIXED_TEXT[len(SECTION_TEXT) :])
    expect(page.locator("#section-status")).to_have_text("Đã lưu")

    # 6. Approved and submitted again, then accepted.
    page = web.as_user(people["leader"])
    page.goto("/")
    _open_report_from_my_work(page, UNIT_A)
    expect(page.locator("#report-state")).to_have_text("Cấp trên trả lại")
    _approve_and_submit(page)
    page = web.as_user(people["reviewer"])
    page.get_by_role("link", name="Việc của tôi", exact=True).click()
    page.locator("#to-review").get_by_role("link", name=re.compile(f"^{UNIT_A} — ")).click()
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator("#report-state")).to_have_text("Cấp trên đã tiếp nhận")

    # 7. The Word file, as the reviewer downloads it.
    with page.expect_download() as download:
        page.locator("#download-docx").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return path


def _check_mails(sink: Sink, people: dict) -> None:
    for who in ("colleague", "officer", "leader"):
        mails = sink.to(people[who].email, "[Báo cáo CCHC] Báo cáo bị trả lại")
        assert len(mails) == 1, (who, [m["Subject"] for _, m in sink.mails])
        assert RETURN_COMMENT in mails[0]
    assert sink.to(people["reviewer"].email, "[Báo cáo CCHC] Báo cáo bị trả lại") == []
    accepted = sink.to(people["colleague"].email, "[Báo cáo CCHC] Cấp trên đã tiếp nhận")
    assert len(accepted) == 1


def _check_document(path: Path) -> None:
    """The .docx as sent: the header facts in the header table, the rate in Biểu mẫu 1."""
    document = Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text for p in cell.paragraphs]
    text = "\n".join(lines)
    for expected in (
        "Số: 01/BC-UBND",
        "An Phú, ngày 15 tháng 12 năm 2026",
        "Kính gửi:",
        "UBND tỉnh Quảng Thử",
        "Sở Nội vụ tỉnh Quảng Thử",
        "Nơi nhận:",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Ngô Văn Thành",
        FIXED_TEXT,
    ):
        assert expected in text, expected
    rows = {
        (row.cells[0].text.rstrip("."), row.cells[3].text)
        for table in document.tables
        for row in table.rows
        if len(row.cells) >= 4
    }
    assert ("2", "78,95") in rows  # the rate the core computed, printed in its row
    assert ("1", "5") in rows  # a count, whole


def _look(page: Page, name: str, out: Path, seen: dict) -> None:
    """One page at both widths, then back to the story's own."""
    for width, (w, h) in WIDTHS.items():
        page.set_viewport_size({"width": w, "height": h})
        seen[f"{name} {width}"] = (page.evaluate(SIDEWAYS), page.evaluate(CRAMPED))
        if name in KEPT or os.environ.get("SCREENSHOT_ALL"):
            page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _small_and_large(
    chromium, base: str, people: dict, report_pk: int, out: Path, seen: dict
) -> None:
    """Every page of the story at both widths: sideways scroll (px) and squeezed texts."""
    pages = {
        "leader": [
            ("bao-cao", f"/bao-cao/{report_pk}/"),
            ("nhat-ky", f"/bao-cao/{report_pk}/nhat-ky/"),
        ],
        "colleague": [
            ("thong-bao", "/thong-bao/"),
            ("viec-cua-toi", "/"),
            ("bieu-mau", f"/bao-cao/{report_pk}/bieu/BM1/"),
        ],
        "officer": [("muc", f"/bao-cao/{report_pk}/muc/I.1/")],
    }
    for width, (w, h) in WIDTHS.items():
        for who, urls in pages.items():
            context = chromium.new_context(
                base_url=base, locale="vi-VN", viewport={"width": w, "height": h}
            )
            page = context.new_page()
            page.goto("/dang-nhap/")
            page.get_by_label("Tên đăng nhập").fill(people[who].username)
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
            for name, url in urls:
                response = page.goto(url)
                assert response.status == 200, url
                seen[f"{name} {width}"] = (page.evaluate(SIDEWAYS), page.evaluate(CRAMPED))
                if name in KEPT or os.environ.get("SCREENSHOT_ALL"):
                    page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
            context.close()
