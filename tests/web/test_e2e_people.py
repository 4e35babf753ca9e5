"""People and units through the real pages in headless Chromium.

Commune A's admin adds a civil servant with a duty and hands her Biểu mẫu 1;
she logs in with the temporary password shown once, is made to set her own,
and finds the form in «Việc của tôi». The system admin looks at the unit tree
before the 1/7/2025 reform and finds the moved commune under its old district.
Screenshots of the new pages, at 1366 px and 390 px, go to `SCREENSHOT_DIR`
when it is set (docs/screenshots/ is made that way).
"""

from __future__ import annotations

import os
import re
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from cchc.core.periods import Period, PeriodType
from cchc.web.organisation.models import Membership, Role
from cchc.web.organisation.services import create_unit, move_unit
from cchc.web.reporting.models import TemplateVersion
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import services
from tests.web.test_e2e_story import CHROMIUM, CHROMIUM_ARGS

PASSWORD = "mat-khau-e2e"
NEW_PASSWORD = "Sen-hong-nở-2026"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Chromium at {CHROMIUM}"),
]
expect.set_options(timeout=10_000)


def _person(username: str, name: str, unit, role: str, superuser: bool = False):
    model = get_user_model()
    make = model.objects.create_superuser if superuser else model.objects.create_user
    user = make(username, password=PASSWORD, first_name=name)
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def _world() -> dict:
    store.install_bundled_templates()
    province = create_unit(code="TQT", name="Tỉnh Quảng Thử", level="tinh")
    district = create_unit(
        code="HND", name="Huyện Nam Thử", level="huyen", parent=province, valid_to=date(2025, 7, 1)
    )
    a = create_unit(code="XAP", name="Xã An Phú", level="xa", parent=district)
    move_unit(unit=a, new_parent=province, on=date(2025, 7, 1))
    create_unit(code="XBM", name="Xã Bình Minh", level="xa", parent=province)
    people = {
        "reviewer": _person("tinh.noivu", "Lê Thị Thu", province, Role.REVIEWER),
        "admin": _person("ap.quantri", "Bùi Thị Hạnh", a, Role.UNIT_ADMIN),
        "root": _person("quantri", "Quản trị Hệ thống", None, "", superuser=True),
    }
    services.open_round(
        user=people["reviewer"],
        issuer=province,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, 2026, 2),
        units=[a],
        deadline=timezone.make_aware(datetime(2099, 12, 16, 17, 0)),
    )
    return people


