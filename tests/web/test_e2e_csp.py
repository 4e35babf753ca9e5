"""In headless Chromium, under the strict Content-Security-Policy, the form still computes live.

An official logs in through the form, opens Biểu mẫu 1, types the planned and
done tasks, and sees the rate appear through htmx, while the browser reports no
Content-Security-Policy violation, neither as an event nor in the console.
"""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from tests.web.conftest import PASSWORD
from tests.web.test_e2e_story import (
    CHROMIUM,
    CHROMIUM_ARGS,
    COUNT_HTMX_REQUESTS,
    pytestmark,  # noqa: F401 — the same marks: e2e, and skipped without Chromium
    type_rate_on_form_1,
)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def test_typing_updates_the_rate_with_no_csp_violation(world, live_server, monkeypatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_e2e_story
    form_url = reverse("form-entry", args=[world.report_a.pk, "BM1"])
    console: list[str] = []
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(base_url=live_server.url, locale="vi-VN")
            context.add_init_script(COUNT_HTMX_REQUESTS + RECORD_VIOLATIONS)
            page = context.new_page()
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            response = page.goto("/dang-nhap/")
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.get_by_label("Tên đăng nhập").fill("officer")
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
            page.goto(form_url)
            type_rate_on_form_1(page)
            violations = page.evaluate("window.__cspViolations")
        finally:
            chromium.close()
    assert violations == []
    assert [line for line in console if "Content Security Policy" in line] == []
