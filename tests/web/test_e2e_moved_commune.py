"""A moved commune's history under its old parent, in headless Chromium on the demo.

Hương Sơn belonged to the district of Nam Đông until 1/7/2025, then to the city of Huế.
Nam Đông's former reviewer still finds the 2024 round in «Đợt báo cáo», sees Hương
Sơn's report in its dashboard and opens it; the unit tree of 30/06/2025 shows the
commune under Nam Đông, today's under Huế.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect, sync_playwright

from cchc.web.demo import PASSWORD, load_demo
from cchc.web.reporting.models import ReportingRound
from tests.web.test_e2e_story import (
    CHROMIUM,
    CHROMIUM_ARGS,
    pytestmark,  # noqa: F401 — the same marks: e2e, and skipped without Chromium
)


def _login(browser, base: str, username: str) -> Page:
    page = browser.new_context(base_url=base, locale="vi-VN").new_page()
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    return page


def test_the_old_districts_reviewer_finds_the_moved_communes_2024_report(
    transactional_db, live_server, monkeypatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_e2e_story
    load_demo()
    old = ReportingRound.objects.get(period_key="2024-H1", issuer__code="H-NAM-DONG")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = _login(chromium, live_server.url, "namdong.noivu")
            page.goto("/dot-bao-cao/")
            page.get_by_role("link", name=old.title).click()
            row = page.locator('tr[data-unit="Xã Hương Sơn"]')
            expect(row).to_have_count(1)
            row.get_by_role("link", name="Xã Hương Sơn").click()
            expect(page.locator("h1")).to_contain_text("Xã Hương Sơn")

            page.goto("/don-vi/?ngay=30/06/2025")
            before = page.locator("main").inner_text()
            assert before.index("Nam Đông") < before.index("Hương Sơn")
        finally:
            chromium.close()
