"""A round changed through the real pages in headless Chromium.

The province's reviewer gives Xã An a later deadline, is refused a deadline in the
past, and closes the round. Xã Bình's leader, whose page still shows «Gửi lên cấp
trên», is refused with the reason; the reviewer reopens the round for Xã Bình alone,
and its leader then sends the report while Xã An still cannot. The «Quản lý đợt»
page is looked at at 1366 px and 390 px (pictures in `SCREENSHOT_DIR` when set).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect, sync_playwright

from cchc.web.notices.models import Notice, NoticeKind
from cchc.web.organisation.models import Role
from cchc.web.reporting.models import Report
from cchc.web.reporting.workflow import services
from tests.web.conftest import PASSWORD, _user
from tests.web.test_e2e_csp import RECORD_VIOLATIONS
from tests.web.test_e2e_story import (
    CHROMIUM,
    CHROMIUM_ARGS,
    pytestmark,  # noqa: F401 — the same marks: e2e, and skipped without Chromium
)

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _login(browser, base: str, username: str) -> Page:
    context = browser.new_context(
        base_url=base, locale="vi-VN", viewport={"width": 1366, "height": 900}
    )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    return page


def _row(page: Page, unit: str):
    return page.locator(f'#round-units tr[data-unit="{unit}"]')


def _look(page: Page, out: Path) -> list:
    """Screenshots at a desk and a phone width; what scrolls sideways, what the CSP refused."""
    seen = []
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=out / f"quan-ly-dot-{width}.png", full_page=True)
        seen.append(page.evaluate(SIDEWAYS))
    page.set_viewport_size({"width": 1366, "height": 900})
    return seen + page.evaluate("window.__cspViolations")


def test_a_round_extended_for_one_unit_closed_and_reopened_for_another(
    transactional_db, world, live_server, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see test_e2e_story
    out = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    chief_b = _user("chief_b", world.commune_b, Role.LEADER)
    services.approve_report(user=world.leader, report=world.report_a, reason="Thử.")
    services.approve_report(user=chief_b, report=world.report_b, reason="Thử.")
    errors: list[str] = []
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            reviewer = _login(chromium, live_server.url, "reviewer")
            leader_b = _login(chromium, live_server.url, "chief_b")
            leader_a = _login(chromium, live_server.url, "leader")
            for page in (reviewer, leader_b, leader_a):
                page.on("response", lambda r: r.status >= 500 and errors.append(r.url))

            # The reviewer finds the round and its «Quản lý đợt».
            reviewer.get_by_role("navigation").get_by_role("link", name="Đợt báo cáo").click()
            reviewer.get_by_role("link", name=world.round.title).click()
            reviewer.locator("#round-manage-link").click()
            expect(reviewer.locator("#round-state")).to_have_text("Đang nhận báo cáo")

            # Xã An alone gets a later deadline.
            _row(reviewer, "Xã An").get_by_label("Hạn mới của Xã An").fill("17:00 30/12/2099")
            _row(reviewer, "Xã An").get_by_role("button", name="Gia hạn").click()
            expect(reviewer.locator(".msg").first).to_have_text("Đã gia hạn nộp cho Xã An.")
            expect(_row(reviewer, "Xã An")).to_contain_text("30/12/2099 17:00 gia hạn riêng")
            expect(_row(reviewer, "Xã Bình")).to_contain_text("16/12/2099 17:00")

            # A deadline in the past is refused, with the reason, and nothing changes.
            reviewer.get_by_label("Hạn nộp (giờ, ngày)").fill("17:00 01/01/2020")
            reviewer.get_by_role("button", name="Lưu và báo các đơn vị").click()
            expect(reviewer.locator(".msg.error").first).to_contain_text(
                "Chưa lưu: Hạn nộp 01/01/2020 17:00 đã qua"
            )

            # Xã Bình's leader has the report open, ready to send; the reviewer closes.
            leader_b.goto(reverse("report-detail", args=[world.report_b.pk]))
            expect(leader_b.locator("#submit")).to_be_visible()
            reviewer.get_by_role("button", name="Khóa đợt").click()
            expect(reviewer.locator("#round-state")).to_contain_text("Đã khóa lúc")
            seen = _look(reviewer, out)

            leader_b.locator("#submit").click()
            expect(leader_b.locator("body")).to_contain_text(
                "không nhận báo cáo gửi lên nữa. Hãy liên hệ Tỉnh Thử để được mở lại cho Xã Bình."
            )
            leader_b.goto(reverse("report-detail", args=[world.report_b.pk]))
            expect(leader_b.locator("#round-closed")).to_contain_text("đã khóa lúc")
            expect(leader_b.locator("#submit")).to_have_count(0)

            # Reopened for Xã Bình alone: its leader sends; Xã An still cannot.
            _row(reviewer, "Xã Bình").get_by_label("Hạn mới của Xã Bình").fill("17:00 31/12/2099")
            _row(reviewer, "Xã Bình").get_by_role("button", name="Mở lại cho đơn vị").click()
            expect(reviewer.locator(".msg").first).to_have_text("Đã mở lại đợt cho Xã Bình.")
            expect(_row(reviewer, "Xã Bình")).to_contain_text("được mở lại")
            leader_b.reload()
            leader_b.locator("#submit").click()
            expect(leader_b.locator("#report-state")).to_have_text("Đã gửi cấp trên")
            leader_a.goto(reverse("report-detail", args=[world.report_a.pk]))
            expect(leader_a.locator("#round-closed")).to_contain_text("đã khóa lúc")

            # The round's log says it all, in sentences.
            reviewer.reload()
            log = reviewer.locator("#round-log")
            expect(log).to_contain_text("Mở lại đợt đã khóa cho Xã Bình, hạn nộp 31/12/2099 17:00.")
            expect(log).to_contain_text(
                "Khóa đợt: không nhận báo cáo gửi lên nữa (2 đơn vị chưa gửi)."
            )
            expect(log).to_contain_text(
                "Gia hạn nộp cho Xã An: 16/12/2099 17:00 → 30/12/2099 17:00."
            )
        finally:
            chromium.close()
    assert errors == []
    assert seen == [0, 0]
    assert Report.objects.get(pk=world.report_b.pk).state == "submitted"
    told = Notice.objects.filter(user=chief_b, kind=NoticeKind.ROUND_CHANGED)
    assert sorted(n.text.split(" — ")[0] for n in told) == [
        "reviewer (Tỉnh Thử) khóa đợt: không nhận báo cáo gửi lên nữa",
        "reviewer (Tỉnh Thử) mở lại đợt cho Xã Bình: đơn vị gửi được báo cáo, hạn nộp "
        "31/12/2099 17:00",
    ]
