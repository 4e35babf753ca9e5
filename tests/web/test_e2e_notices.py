"""In headless Chromium: the notices page and the readable audit log, on a desk screen
(1366 px) and a phone (390 px), with nothing scrolling sideways and no policy violation.

The pictures are kept in docs/screenshots/ when SCREENSHOT_DIR names that folder
(`SCREENSHOT_DIR=docs/screenshots .venv/bin/pytest tests/web/test_e2e_notices.py`).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from cchc.web.notices.models import Notice
from tests.web.conftest import PASSWORD
from tests.web.test_audit_page import story  # noqa: F401 — the report's life, as a fixture
from tests.web.test_e2e_csp import RECORD_VIOLATIONS
from tests.web.test_e2e_story import (
    CHROMIUM,
    CHROMIUM_ARGS,
    pytestmark,  # noqa: F401 — the same marks: e2e, and skipped without Chromium
)

WIDTHS = {"1366": (1366, 900), "390": (390, 844)}
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_notices_and_audit_log_fit_a_desk_and_a_phone(
    story,  # noqa: F811 — the fixture imported above
    live_server,
    monkeypatch,
    tmp_path,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_e2e_story
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    Notice.objects.filter(user=story.officer, kind="assigned").update(
        read_at=story.round.created_at
    )
    audit = reverse("report-audit", args=[story.report_a.pk]) + "?form=BM1"
    seen = {}
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, (width, height) in WIDTHS.items():
                context = chromium.new_context(
                    base_url=live_server.url,
                    locale="vi-VN",
                    viewport={"width": width, "height": height},
                )
                context.add_init_script(RECORD_VIOLATIONS)
                page = context.new_page()
                page.goto("/dang-nhap/")
                page.get_by_label("Tên đăng nhập").fill("officer")
                page.get_by_label("Mật khẩu").fill(PASSWORD)
                page.get_by_role("button", name="Đăng nhập").click()
                expect(page.locator("#notices-link .count")).to_have_text("1")
                page.locator("#notices-link").click()
                expect(page.get_by_role("heading", name="Thông báo")).to_be_visible()
                expect(page.locator("#notices li.unread")).to_have_count(1)
                page.screenshot(path=out / f"thong-bao-{name}.png", full_page=True)
                notices_sideways = page.evaluate(SIDEWAYS)
                page.goto(audit)
                expect(page.locator("#audit tbody tr")).to_have_count(4)
                page.screenshot(path=out / f"nhat-ky-{name}.png", full_page=True)
                seen[name] = (notices_sideways, page.evaluate(SIDEWAYS))
                seen[name + " csp"] = page.evaluate("window.__cspViolations")
                context.close()
        finally:
            chromium.close()
    assert seen == {"1366": (0, 0), "1366 csp": [], "390": (0, 0), "390 csp": []}
