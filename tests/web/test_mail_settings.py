"""The mail settings: SMTP when a host is given, the console otherwise; a wrong value stops
the start, saying which; the password is read from its file, never from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

READ = (
    "import json, cchc.web.settings as s; print(json.dumps([s.EMAIL_BACKEND, s.EMAIL_HOST, "
    "s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, "
    "s.DEFAULT_FROM_EMAIL, s.SITE_URL]))"
)


def _start(tmp_path, **env: str) -> tuple[list | None, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CCHC_EMAIL")}
    process = subprocess.run(
        [sys.executable, "-c", READ],
        env={**clean, "CCHC_DEV": "1", "CCHC_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if process.returncode:
        return None, process.stderr.strip().splitlines()[-1]
    return json.loads(process.stdout), ""


def test_without_a_mail_host_mails_are_printed_on_the_console(tmp_path) -> None:
    assert _start(tmp_path) == (
        [
            "django.core.mail.backends.console.EmailBackend",
            "",
            587,
            "",
            "",
            True,
            False,
            "Báo cáo CCHC <cchc@localhost>",
            "http://127.0.0.1:8000",
        ],
        "",
    )


def test_an_office_smtp_server_with_its_password_in_a_file(tmp_path) -> None:
    secret = tmp_path / "thu.matkhau"
    secret.write_text("mat-khau-thu\n", encoding="utf-8")
    env = {
        "CCHC_EMAIL_HOST": "mail.xahuongson.gov.vn",
        "CCHC_EMAIL_PORT": "465",
        "CCHC_EMAIL_TLS": "ssl",
        "CCHC_EMAIL_USER": "cchc@xahuongson.gov.vn",
        "CCHC_EMAIL_PASSWORD_FILE": str(secret),
        "CCHC_EMAIL_FROM": "Báo cáo CCHC <cchc@xahuongson.gov.vn>",
        "CCHC_SITE_URL": "https://cchc.xahuongson.gov.vn/",
    }
    assert _start(tmp_path, **env) == (
        [
            "django.core.mail.backends.smtp.EmailBackend",
            "mail.xahuongson.gov.vn",
            465,
            "cchc@xahuongson.gov.vn",
            "mat-khau-thu",
            False,
            True,
            "Báo cáo CCHC <cchc@xahuongson.gov.vn>",
            "https://cchc.xahuongson.gov.vn",
        ],
        "",
    )


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"CCHC_EMAIL_TLS": "có"}, "CCHC_EMAIL_TLS='có': cần một trong starttls, ssl, off."),
        ({"CCHC_EMAIL_PORT": "70000"}, "CCHC_EMAIL_PORT=70000: cần một số từ 1 đến 65535."),
        (
            {"CCHC_EMAIL_PASSWORD_FILE": "/khong/co/tep"},
            "CCHC_EMAIL_PASSWORD_FILE='/khong/co/tep': không có tệp hoặc thư mục này.",
        ),
        (
            {"CCHC_EMAIL_FROM": "cchc"},
            "CCHC_EMAIL_FROM='cchc': cần một địa chỉ thư, ví dụ "
            "'Báo cáo CCHC <cchc@xahuongson.gov.vn>'.",
        ),
        (
            {"CCHC_SITE_URL": "cchc.gov.vn"},
            "CCHC_SITE_URL='cchc.gov.vn': cần địa chỉ bắt đầu bằng https://, "
            "ví dụ https://cchc.example.gov.vn.",
        ),
    ],
)
def test_a_wrong_mail_setting_is_refused_at_start_up(tmp_path, env, said) -> None:
    assert _start(tmp_path, **env) == (
        None,
        f"django.core.exceptions.ImproperlyConfigured: {said}",
    )