def _login(browser, base: str, username: str, password: str) -> Page:
    context = browser.new_context(
        base_url=base, locale="vi-VN", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    return page


def _shoot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=Path(folder) / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_unit_admin_adds_a_civil_servant_who_sets_her_password_and_finds_her_form(
    transactional_db, live_server, settings, monkeypatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _world()
    errors: list[str] = []
    started = time.perf_counter()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            _story(chromium, live_server.url, errors)
        finally:
            chromium.close()
    assert errors == []
    print(f"\npeople and units story: {time.perf_counter() - started:.1f} s")


def _story(chromium, base: str, errors: list[str]) -> None:
    # 1. The admin adds the civil servant, with her title and duty.
    page = _login(chromium, base, "ap.quantri", PASSWORD)
    page.on("response", lambda r: r.status >= 500 and errors.append(f"{r.status} {r.url}"))
    page.get_by_role("navigation").get_by_role("link", name="Người dùng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Người dùng")
    _shoot(page, "nguoi-dung")
    page.get_by_role("link", name="Thêm người dùng").click()
    form = page.locator("#person-form")
    form.get_by_label("Tên đăng nhập").fill("ap.hoa")
    form.get_by_label("Họ tên").fill("Trần Thị Hoa")
    form.get_by_label("Chức vụ").fill("Công chức Văn phòng - Thống kê")
    form.get_by_label(re.compile("^Nhiệm vụ")).select_option("vp-noi-vu")
    _shoot(page, "them-nguoi-dung")
    form.get_by_role("button", name="Thêm và cấp mật khẩu tạm thời").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã thêm người dùng")
    temporary = page.locator('#temporary-passwords tr[data-username="ap.hoa"] code').inner_text()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", temporary), temporary
    _shoot(page, "mat-khau-tam-thoi")
    page.get_by_role("link", name="← Về danh sách người dùng").click()
    page.locator("#people").get_by_role("link", name="Trần Thị Hoa").click()
    expect(page.get_by_label("Chức vụ")).to_have_value("Công chức Văn phòng - Thống kê")
    _shoot(page, "sua-nguoi-dung")

    # 2. The paste review shows what is wrong with each row before anything is saved.
    page.goto("/nguoi-dung/nhap/")
    page.get_by_label(re.compile("^Dán từ Excel")).fill(
        "Họ tên\tTên đăng nhập\tChức vụ\tNhiệm vụ\tVai trò\n"
        "Lê Văn Bình\tap.binh\tCông chức\tvp-ubnd\tcông chức\n"
        "Phạm Thị Lan\tap.hoa\tCông chức Tư pháp\ttu-phap\tthủ quỹ\n"
    )
    page.get_by_role("button", name="Xem lại").click()
    expect(page.locator('#review-rows tr[data-line="3"] .problems')).to_have_text(
        "vai trò «thủ quỹ» không có (công chức, lãnh đạo, nội vụ, quản trị); "
        "tên đăng nhập «ap.hoa» đã có người dùng"
    )
    expect(page.locator("#save-people")).to_have_count(0)
    _shoot(page, "nhap-danh-sach")

    # 3. She gets Biểu mẫu 1 of the open report.
    page.get_by_role("navigation").get_by_role("link", name="Việc của tôi").click()
    page.locator("#to-assign").get_by_role("link", name=re.compile("^Xã An Phú — ")).first.click()
    page.get_by_role("link", name="Phân công").click()
    page.locator('#assignments select[name="form:BM1"]').select_option(
        label="Trần Thị Hoa (Công chức Văn phòng - Thống kê)"
    )
    page.get_by_role("button", name="Lưu phân công").click()
    expect(page.locator(".msg.success")).to_have_text(re.compile(r"^Đã lưu phân công"))

    # 4. She logs in with the temporary password and must set her own first.
    page = _login(chromium, base, "ap.hoa", temporary)
    page.on("response", lambda r: r.status >= 500 and errors.append(f"{r.status} {r.url}"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đổi mật khẩu")
    expect(page.locator(".msg.warning")).to_contain_text("mật khẩu tạm thời")
    page.goto("/dot-bao-cao/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đổi mật khẩu")
    page.get_by_label("Mật khẩu đang dùng").fill(temporary)
    page.get_by_label("Mật khẩu mới", exact=True).fill("12345678")
    page.get_by_label("Nhập lại mật khẩu mới").fill("12345678")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.locator("#password-problems")).to_be_visible()
    page.get_by_label("Mật khẩu đang dùng").fill(temporary)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    expect(page.locator("#my-work")).to_contain_text("Biểu mẫu 1: Công tác chỉ đạo điều hành CCHC")
    page.goto("/dot-bao-cao/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Đổi mật khẩu")

    # 5. The tree before the reform: the commune under its old district.
    page = _login(chromium, base, "quantri", PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Đơn vị").click()
    tree = page.locator("#unit-tree")
    expect(tree.locator('li[data-code="TQT"] > ul > li[data-code="XAP"]')).to_have_count(1)
    _shoot(page, "cay-don-vi")
    page.get_by_label("Xem cây đơn vị ngày").fill("30/06/2025")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cây đơn vị ngày 30/06/2025")
    expect(tree.locator('li[data-code="HND"] > ul > li[data-code="XAP"]')).to_have_count(1)
    expect(tree.locator('li[data-code="TQT"] > ul > li[data-code="XAP"]')).to_have_count(0)
    _shoot(page, "cay-don-vi-truoc-1-7-2025")
    tree.get_by_role("link", name="Xã An Phú").click()
    expect(page.locator("#unit-parents li")).to_have_text(
        [
            "Huyện Nam Thử: từ trước đến trước ngày 01/07/2025",
            "Tỉnh Quảng Thử: từ 01/07/2025 đến nay",
        ]
    )
    _shoot(page, "don-vi")
    page.goto("/don-vi/nap-danh-muc/")
    page.get_by_label(re.compile("^Chỉ một tỉnh")).fill("46")
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#load-summary h2")).to_have_text("Xem trước (chưa ghi gì)")
    _shoot(page, "nap-danh-muc")
