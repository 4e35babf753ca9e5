"""Assignments through the real pages in headless Chromium.

The commune's chairman splits the report as seed 000's directive does: by duty, in
one action, with the officials' internal deadline (10:00 09/06, the commune submits
later), and gives part II, which names no duty, by ticking it. The Tư pháp official
finds his form and its internal deadline in «Việc của tôi». On a pl-2024 report the
province's rows are read-only for the commune. Screenshots at 1366 px and 390 px go
to `SCREENSHOT_DIR` when it is set (docs/screenshots/ is made that way); nothing may
scroll sideways at either width.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from cchc.core.periods import Period, PeriodType
from cchc.web.organisation.models import Membership, Role
from cchc.web.organisation.services import create_unit
from cchc.web.reporting.models import TemplateVersion
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import services
from tests.web.test_e2e_csp import RECORD_VIOLATIONS
from tests.web.test_e2e_story import CHROMIUM, CHROMIUM_ARGS

PASSWORD = "mat-khau-e2e"
SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Chromium at {CHROMIUM}"),
]
expect.set_options(timeout=10_000)

STAFF = [  # login, name, title (chức vụ), duty: the officials seed 000 writes to
    ("bl.vpnv", "Trần Thị Hoa", "Công chức Văn phòng - Thống kê (Đảng ủy, Nội vụ)", "vp-noi-vu"),
    ("bl.vpubnd", "Đỗ Văn Bình", "Công chức Văn phòng - Thống kê (HĐND - UBND)", "vp-ubnd"),
    ("bl.tuphap", "Lê Văn Lâm", "Công chức Tư pháp - Hộ tịch", "tu-phap"),
    ("bl.taichinh", "Phạm Minh Tâm", "Công chức Tài chính - Kế toán", "tai-chinh"),
    ("bl.vanhoa", "Nguyễn Thị Sen", "Công chức Văn hóa - xã hội", "van-hoa-xh"),
]


def _person(username: str, name: str, unit, role: str, title: str = "", duty: str = ""):
    user = get_user_model().objects.create_user(username, password=PASSWORD, first_name=name)
    Membership.objects.create(user=user, unit=unit, role=role, title=title, duty=duty)
    return user


def _world() -> None:
    store.install_bundled_templates()
    province = create_unit(code="TTK", name="Tỉnh Thử Kỳ", level="tinh")
    commune = create_unit(code="XBL", name="Xã Bình Lãng", level="xa", parent=province)
    reviewer = _person("tinh.noivu", "Lê Thị Thu", province, Role.REVIEWER)
    _person("bl.chutich", "Trần Xuân Mãng", commune, Role.LEADER, "Chủ tịch UBND xã")
    for template, deadline in (("xa-2022", datetime(2099, 6, 15, 17)), ("pl-2024", None)):
        services.open_round(
            user=reviewer,
            issuer=province,
            template=TemplateVersion.objects.get(template_id=template),
            period=Period(PeriodType.HALF_YEAR, 2099 if deadline else 2098, 1),
            units=[commune],
            deadline=timezone.make_aware(deadline or datetime(2099, 6, 20, 17)),
        )
    # the officials are given their duties after the rounds opened: nothing is theirs yet
    for username, name, title, duty in STAFF:
        _person(username, name, commune, Role.CONTRIBUTOR, title, duty)


def _login(browser, base: str, username: str, errors: list[str]) -> Page:
    context = browser.new_context(
        base_url=base, locale="vi-VN", viewport={"width": 1366, "height": 900}
    )
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.on("response", lambda r: r.status >= 500 and errors.append(f"{r.status} {r.url}"))
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    return page


def _shoot(page: Page, name: str, seen: dict) -> None:
    """Both widths; what scrolls sideways and any CSP violation are kept for the assert."""
    folder = os.environ.get("SCREENSHOT_DIR")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        seen[f"{name}-{width}"] = page.evaluate(SIDEWAYS)
        if folder:
            page.screenshot(path=Path(folder) / f"{name}-{width}.png", full_page=True)
    seen[f"{name} csp"] = page.evaluate("window.__cspViolations")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_the_leader_splits_the_report_by_duty_and_the_official_sees_his_deadline(
    transactional_db, live_server, settings, monkeypatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _world()
    errors: list[str] = []
    seen: dict = {}
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            _story(chromium, live_server.url, errors, seen)
        finally:
            chromium.close()
    assert errors == []
    assert {k: v for k, v in seen.items() if v} == {}  # no sideways scroll, no CSP violation


def _story(chromium, base: str, errors: list[str], seen: dict) -> None:
    # 1. The chairman opens the xa-2022 report and its «Phân công».
    page = _login(chromium, base, "bl.chutich", errors)
    page.locator("#to-lead").get_by_role("link", name=re.compile("6 tháng đầu năm 2099")).click()
    page.get_by_role("link", name="Phân công").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phân công: Xã Bình Lãng")
    duties = page.locator("#duties tbody tr")
    expect(duties).to_have_count(5)
    expect(duties.nth(2)).to_contain_text("Lê Văn Lâm (Công chức Tư pháp - Hộ tịch)")

    # 2. By duty, in one action, with the officials' internal deadline.
    page.get_by_label(re.compile("^Hạn nội bộ \\(giờ")).fill("10:00 09/06/2099")
    page.locator("#assign-by-duty").click()
    expect(page.locator(".msg.success")).to_have_text(
        "Đã phân công theo nhiệm vụ (61 thay đổi). 1 phần việc cần giao tay "
        "(không rõ ai giữ nhiệm vụ): Mục II."
    )
    bm2 = page.locator('#assignments tr[data-part="form:BM2"]')
    expect(bm2.locator("select option:checked")).to_have_text(
        "Lê Văn Lâm (Công chức Tư pháp - Hộ tịch)"
    )
    expect(bm2.locator("td.due")).to_have_text("09/06/2099 10:00")

    # 3. Part II names no duty: ticked and given with the same deadline.
    page.locator('#assignments tr[data-part="section:II"] input[name="pick"]').check()
    page.locator("#bulk-assignee").select_option(
        label="Trần Thị Hoa (Công chức Văn phòng - Thống kê (Đảng ủy, Nội vụ))"
    )
    page.locator("#bulk-due").fill("10:00 09/06/2099")
    page.locator("#apply-picked").click()
    expect(page.locator(".msg.success")).to_have_text(
        "Đã lưu phân công cho 1 phần việc đã chọn (1 thay đổi)."
    )
    expect(page.locator('#assignments tr[data-part="section:II"] td.due')).to_have_text(
        "09/06/2099 10:00"
    )
    _shoot(page, "phan-cong", seen)

    # 4. A deadline after the commune's own is refused, with the reason.
    page.get_by_label(re.compile("^Hạn nội bộ \\(giờ")).fill("10:00 16/06/2099")
    page.locator("#assign-by-duty").click()
    expect(page.locator(".msg.error")).to_have_text(
        "Chưa lưu phân công: Hạn nội bộ 16/06/2099 10:00 muộn hơn hạn nộp của đơn vị "
        "(15/06/2099 17:00): công chức cần nộp trước để đơn vị kịp tổng hợp, duyệt và gửi."
    )

    # 5. The Tư pháp official finds his parts and their internal deadline.
    page = _login(chromium, base, "bl.tuphap", errors)
    row = page.locator("#my-work tr", has_text="Biểu mẫu 2: Cải cách thể chế")
    expect(row.locator("td.due")).to_have_text(
        re.compile(r"^09/06/2099 10:00\s*hạn nội bộ; đơn vị nộp 15/06/2099 17:00$")
    )
    expect(page.locator("#my-work tbody tr")).to_have_count(6)  # II.1, its 4 items, form 2
    _shoot(page, "viec-cua-toi-han-noi-bo", seen)
    row.get_by_role("link", name="Biểu mẫu 2: Cải cách thể chế").click()
    expect(page.locator("main")).to_contain_text(
        "Người thực hiện: Lê Văn Lâm (Công chức Tư pháp - Hộ tịch), hạn nội bộ 09/06/2099 10:00."
    )

    # 6. On the pl-2024 report, the province's rows are read-only for the commune.
    page = _login(chromium, base, "bl.chutich", errors)
    page.locator("#to-lead").get_by_role("link", name=re.compile("2098")).click()
    page.get_by_role("link", name=re.compile("^Phụ lục 2")).first.click()
    province_row = page.locator('#form-table tr[data-code="3.1"]')
    expect(province_row).to_contain_text("Dòng của cấp tỉnh")
    expect(province_row.locator("input, select")).to_have_count(0)
    expect(page.locator('#form-table tr[data-code="1"] input[name="v:1"]')).to_have_count(1)
    expect(page.locator("#other-level-note")).to_contain_text("Xã Bình Lãng chỉ xem")
    _shoot(page, "dong-cap-khac", seen)
