"""Guessed passwords and tokens: lockout per account and per address, every try audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.urls import reverse

from cchc.web.accounts.tokens import create_token
from cchc.web.reporting.models import AuditEvent
from tests.web.conftest import PASSWORD

LOCKED = (
    "Đăng nhập tạm thời bị khóa sau 10 lần sai mật khẩu hoặc mã API (cho tài khoản này hoặc "
    "từ địa chỉ máy này). Thử lại sau 15 phút; cần gấp thì nhờ quản trị hệ thống."
)


def _login(client, username: str, password: str, address: str = "10.0.0.1") -> int:
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def _refusal(client, username: str, address: str) -> str:
    response = client.post(
        reverse("login"), {"username": username, "password": PASSWORD}, REMOTE_ADDR=address
    )
    assert response.status_code == 429
    return response.context["message"]


def _time_passes(minutes: int) -> None:
    """The lockout is measured from the attempts' times: move them back instead of waiting."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_the_default_limit_and_lockout_are_ten_failures_and_fifteen_minutes() -> None:
    limit, lockout = settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME
    assert (limit, lockout) == (10, timedelta(minutes=15))


def test_thirty_wrong_passwords_lock_the_account_until_the_lockout_ends(world, client) -> None:
    codes = [_login(client, "officer", f"doan-sai-{i}") for i in range(30)]
    assert codes == [200] * 9 + [429] * 21
    assert _login(client, "officer", PASSWORD) == 429
    assert _refusal(client, "officer", "10.0.0.1") == LOCKED
    _time_passes(14)
    assert _login(client, "officer", PASSWORD) == 429
    _time_passes(2)
    assert _login(client, "officer", PASSWORD) == 302
    assert client.get(reverse("my-work")).status_code == 200


def test_the_locked_account_is_refused_from_every_address(world, client) -> None:
    for i in range(10):
        _login(client, "officer", "sai", address=f"10.0.1.{i}")
    assert _login(client, "officer", PASSWORD, address="10.9.9.9") == 429
    assert _login(client, "colleague", PASSWORD, address="10.9.9.9") == 302


def test_one_address_guessing_many_accounts_is_throttled(world, client) -> None:
    names = ["officer", "colleague", "leader", "unit_admin", "outsider"]
    for i in range(10):
        _login(client, names[i % 5], "sai", address="10.6.6.6")
    assert _login(client, "reviewer", PASSWORD, address="10.6.6.6") == 429
    assert _login(client, "reviewer", PASSWORD, address="10.7.7.7") == 302


def test_the_lockout_page_is_vietnamese(world, client) -> None:
    for _ in range(10):
        _login(client, "officer", "sai")
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "<h1>Tạm khóa đăng nhập</h1>" in response.content.decode()


def test_every_login_success_failure_lockout_and_refusal_is_in_the_audit_log(world, client) -> None:
    _login(client, "officer", PASSWORD)
    client.post(reverse("logout"))
    _login(client, "nobody", "sai")
    for _ in range(10):
        _login(client, "leader", "sai", address="10.0.0.2")
    _login(client, "leader", PASSWORD, address="10.0.0.2")
    events = AuditEvent.objects.filter(action__startswith="login").order_by("id")
    rows = [(e.action, e.target, e.user_id, e.after) for e in events]
    web = "trang đăng nhập"
    assert rows == [
        ("login", "officer", world.officer.pk, {"ip": "10.0.0.1", "via": web}),
        ("login-failed", "nobody", None, {"ip": "10.0.0.1", "via": web}),
        *[("login-failed", "leader", world.leader.pk, {"ip": "10.0.0.2", "via": web})] * 10,
        (
            "login-locked",
            "leader",
            world.leader.pk,
            {"ip": "10.0.0.2", "via": web, "failures": 10, "minutes": 15},
        ),
        ("login-refused", "leader", world.leader.pk, {"ip": "10.0.0.2", "via": web}),
    ]


def _api(client, world, token: str, address: str = "10.0.0.1") -> int:
    url = reverse("api-report", args=[world.report_a.pk])
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR=address).status_code


def test_wrong_api_tokens_lock_out_their_address_but_not_the_others(world, client) -> None:
    _, token = create_token(user=world.officer, name="kịch bản")
    guesses = [_api(client, world, f"cchc_{i:012x}_doan-bua") for i in range(30)]
    assert guesses == [401] * 9 + [429] * 21
    assert _api(client, world, token) == 429
    assert _api(client, world, token, address="10.0.0.9") == 200
    _time_passes(16)
    assert _api(client, world, token) == 200


def test_a_locked_api_answers_json_in_vietnamese(world, client) -> None:
    for _ in range(10):
        _api(client, world, "sai")
    url = reverse("api-report", args=[world.report_a.pk])
    response = client.get(url, HTTP_AUTHORIZATION="Bearer sai", REMOTE_ADDR="10.0.0.1")
    assert (response.status_code, response.json()) == (429, {"error": LOCKED})


