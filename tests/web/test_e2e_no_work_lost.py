"""In headless Chromium: nothing typed is lost, and the form moves like a spreadsheet.

The official's session ends in the middle of her work (she logs out in another
window); what she types next into the form and the section stays in her browser,
the page says so in Vietnamese, and once she logs in again everything is saved,
except a cell the leader changed meanwhile, which shows the usual conflict
instead of being overwritten. Enter moves to the next cell (no whole-form post,
no false conflict), the arrow keys and Tab move like Excel, and three lines
pasted from Excel fill three cells, each saved.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from cchc.web.reporting.models import Assignment, PartKind, ReportValue, SectionText
from tests.web.conftest import PASSWORD
from tests.web.test_e2e_story import (
    CHROMIUM,
    CHROMIUM_ARGS,
    COUNT_HTMX_REQUESTS,
    _settle,
    pytestmark,  # noqa: F401 — the same marks: e2e, and skipped without Chromium
)

NOTICE = "Phiên đăng nhập đã hết — những gì bạn gõ vẫn được giữ trên máy này; đăng nhập lại để lưu."
UNSAVED = "Chưa lưu — giữ trên máy này"
SECTION_TEXT = "Ủy ban nhân dân xã ban hành 5 văn bản chỉ đạo, tổ chức 2 hội nghị về CCHC."
PLANNED, DONE, ISSUED = (
    "Số nhiệm vụ đề ra trong kế hoạch",
    "Số nhiệm vụ đã hoàn thành",
    "Số văn bản chỉ đạo CCHC đã ban hành",
)
# Where the notice's screenshots go (docs/screenshots/ when refreshing the README's picture).
SHOTS = os.environ.get("E2E_SCREENSHOTS")


@pytest.fixture
def browser(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_e2e_story
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield lambda: _context(chromium, live_server.url)
        finally:
            chromium.close()
            # The ORM reads of the tests, made while Playwright's loop runs, opened their own
            # connection: closed here, or PostgreSQL refuses to drop the test database.
            connections.close_all()


def _context(chromium, base_url: str):
    context = chromium.new_context(
        base_url=base_url, locale="vi-VN", viewport={"width": 1366, "height": 900}
    )
    context.add_init_script(COUNT_HTMX_REQUESTS)
    return context


def _log_in(page: Page, user) -> None:
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def _open_as(context, user, url: str) -> Page:
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    if "/dang-nhap/" in page.url:
        _log_in(page, user)
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Đăng nhập")
    return page


def _cell(page: Page, name: str):
    return page.get_by_role("textbox", name=name, exact=True)


def _status(page: Page, code: str):
    return page.locator(f'tr[data-code="{code}"] .status')


def _form_url(world) -> str:
    return reverse("form-entry", args=[world.report_a.pk, "BM1"])


def _values(world) -> dict[str, tuple[str, int]]:
    return {v.code: (v.raw, v.version) for v in ReportValue.objects.filter(report=world.report_a)}


def test_what_is_typed_after_the_session_ended_is_saved_after_logging_in_again(
    world, browser, tmp_path
) -> None:
    section_url = reverse("section-edit", args=[world.report_a.pk, "I"])
    context = browser()
    form = _open_as(context, world.officer, _form_url(world))
    _cell(form, PLANNED).press_sequentially("19")
    expect(_status(form, "2.1")).to_have_text("Đã lưu")
    _settle(form)
    section = _open_as(context, world.officer, section_url)

    elsewhere = _open_as(context, world.officer, "/")
    elsewhere.get_by_role("button", name="Đăng xuất").click()
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Đăng nhập")

    _cell(form, PLANNED).fill("20")
    _cell(form, DONE).press_sequentially("15")
    _cell(form, ISSUED).press_sequentially("5")
    _settle(form)
    expect(form.locator("#session-ended")).to_have_text(NOTICE)
    assert [_status(form, code).inner_text() for code in ("2.1", "2.2", "1")] == [UNSAVED] * 3
    section.get_by_role("textbox", name="Nội dung mục I").press_sequentially(SECTION_TEXT)
    _settle(section)
    expect(section.locator("#session-ended")).to_be_visible()
    expect(section.locator("#section-status")).to_have_text(UNSAVED)
    for width, height in ((1366, 700), (390, 844)):
        form.set_viewport_size({"width": width, "height": height})
        name = "phien-het-han.png" if width == 1366 else f"phien-het-han-{width}.png"
        form.screenshot(path=Path(SHOTS or tmp_path) / name)
    form.set_viewport_size({"width": 1366, "height": 900})

    # Meanwhile the leader writes another number into the cell the official typed over.
    leader = _open_as(browser(), world.leader, _form_url(world))
    _cell(leader, ISSUED).press_sequentially("7")
    expect(_status(leader, "1")).to_have_text("Đã lưu")
    _settle(leader)

    form.locator("#session-ended").get_by_role("link", name="đăng nhập lại để lưu").click()
    _log_in(form, world.officer)
    expect(form).to_have_url(f"{form.url.split('/bao-cao/')[0]}{_form_url(world)}")
    expect(_status(form, "2.1")).to_have_text("Đã lưu")
    expect(_status(form, "2.2")).to_have_text("Đã lưu")
    expect(form.locator('tr[data-code="2"] .computed')).to_have_text("= 75,00%")
    expect(_status(form, "1")).to_contain_text(
        "leader vừa lưu giá trị «7». Giá trị «5» của bạn chưa được lưu."
    )
    _settle(form)
    saved_before_choosing = _values(world)
    form.get_by_role("button", name="Ghi đè bằng giá trị của tôi").click()
    expect(_status(form, "1")).to_have_text("Đã lưu")
    _settle(form)

    section.reload()
    expect(section.locator("#section-status")).to_have_text("Đã lưu")
    _settle(section)
    kept = form.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('cchc:'))")

    assert saved_before_choosing == {"2.1": ("20", 2), "2.2": ("15", 1), "1": ("7", 1)}
    assert _values(world) == {"2.1": ("20", 2), "2.2": ("15", 1), "1": ("5", 2)}
    assert SectionText.objects.get(report=world.report_a, code="I").text == SECTION_TEXT
    assert kept == []


def test_enter_after_typing_moves_down_and_saves_the_value_once(world, browser) -> None:
    form = _open_as(browser(), world.officer, _form_url(world))
    form.evaluate("window.__sameDocument = true")
    _cell(form, PLANNED).press_sequentially("19")
    form.keyboard.press("Enter")
    expect(_cell(form, DONE)).to_be_focused()
    form.keyboard.type("15")
    form.keyboard.press("Enter")
    expect(_cell(form, "Số tổ chức đã kiểm tra")).to_be_focused()
    _settle(form)
    expect(_status(form, "2.1")).to_have_text("Đã lưu")
    expect(_status(form, "2.2")).to_have_text("Đã lưu")
    expect(form.locator('tr[data-code="2"] .computed')).to_have_text("= 78,95%")
    assert form.locator(".conflict, .msg:not([hidden])").count() == 0
    assert form.evaluate("window.__sameDocument === true"), "Enter posted the whole form"
    assert _values(world) == {"2.1": ("19", 1), "2.2": ("15", 1)}


def test_arrow_keys_and_tab_move_like_a_spreadsheet(world, browser) -> None:
    form = _open_as(browser(), world.officer, _form_url(world))
    rate = _cell(form, "Tỷ lệ hoàn thành Kế hoạch CCHC năm")
    planned, done = _cell(form, PLANNED), _cell(form, DONE)
    planned_note = form.get_by_role("textbox", name="Ghi chú 2.1")
    moves = [
        (planned, "ArrowDown", done),
        (done, "ArrowDown", _cell(form, "Số tổ chức đã kiểm tra")),  # over the heading row 3
        (planned, "ArrowUp", rate),
        (planned, "ArrowRight", planned_note),  # an empty cell: the caret is at its end
        (planned_note, "ArrowLeft", planned),
        (planned, "Tab", planned_note),
        (planned_note, "Tab", done),
        (done, "Shift+Tab", planned_note),
    ]
    reached = []
    for start, key, _ in moves:
        start.focus()
        form.keyboard.press(key)
        reached.append(form.evaluate("document.activeElement.getAttribute('aria-label')"))
    assert reached == [end.get_attribute("aria-label") for _, _, end in moves]

    planned.fill("19")  # the caret at the end of the text: left stays in the cell
    form.keyboard.press("ArrowLeft")
    expect(planned).to_be_focused()
    assert form.evaluate("document.activeElement.selectionStart") == 1


def test_three_lines_pasted_from_excel_fill_three_cells_and_are_saved(world, browser) -> None:
    context = browser()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    form = _open_as(context, world.officer, _form_url(world))
    form.evaluate("navigator.clipboard.writeText('8\\r\\n6\\r\\n10\\r\\n')")
    _cell(form, "Số vấn đề phát hiện qua kiểm tra").focus()
    form.keyboard.press("Control+V")
    for code in ("3.3.1", "3.3.2", "4.1"):
        expect(_status(form, code)).to_have_text("Đã lưu")
    expect(form.locator('tr[data-code="3.3"] .computed')).to_have_text("= 75,00%")
    _settle(form)
    assert _values(world) == {"3.3.1": ("8", 1), "3.3.2": ("6", 1), "4.1": ("10", 1)}


def test_a_section_text_that_met_another_save_is_kept_beside_it_until_chosen(
    world, browser, tmp_path
) -> None:
    section_url = reverse("section-edit", args=[world.report_a.pk, "I"])
    context = browser()
    section = _open_as(context, world.officer, section_url)
    _open_as(context, world.officer, "/").get_by_role("button", name="Đăng xuất").click()
    text = section.get_by_role("textbox", name="Nội dung mục I")
    text.press_sequentially(SECTION_TEXT)
    _settle(section)
    expect(section.locator("#section-status")).to_have_text(UNSAVED)

    leader = _open_as(browser(), world.leader, section_url)
    leader.get_by_role("textbox", name="Nội dung mục I").press_sequentially("Bản của lãnh đạo.")
    expect(leader.locator("#section-status")).to_have_text("Đã lưu")
    _settle(leader)

    section.get_by_role("link", name="đăng nhập lại để lưu").click()
    _log_in(section, world.officer)
    expect(section.locator("#section-status")).to_contain_text("leader vừa lưu mục này")
    _settle(section)
    section.reload()
    expect(text).to_have_value("Bản của lãnh đạo.")
    expect(section.get_by_role("textbox", name="Bản của bạn chưa được lưu")).to_have_value(
        SECTION_TEXT
    )
    section.screenshot(path=tmp_path / "ban-cua-toi.png", full_page=True)
    section.get_by_role("button", name="Dùng bản của tôi thay bản đang lưu").click()
    expect(section.locator("#section-status")).to_have_text("Đã lưu")
    _settle(section)
    kept = section.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('cchc:'))")
    assert SectionText.objects.get(report=world.report_a, code="I").text == SECTION_TEXT
    assert kept == []


def test_a_page_left_open_saves_again_once_she_logged_in_in_another_window(world, browser):
    context = browser()
    form = _open_as(context, world.officer, _form_url(world))
    elsewhere = _open_as(context, world.officer, "/")
    elsewhere.get_by_role("button", name="Đăng xuất").click()
    _cell(form, PLANNED).press_sequentially("19")
    expect(_status(form, "2.1")).to_have_text(UNSAVED)
    _settle(form)
    _log_in(elsewhere, world.officer)  # a new session, and a new CSRF token
    expect(elsewhere.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    _cell(form, DONE).press_sequentially("15")
    expect(_status(form, "2.2")).to_have_text("Đã lưu")
    form.get_by_role("button", name="Lưu tất cả").click()  # sends what is still kept
    expect(_status(form, "2.1")).to_have_text("Đã lưu")
    _settle(form)
    assert _values(world) == {"2.1": ("19", 1), "2.2": ("15", 1)}


def test_a_refused_save_says_why_in_the_cell_and_the_value_stays_kept(world, browser) -> None:
    form = _open_as(browser(), world.officer, _form_url(world))
    Assignment.objects.filter(report=world.report_a, kind=PartKind.FORM, code="BM1").update(
        user=world.colleague
    )
    _cell(form, PLANNED).press_sequentially("19")
    expect(_status(form, "2.1")).to_have_text("Bạn không được phân công biểu BM1 của báo cáo này.")
    _settle(form)
    kept = form.evaluate("Object.values(localStorage)")
    assert kept == ['{"value":"19","version":"0"}']
    assert _values(world) == {}
