"""In headless Chromium: a commune's old Word report (seed 002) uploaded, its section texts
reviewed beside its figures, one part placed by hand, saved on «Nhập», on a phone too
(the picture goes to SCREENSHOT_DIR when set, as nhap-loi-van-390.png)."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from cchc.web.reporting.models import SectionText
from tests.seed_docx import seed_as_docx
from tests.seeds import SEED_002
from tests.web.conftest import PASSWORD
from tests.web.test_e2e_csp import RECORD_VIOLATIONS
from tests.web.test_e2e_office import CRAMPED, SIDEWAYS
from tests.web.test_e2e_story import (
    CHROMIUM,
    CHROMIUM_ARGS,
    pytestmark,  # noqa: F401 — the same marks: e2e, and skipped without Chromium
)
from tests.web.test_narrative_import import _report


def test_an_old_word_report_brings_its_sections_after_review(
    world, live_server, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_e2e_story
    report = _report(world, "ha-trung-9t-2022", 2022)
    upload = tmp_path / "bao-cao-9-thang-2022.docx"
    upload.write_bytes(seed_as_docx(SEED_002))
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(
                base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}
            )
            context.add_init_script(RECORD_VIOLATIONS)
            page = context.new_page()
            page.goto("/dang-nhap/")
            page.get_by_label("Tên đăng nhập").fill("leader")
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.goto(f"/bao-cao/{report.pk}/nhap-tep/")
            page.locator("input[type=file]").set_input_files(upload)
            page.get_by_role("button", name="Đọc tệp").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text(upload.name)
            expect(page.locator("#sections-summary")).to_contain_text(
                "Tệp có 17 phần có nội dung; 16 phần khớp một mục của đề cương."
            )
            misnumbered = page.locator('#review-sections tr[data-part="9"]')
            expect(misnumbered.locator("strong")).to_contain_text("3.1. rà soát về vị trí")
            expect(misnumbered).to_contain_text("khớp theo tên đề mục (số thứ tự khác)")
            expect(misnumbered.locator("select")).to_have_value("2.3.1")
            opening = page.locator('#review-sections tr[data-part="0"]')
            expect(opening.locator("input[type=checkbox]")).not_to_be_checked()
            opening.locator("select").select_option("1")  # the opening, put under section 1
            opening.locator("input[type=checkbox]").check()
            fits = (page.evaluate(SIDEWAYS), page.evaluate(CRAMPED))
            out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
            page.screenshot(path=out / "nhap-loi-van-390.png", full_page=True)
            assert SectionText.objects.filter(report=report).count() == 0
            page.get_by_role("button", name="Nhập các phần đã chọn").click()
            expect(page.locator(".msg.success")).to_contain_text("và 17 mục đề cương từ")
            violations = page.evaluate("window.__cspViolations")
            context.close()
        finally:
            chromium.close()
    texts = dict(SectionText.objects.filter(report=report).values_list("code", "text"))
    assert texts["1"].startswith("Thực hiện Công văn số 2384/UBND-NV")
    assert texts["2.3.1"].startswith("Hiện tại UBND xã Hà Vinh")
    assert (fits, violations) == ((0, []), [])
