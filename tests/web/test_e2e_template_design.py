"""A template version designed in the app's pages, in headless Chromium, then used.

The province's reviewer reads `xa-2022` as the paper form, copies it, adds a rate
row to Biểu mẫu 1 (a wrong formula is refused by the live check, with the place
and the reason), previews it, publishes it, downloads the blank Word form and
opens a round on the new version; the commune's official fills the new row. A
contributor reaches none of the design pages. Screenshots of the new pages, at
1366 px and 390 px, go to `SCREENSHOT_DIR` when it is set (docs/screenshots/).
"""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect, sync_playwright

from cchc.web.organisation.models import Role
from cchc.web.organisation.services import create_unit
from cchc.web.reporting.template_versions import store
from tests.web.test_e2e_story import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Browser,
    _person,
    _settle,
    _type_value,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Chromium at {CHROMIUM}"),
]
expect.set_options(timeout=15_000)

NEW_ROW = "Tỷ lệ nhiệm vụ hoàn thành đúng hạn"
NEW_ROW_WORDS = (
    f"{NEW_ROW} = (Số nhiệm vụ đã hoàn thành đúng hạn ÷ Tổng số nhiệm vụ được giao) × 100"
)
UNIT = "Xã An Phú"


def _world() -> dict:
    store.install_bundled_templates()
    province = create_unit(code="TQT", name="Tỉnh Quảng Thử", level="tinh")
    a = create_unit(code="XAP", name=UNIT, level="xa", parent=province)
    return {
        "reviewer": _person("tinh.noivu", "Lê Thị Thu", province, Role.REVIEWER),
        "officer": _person("ap.vpnv", "Trần Thị Hoa", a, Role.CONTRIBUTOR, "vp-noi-vu"),
        "admin": _person("ap.quantri", "Bùi Thị Hạnh", a, Role.UNIT_ADMIN),
    }


