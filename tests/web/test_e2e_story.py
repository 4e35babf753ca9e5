"""The whole reporting story, clicked through the real pages in headless Chromium.

A province's Home Affairs reviewer opens a round for two communes; commune A's
admin hands Biểu mẫu 1 to a second official, who types the numbers and sees the
rate computed as she types; a colleague writes section I.1; the leader approves
and submits; the reviewer returns it, it is fixed, resubmitted and accepted;
an official of commune B is refused A's pages and API.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect, sync_playwright

from cchc.web.organisation.models import Membership, Role
from cchc.web.organisation.services import create_unit
from cchc.web.reporting.template_versions import store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "mat-khau-e2e"
TEMPLATE_LABEL = "xa-2022 — Báo cáo cải cách hành chính định kỳ cấp xã (mẫu 2022)"
UNIT_A, UNIT_B = "Xã An Phú", "Xã Bình Minh"
RETURN_COMMENT = "Thiếu số văn bản chỉ đạo CCHC đã ban hành (Biểu mẫu 1, chỉ tiêu 1)."
SECTION_TEXT = "Ủy ban nhân dân xã ban hành 5 văn bản chỉ đạo, tổ chức 2 hội nghị về CCHC."

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"end-to-end test needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]

expect.set_options(timeout=10_000)

# Counts the page's htmx requests still waiting for an answer (see `_settle`).
COUNT_HTMX_REQUESTS = """
window.__htmxPending = 0;
document.addEventListener("htmx:beforeRequest", () => { window.__htmxPending += 1; });
document.addEventListener("htmx:afterRequest", () => { window.__htmxPending -= 1; });
"""


def _person(username: str, name: str, unit, role: str, duty: str = ""):
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=name)
    Membership.objects.create(user=user, unit=unit, role=role, duty=duty)
    return user


def _world() -> dict:
    store.install_bundled_templates()
    province = create_unit(code="TQT", name="Tỉnh Quảng Thử", level="tinh")
    a = create_unit(code="XAP", name=UNIT_A, level="xa", parent=province)
    b = create_unit(code="XBM", name=UNIT_B, level="xa", parent=province)
    return {
        "reviewer": _person("tinh.noivu", "Lê Thị Thu", province, Role.REVIEWER),
        "admin": _person("ap.quantri", "Bùi Thị Hạnh", a, Role.UNIT_ADMIN),
        "leader": _person("ap.lanhdao", "Ngô Văn Thành", a, Role.LEADER),
        "officer": _person("ap.vpnv", "Trần Thị Hoa", a, Role.CONTRIBUTOR, "vp-noi-vu"),
        "colleague": _person("ap.vpubnd", "Phạm Thị Lan", a, Role.CONTRIBUTOR, "vp-ubnd"),
        "outsider": _person("bm.vpnv", "Đỗ Minh Khoa", b, Role.CONTRIBUTOR, "vp-noi-vu"),
    }


class Browser:
    """One headless Chromium; each persona gets a fresh context and logs in through the form."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser, self.base = browser, base_url
        self.pages: dict[str, Page] = {}
        self.server_errors: list[str] = []
        self.script_errors: list[str] = []

    def as_user(self, user) -> Page:
        if user.username in self.pages:
            return self.pages[user.username]
        context = self.browser.new_context(
            base_url=self.base, locale="vi-VN", viewport={"width": 1280, "height": 900}
        )
        context.add_init_script(COUNT_HTMX_REQUESTS)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on(
            "response",
            lambda r: r.status >= 500 and self.server_errors.append(f"{r.status} {r.url}"),
        )
        page.on("pageerror", lambda e: self.script_errors.append(str(e)))
        page.goto("/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(user.username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
        expect(page.locator("form.who span")).to_have_text(user.first_name)
        self.pages[user.username] = page
        return page


def _dashboard(page: Page, round_title: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Đợt báo cáo").click()
    page.get_by_role("link", name=round_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(round_title)


def _unit_status(page: Page, unit: str):
    return page.locator(f'#round-reports tr[data-unit="{unit}"] .tag')


def _open_report_from_my_work(page: Page, unit: str) -> None:
    page.get_by_role("link", name="Việc của tôi", exact=True).click()
    tasks = page.locator("#to-lead, #to-assign")  # the leader's and the unit admin's reports
    tasks.get_by_role("link", name=re.compile(f"^{unit} — ")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(unit)


def _cell(page: Page, name: str):
    return page.get_by_role("textbox", name=name, exact=True)


def _saved(page: Page, code: str):
    return page.locator(f'tr[data-code="{code}"] .status')


def _settle(page: Page) -> None:
    """Leave the field being edited (its change event saves it once more), wait for the saves.

    A person sees «Đã lưu» before moving on; the test does the same before the next
    click. It also must: pytest-django hands the live server the test's own in-memory
    SQLite connection, shared by every request thread, and two requests running at
    once on it can fail with «database table is locked». PostgreSQL and the app's own
    SQLite file, one connection per request, wait for the lock instead.
    """
    page.evaluate("document.activeElement && document.activeElement.blur()")
    # Polled from here: `wait_for_function` evaluates a string in the page, which the
    # Content-Security-Policy (no 'unsafe-eval') refuses; `evaluate` is not subject to it.
    waited_until = time.monotonic() + 15
    while page.evaluate("window.__htmxPending") != 0:
        assert time.monotonic() < waited_until, "htmx requests still pending after 15 s"
        page.wait_for_timeout(20)


def _type_value(page: Page, name: str, code: str, text: str) -> None:
    page.wait_for_load_state("load")  # htmx and grid.js run: typing right after a click raced them
    _cell(page, name).press_sequentially(text)
    expect(_saved(page, code)).to_have_text("Đã lưu")
    _settle(page)


def type_rate_on_form_1(page: Page) -> None:
    """On Biểu mẫu 1, type planned and done tasks; the rate appears without a reload."""
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Biểu mẫu 1: Công tác chỉ đạo điều hành CCHC"
    )
    page.evaluate("window.__sameDocument = true")
    _type_value(page, "Số nhiệm vụ đề ra trong kế hoạch", "2.1", "19")
    _type_value(page, "Số nhiệm vụ đã hoàn thành", "2.2", "15")
    expect(page.locator('tr[data-code="2"] .computed')).to_have_text("= 78,95%")
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def test_a_round_from_opening_to_acceptance(
    transactional_db, live_server, settings, monkeypatch, tmp_path
) -> None:
    started = time.perf_counter()
    # Playwright's sync API runs an event loop in this thread, so Django believes the ORM
    # is called from async code; pytest-django's documentation gives this switch for it.
    # Set for this test only, so that the other tests keep Django's check. (The story
    # itself reads everything from the pages: an ORM call made while that loop runs
    # would open a second connection that nobody closes.)
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # A second per hash, twelve hashes: the login form is what is tested, not PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    people = _world()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            web = Browser(chromium, live_server.url)
            _story(web, people, tmp_path)
        finally:
            chromium.close()
    assert web.server_errors == []
    assert web.script_errors == []
    print(f"\nend-to-end story: {time.perf_counter() - started:.1f} s")


def _story(web: Browser, people: dict, tmp_path: Path) -> None:
    # 1. The reviewer opens the round; window and deadline come prefilled.
    page = web.as_user(people["reviewer"])
    page.get_by_role("navigation").get_by_role("link", name="Đợt báo cáo").click()
    page.get_by_role("link", name="Mở đợt báo cáo mới").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mở đợt báo cáo")
    prefill = page.locator("form[method=get]")
    prefill.locator("select[name=period]").select_option(label="6 tháng cuối năm")
    prefill.locator("input[name=year]").fill("2026")
    prefill.get_by_role("button", name=re.compile("^Điền thời gian chốt số liệu")).click()
    form = page.locator("form[method=post]")
    expect(form.locator("select[name=period]")).to_have_value("half_year-2")
    expect(form.locator("input[name=year]")).to_have_value("2026")
    expect(form.locator("input[name=window_start]")).to_have_value("15/06/2026")
    expect(form.locator("input[name=window_end]")).to_have_value("14/12/2026")
    expect(form.locator("input[name=deadline]")).to_have_value("17:00 18/12/2026")
    form.locator("select[name=template]").select_option(label=TEMPLATE_LABEL)
    form.get_by_label(UNIT_A, exact=True).check()
    form.get_by_label(UNIT_B, exact=True).check()
    form.get_by_role("button", name="Mở đợt báo cáo").click()
    expect(page.locator(".msg.success")).to_contain_text("cho 2 đơn vị")
    round_title = page.get_by_role("heading", level=1).inner_text()
    assert round_title.startswith("Báo cáo CCHC 6 tháng cuối năm 2026")
    expect(page.locator("main")).to_contain_text("Chốt số liệu 15/06/2026 → 14/12/2026")
    expect(page.locator("main")).to_contain_text("Hạn nộp 18/12/2026 17:00")
    expect(_unit_status(page, UNIT_A)).to_have_text("Chưa bắt đầu")
    expect(_unit_status(page, UNIT_B)).to_have_text("Chưa bắt đầu")
    report_a_url = page.locator(f'#round-reports tr[data-unit="{UNIT_A}"] a').get_attribute("href")
    assert re.fullmatch(r"/bao-cao/\d+/", report_a_url), report_a_url

    # 2. Commune A's admin gives Biểu mẫu 1 to the vp-ubnd official.
    colleague = people["colleague"]
    page = web.as_user(people["admin"])
    _open_report_from_my_work(page, UNIT_A)
    page.get_by_role("link", name="Phân công").click()
    bm1 = page.locator('#assignments select[name="form:BM1"]')
    expect(bm1.locator("option:checked")).to_have_text(people["officer"].first_name)
    bm1.select_option(label=colleague.first_name)
    page.get_by_role("button", name="Lưu phân công").click()
    expect(page.locator(".msg.success")).to_have_text("Đã lưu phân công (1 thay đổi).")
    expect(bm1).to_have_value(str(colleague.pk))
    expect(bm1.locator("option:checked")).to_have_text(colleague.first_name)
    page.get_by_role("link", name="← Về báo cáo").click()
    bm1_item = page.locator("ul.parts li").filter(has_text="Biểu mẫu 1:")
    expect(bm1_item.locator(".who")).to_have_text(colleague.first_name)

    # 3. She types the numbers; the rate appears without a reload; then the section text.
    page = web.as_user(colleague)
    page.get_by_role("link", name="Biểu mẫu 1: Công tác chỉ đạo điều hành CCHC").click()
    type_rate_on_form_1(page)
    page.screenshot(path=tmp_path / "bieu-mau-1.png", full_page=True)
    page.get_by_role("button", name="Đánh dấu đã xong biểu này").click()
    # Cells are still empty: «xong» lists them and goes on only with a reason.
    expect(page.locator("#incomplete-message")).to_contain_text("Biểu BM1 chưa xong:")
    page.get_by_label("Lý do vẫn tiếp tục").fill("Các chỉ tiêu còn lại kỳ này không phát sinh.")
    page.get_by_role("button", name="Xác nhận và tiếp tục").click()
    expect(page.locator(".msg.success")).to_have_text("Đã đánh dấu hoàn thành.")
    bm1_item = page.locator("ul.parts li").filter(has_text="Biểu mẫu 1:")
    expect(bm1_item.locator(".tag.ok")).to_have_text("xong")

    page = web.as_user(people["officer"])
    expect(page.locator("#my-work")).not_to_contain_text("Biểu mẫu 1")
    page.get_by_role("link", name=re.compile(r"^Mục I\.1: ")).click()
    text = page.get_by_role("textbox", name="Nội dung mục I.1")
    text.press_sequentially(SECTION_TEXT)
    expect(page.locator("#section-status")).to_have_text("Đã lưu")
    _settle(page)
    page.reload()
    expect(page.get_by_role("textbox", name="Nội dung mục I.1")).to_have_value(SECTION_TEXT)

    # 4. The leader fills the document details, sees what is still empty and the
    # document as it prints, approves with a reason and submits.
    page = web.as_user(people["leader"])
    _open_report_from_my_work(page, UNIT_A)
    page.get_by_role("link", name="Thông tin văn bản").click()
    page.get_by_label("Người ký").fill("Nguyễn Văn A")
    page.get_by_role("button", name="Lưu thông tin văn bản").click()
    expect(page.locator(".msg.success")).to_have_text("Đã lưu thông tin văn bản (Số: 01/BC-UBND).")
    expect(page.locator("#preview-signer")).to_contain_text("Nguyễn Văn A")
    page.get_by_role("link", name=re.compile(f"^← {UNIT_A} — ")).click()
    expect(page.locator("#readiness-gaps")).to_contain_text("Biểu mẫu 2: ")
    expect(page.locator("#preview-number")).to_have_text("Số: 01/BC-UBND")
    page.get_by_label(re.compile("Lý do vẫn duyệt")).fill("Các biểu khác không phát sinh.")
    page.get_by_role("button", name="Lãnh đạo duyệt báo cáo").click()
    expect(page.locator(".msg.success")).to_have_text("Lãnh đạo đã duyệt báo cáo.")
    expect(page.locator("#report-state")).to_have_text("Lãnh đạo đã duyệt")
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(page.locator(".msg.success")).to_have_text("Đã gửi báo cáo lên cấp trên.")
    expect(page.locator("#report-state")).to_have_text("Đã gửi cấp trên")

    # 5. The reviewer returns it with a comment.
    page = web.as_user(people["reviewer"])
    _dashboard(page, round_title)
    expect(_unit_status(page, UNIT_A)).to_have_text("Đã gửi đúng hạn")
    page.locator("#round-reports").get_by_role("link", name=UNIT_A).click()
    page.get_by_label("Lý do trả lại").fill(RETURN_COMMENT)
    page.get_by_role("button", name="Trả lại để sửa").click()
    expect(page.locator(".msg.success")).to_have_text("Đã trả lại báo cáo cho đơn vị.")
    expect(page.locator("#report-state")).to_have_text("Cấp trên trả lại")
    _dashboard(page, round_title)
    expect(_unit_status(page, UNIT_A)).to_have_text("Bị trả lại")

    # 6. Fixed, approved and resubmitted, then accepted.
    page = web.as_user(colleague)
    page.get_by_role("link", name="Việc của tôi", exact=True).click()
    page.get_by_role("link", name="Biểu mẫu 1: Công tác chỉ đạo điều hành CCHC").click()
    expect(_cell(page, "Số nhiệm vụ đề ra trong kế hoạch")).to_have_value("19")
    expect(_cell(page, "Số nhiệm vụ đã hoàn thành")).to_have_value("15")
    _type_value(page, "Số văn bản chỉ đạo CCHC đã ban hành", "1", "5")
    page.get_by_role("link", name=re.compile(f"^← {UNIT_A} — ")).click()
    expect(page.locator(".msg.error")).to_have_text(f"Cấp trên trả lại: {RETURN_COMMENT}")

    page = web.as_user(people["leader"])
    page.reload()
    expect(page.locator("#report-state")).to_have_text("Cấp trên trả lại")
    page.get_by_label(re.compile("Lý do vẫn duyệt")).fill("Các biểu khác không phát sinh.")
    page.get_by_role("button", name="Lãnh đạo duyệt báo cáo").click()
    expect(page.locator("#report-state")).to_have_text("Lãnh đạo đã duyệt")
    page.get_by_role("button", name="Gửi lên cấp trên").click()
    expect(page.locator("#report-state")).to_have_text("Đã gửi cấp trên")

    page = web.as_user(people["reviewer"])
    page.locator("#round-reports").get_by_role("link", name=UNIT_A).click()
    page.get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator(".msg.success")).to_have_text("Đã tiếp nhận báo cáo.")
    expect(page.locator("#report-state")).to_have_text("Cấp trên đã tiếp nhận")
    _dashboard(page, round_title)
    expect(_unit_status(page, UNIT_A)).to_have_text("Đã tiếp nhận")
    expect(_unit_status(page, UNIT_B)).to_have_text("Chưa bắt đầu")
    counts = page.locator("#status-counts")
    expect(counts.locator("li").first).to_have_text("Tất cả: 2")
    expected = {
        "not_started": "Chưa bắt đầu: 1",
        "in_progress": "Đang thực hiện: 0",
        "on_time": "Đã gửi đúng hạn: 0",
        "late": "Đã gửi muộn: 0",
        "returned": "Bị trả lại: 0",
        "accepted": "Đã tiếp nhận: 1",
    }
    for status, label in expected.items():
        expect(counts.locator(f'a[data-status="{status}"]')).to_have_text(label)

    # 7. Commune B's official may see none of commune A's report.
    page = web.as_user(people["outsider"])
    refusal = f"Bạn không có quyền xem báo cáo của {UNIT_A}."
    for url in (report_a_url, f"{report_a_url}bieu/BM1/"):
        response = page.goto(url)
        assert response.status == 403, url
        expect(page.locator("#refusal")).to_have_text(refusal)
    response = page.goto(f"/api{report_a_url}")
    assert response.status == 403
    assert response.json() == {"error": refusal}
