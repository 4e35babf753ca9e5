"""In headless Chromium under the strict CSP: ask for «Gợi ý nội dung», edit the draft,
use it, and find it saved as the section's text after the page reloads."""

from __future__ import annotations

import os
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from cchc.web.reporting.entry import saving
from tests.web.conftest import PASSWORD
from tests.web.test_e2e_csp import RECORD_VIOLATIONS
from tests.web.test_e2e_story import (
    CHROMIUM,
    CHROMIUM_ARGS,
    COUNT_HTMX_REQUESTS,
    pytestmark,  # noqa: F401 — the same marks: e2e, and skipped without Chromium
)

SENTENCE = (
    "Trong kỳ, tổng số hồ sơ TTHC đã giải quyết xong là 1.230 hồ sơ, "
    "số hồ sơ TTHC giải quyết đúng hạn là 1.226 hồ sơ (đạt 99,67%)."
)


def test_ask_for_a_draft_edit_it_and_save_it(world, live_server, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_e2e_story
    saving.save_values(
        user=world.unit_admin,
        report=world.report_a,
        form="BM3",
        changes={"3.3.1": ("1230", None), "3.3.2": ("1226", None)},
    )
    url = reverse("section-edit", args=[world.report_a.pk, "II.2.3.3"])
    edited = SENTENCE + " Không có hồ sơ nào quá hạn."
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(
                base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 900}
            )
            context.add_init_script(COUNT_HTMX_REQUESTS + RECORD_VIOLATIONS)
            page = context.new_page()
            page.goto("/dang-nhap/")
            page.get_by_label("Tên đăng nhập").fill("unit_admin")
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
            page.goto(url)
            page.get_by_role("link", name="Gợi ý nội dung").click()
            draft = page.get_by_label("Gợi ý nội dung mục II.2.3.3")
            expect(draft).to_have_value(SENTENCE)
            expect(page.locator("#draft-figures")).to_contain_text("1.226 hồ sơ")
            assert page.url.endswith(url)  # shown in place, through htmx
            shots = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
            page.locator("#section-draft-card").screenshot(path=shots / "goi-y-noi-dung-1366.png")
            draft.fill(edited)
            page.get_by_role("button", name="Dùng gợi ý này").click()
            expect(page.get_by_text("Đã đưa gợi ý vào nội dung mục và lưu lại.")).to_be_visible()
            expect(page.get_by_label("Nội dung mục II.2.3.3")).to_have_value(edited)
            violations = page.evaluate("window.__cspViolations")
        finally:
            chromium.close()
    assert violations == []
    assert world.report_a.sections.get(code="II.2.3.3").text == edited