def test_wrong_tokens_are_in_the_audit_log_with_their_key(world, client) -> None:
    _api(client, world, "cchc_0123456789ab_khong-dung")
    _api(client, world, "khong-phai-ma")
    events = AuditEvent.objects.filter(action="login-failed").order_by("id")
    assert [(e.target, e.after) for e in events] == [
        ("", {"ip": "10.0.0.1", "via": "mã API", "token": "0123456789ab"}),
        ("", {"ip": "10.0.0.1", "via": "mã API", "token": "?"}),
    ]


@pytest.mark.parametrize("header", ["Basic b2ZmaWNlcjptYXQta2hhdS10aHU=", "Token abc"])
def test_passwords_are_not_accepted_on_the_api(world, client, header) -> None:
    url = reverse("api-report", args=[world.report_a.pk])
    response = client.get(url, HTTP_AUTHORIZATION=header)
    assert (response.status_code, response.json()) == (
        401,
        {
            "error": "API chỉ nhận mã API (tiêu đề Authorization: Bearer <mã>), không nhận mật "
            "khẩu (HTTP Basic); tạo mã ở trang «Mã API»."
        },
    )


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "1.2.3.4", "10.0.0.1"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),
        (2, "6.6.6.6, 1.2.3.4, 10.1.1.1", "1.2.3.4"),
        (1, "", "10.0.0.1"),
    ],
)
def test_the_address_counted_is_the_one_the_trusted_proxies_saw(
    world, client, settings, proxies, forwarded, address
) -> None:
    settings.PROXY_COUNT = proxies
    client.post(
        reverse("login"),
        {"username": "officer", "password": "sai"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [address]


def _log_rows(page) -> list[tuple[str, str, str, str]]:
    return [(r["event"].target, r["what"], r["ip"], r["via"]) for r in page.context["rows"]]


def test_the_login_log_reads_as_sentences_and_shows_each_person_their_own(world, client) -> None:
    _, token = create_token(user=world.officer, name="kịch bản")
    for _ in range(10):
        _login(client, "officer", "sai", address="10.0.0.3")
    _login(client, "officer", PASSWORD, address="10.0.0.3")
    _api(client, world, "cchc_0123456789ab_khong-dung", address="10.0.0.4")
    _login(client, "colleague", PASSWORD, address="10.0.0.5")
    web, api = "trang đăng nhập", "mã API"
    own = client.get(reverse("login-log"))
    assert _log_rows(own) == [("colleague", "Đăng nhập thành công.", "10.0.0.5", web)]
    _time_passes(16)
    _login(client, "officer", PASSWORD, address="10.0.0.3")
    officer_rows = _log_rows(client.get(reverse("login-log")))
    refused = "Từ chối đăng nhập: đang bị khóa (mật khẩu không được kiểm tra)."
    assert officer_rows == [
        ("officer", "Đăng nhập thành công.", "10.0.0.3", web),
        ("officer", refused, "10.0.0.3", web),
        ("officer", "Khóa đăng nhập 15 phút sau 10 lần sai.", "10.0.0.3", web),
        *[("officer", "Sai tên đăng nhập hoặc mật khẩu.", "10.0.0.3", web)] * 10,
        ("kịch bản", f"Tạo mã API «kịch bản» (mã cchc_{token[5:17]}_…).", "", ""),
    ]
    type(world.officer).objects.create_superuser("quantri", password=PASSWORD)
    _login(client, "quantri", PASSWORD, address="10.0.0.6")
    everyone = _log_rows(client.get(reverse("login-log")))
    assert everyone[:3] == [
        ("quantri", "Đăng nhập thành công.", "10.0.0.6", web),
        officer_rows[0],
        ("colleague", "Đăng nhập thành công.", "10.0.0.5", web),
    ]
    assert everyone[3:] == [
        ("", "Mã API sai hoặc đã thu hồi (cchc_0123456789ab_…).", "10.0.0.4", api),
        *officer_rows[1:],
    ]


def test_a_weak_new_password_is_refused_on_the_page_in_vietnamese(world, login) -> None:
    client = login(world.officer)
    form = {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    page = client.post(reverse("password-change"), form)
    assert page.context["form"].errors == {
        "new_password2": [
            "Mật khẩu quá ngắn: cần ít nhất 10 ký tự.",
            "Mật khẩu này quá phổ biến.",
            "Mật khẩu này hoàn toàn là số.",
        ]
    }
    world.officer.refresh_from_db()
    assert world.officer.check_password(PASSWORD)


def test_a_good_new_password_is_taken_and_the_session_stays(world, login) -> None:
    client = login(world.officer)
    new = "chè-xanh-Hương-Sơn-2026"
    form = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    done = client.post(reverse("password-change"), form, follow=True)
    assert [str(m) for m in done.context["messages"]] == ["Đã đổi mật khẩu."]
    assert done.request["PATH_INFO"] == reverse("my-work")
    world.officer.refresh_from_db()
    assert world.officer.check_password(new)