def test_a_reviewer_designs_a_version_opens_a_round_on_it_and_a_commune_fills_it(
    transactional_db, live_server, settings, monkeypatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    people = _world()
    started = time.perf_counter()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            web = Browser(chromium, live_server.url)
            console: list[str] = []
            _story(web, people, console)
        finally:
            chromium.close()
    assert web.server_errors == []
    assert web.script_errors == []
    assert [line for line in console if "Content Security Policy" in line] == []
    print(f"\ntemplate design story: {time.perf_counter() - started:.1f} s")


def _shoot(page: Page, name: str, *, full: bool = True, at: str = "") -> None:
    """The page at 1366 px and 390 px; a long page (the whole paper form) by its first screens."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900 if full else 2400})
        if at:  # the same place at either width, its top at the top of the picture
            page.locator(at).evaluate("e => e.scrollIntoView()")  # honours scroll-margin
        page.screenshot(path=Path(folder) / f"{name}-{width}.png", full_page=full)
    page.set_viewport_size({"width": 1280, "height": 900})


def _new_row(page: Page, n: int, field: str):
    return page.locator(f'[name="r-{n}-{field}"]')


def _story(web: Browser, people: dict, console: list[str]) -> None:
    # 1. The reviewer reads xa-2022 as the paper form and copies it.
    page = web.as_user(people["reviewer"])
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))  # a CSP refusal
    page.get_by_role("navigation").get_by_role("link", name="Mẫu báo cáo").click()
    _shoot(page, "mau-bao-cao")
    page.locator("#template-table").get_by_role("link", name="xa-2022").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Báo cáo cải cách hành chính định kỳ cấp xã (mẫu 2022)"
    )
    expect(page.locator("main")).to_contain_text(
        "Tỷ lệ hoàn thành Kế hoạch CCHC năm = (Số nhiệm vụ đã hoàn thành ÷ "
        "Số nhiệm vụ đề ra trong kế hoạch) × 100"
    )
    _shoot(page, "mau-giay", full=False)
    page.locator("nav.toc").get_by_role("link", name="Biểu mẫu 1").click()
    _shoot(page, "mau-giay-bieu", full=False, at="#form-BM1")
    page.get_by_role("button", name="Sao chép thành phiên bản mới").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Soạn mẫu:")
    expect(page.locator("#check-ok")).to_be_visible()
    expect(page.get_by_label(re.compile("^Mã mẫu"))).to_have_value("xa-2022-2")
    page.get_by_label("Tên mẫu").fill("Báo cáo CCHC định kỳ cấp xã (mẫu 2026)")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".msg.success")).to_have_text("Đã lưu bản nháp.")
    _shoot(page, "soan-mau-chung")
    page.locator("#parts").get_by_role("link", name="Đề cương").click()
    _shoot(page, "soan-mau-de-cuong", full=False)
    page.locator("#parts").get_by_role("link", name="Quy tắc kiểm tra").click()
    _shoot(page, "soan-mau-quy-tac", full=False)

    # 2. A rate row at the end of Biểu mẫu 1: a wrong formula is refused, where and why.
    page.locator("#parts").get_by_role("link", name="Biểu mẫu 1").click()
    page.get_by_role("button", name="Thêm dòng dưới dòng 15").click()  # 4.4, the last of 4
    n = 15
    _new_row(page, n, "code").fill("4.5")
    _new_row(page, n, "name").fill(NEW_ROW)
    _new_row(page, n, "unit").fill("%")
    _new_row(page, n, "formula").fill("[4.2] / * 100")
    _new_row(page, n, "formula").press("Tab")
    expect(page.locator("#check-list")).to_contain_text(
        "Biểu mẫu 1, dòng 16 (mã 4.5), công thức: Biểu thức «[4.2] / * 100»: "
        "thiếu giá trị trước «*» ở vị trí 9."
    )
    _settle(page)
    _shoot(page, "soan-mau-bieu-loi", full=False, at="#r-15")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_role("button", name=re.compile("^Công bố phiên bản")).click()
    expect(page.locator("p.msg.error[role=status]")).to_contain_text(
        "Chưa công bố được: Biểu mẫu 1, dòng 16 (mã 4.5), công thức:"
    )
    page.locator("#check-list").get_by_role("link").first.click()
    _new_row(page, n, "formula").fill("[4.2] / [4.1] * 100")
    _new_row(page, n, "formula").press("Tab")
    expect(page.locator("#check-ok")).to_have_text("Mẫu hợp lệ: có thể xem trước và công bố.")
    _settle(page)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(_new_row(page, n, "formula")).to_have_value("[4.2] / [4.1] * 100")
    _shoot(page, "soan-mau-bieu", full=False, at="main")

    # 3. Previews: the entry form and the paper form, the formula in words.
    page.get_by_role("link", name="Xem trước như biểu nhập số liệu").click()
    expect(page.locator('#form-table tr[data-code="4.5"] td.name')).to_have_text(NEW_ROW)
    _shoot(page, "xem-truoc-nhap")
    page.get_by_role("link", name="← Sửa biểu này").click()
    page.get_by_role("link", name="Xem như mẫu giấy").click()
    expect(page.locator("main")).to_contain_text(NEW_ROW_WORDS)
    page.get_by_role("link", name="← Về bản nháp").click()
    # LibreOffice takes seconds, many on a loaded machine: the navigation is given two minutes.
    page.goto(
        page.get_by_role("link", name="Xem như bản Word").get_attribute("href"), timeout=120_000
    )
    expect(page.locator("#word-pages img").first).to_be_visible()
    _shoot(page, "xem-ban-word", full=False)
    page.get_by_role("link", name="← Về bản nháp").click()

    # 4. Published: it becomes a version; its blank Word form carries the new row.
    page.get_by_role("button", name="Công bố phiên bản «xa-2022-2»").click()
    expect(page.locator(".msg.success")).to_contain_text("Đã công bố mẫu «xa-2022-2»")
    expect(page.locator("#template-facts")).to_contain_text("đã công bố")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải biểu mẫu trống (.docx)").click()
    document = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert NEW_ROW in [c.text for t in document.tables for r in t.rows for c in r.cells]

    # 5. A round on the new version.
    page.get_by_role("navigation").get_by_role("link", name="Đợt báo cáo").click()
    page.get_by_role("link", name="Mở đợt báo cáo mới").click()
    prefill = page.locator("form[method=get]")
    prefill.locator("select[name=period]").select_option(label="6 tháng cuối năm")
    prefill.locator("input[name=year]").fill("2099")
    prefill.get_by_role("button", name=re.compile("^Điền thời gian chốt số liệu")).click()
    form = page.locator("form[method=post]")
    form.locator("select[name=template]").select_option(
        label="xa-2022-2 — Báo cáo CCHC định kỳ cấp xã (mẫu 2026)"
    )
    form.get_by_label(UNIT, exact=True).check()
    form.get_by_role("button", name="Mở đợt báo cáo").click()
    expect(page.locator(".msg.success")).to_contain_text("cho 1 đơn vị")

    # 6. The commune's official fills the new row; the rate is computed beside it.
    page = web.as_user(people["officer"])
    page.get_by_role("link", name="Biểu mẫu 1: Công tác chỉ đạo điều hành CCHC").first.click()
    _type_value(page, "Tổng số nhiệm vụ được giao", "4.1", "8")
    _type_value(page, "Số nhiệm vụ đã hoàn thành đúng hạn", "4.2", "6")
    expect(page.locator('tr[data-code="4.5"] .computed')).to_have_text("= 75,00%")
    _type_value(page, NEW_ROW, "4.5", "75")

    # 7. A contributor reaches none of the design pages.
    for url in ("/mau-bao-cao/xem/xa-2022/", "/mau-bao-cao/ban-nhap/1/"):
        response = page.goto(url)
        assert response is not None and response.status == 403, url
    page.goto("/mau-bao-cao/")
    expect(page.locator("#cannot-add")).to_be_visible()
    expect(page.locator("#template-table a")).to_have_count(0)
