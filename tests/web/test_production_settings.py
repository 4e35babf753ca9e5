"""Production settings can be made right: HTTPS variables, a refused start without a key, CSP."""

from __future__ import annotations

import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

ROOT = Path(__file__).resolve().parents[2]
SERVE_PORT = 8130
CCHC = str(Path(sys.executable).with_name("cchc"))
NO_KEY = (
    "Lỗi cấu hình: Thiếu CCHC_SECRET_KEY: máy chủ không chạy khi chưa có khóa bí mật. Đặt "
    "CCHC_SECRET_KEY (tạo bằng: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), "
    "hoặc CCHC_DEV=1 để chạy thử trên một máy (cchc serve tự đặt).\n"
)


def _bare_environment(tmp_path: Path, **extra: str) -> dict:
    """The machine's environment without any cchc setting: what an operator starts from."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DATABASE_URL"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return {**env, "CCHC_DATA_DIR": str(tmp_path), **extra}


def readme_production_settings() -> dict[str, str]:
    """The variables the «Chạy cho nhiều người dùng» block of docs/operations.md exports."""
    readme = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    section = readme.split("## Chạy cho nhiều người dùng", 1)[1].split("```sh", 1)[1]
    block = section.split("```", 1)[0]
    found: dict[str, str] = {}
    for line in block.splitlines():
        if line.startswith("export "):
            found.update(word.split("=", 1) for word in shlex.split(line)[1:])
    return found


def test_the_deploy_check_is_clean_with_the_readmes_production_settings(tmp_path) -> None:
    production = readme_production_settings()
    assert production["CCHC_SECRET_KEY"] == "…"  # the documented placeholder for the real one
    production["CCHC_SECRET_KEY"] = secrets.token_urlsafe(50)
    done = subprocess.run(
        [CCHC, "manage", "check", "--deploy"],
        env=_bare_environment(tmp_path, **production),
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        0,
        "System check identified no issues (1 silenced).\n",
        "",
    )


def test_the_deploy_check_warns_without_them(tmp_path) -> None:
    key = secrets.token_urlsafe(50)
    done = subprocess.run(
        [CCHC, "manage", "check", "--deploy"],
        env=_bare_environment(tmp_path, CCHC_SECRET_KEY=key),
        capture_output=True,
        text=True,
        check=False,
    )
    warned = sorted(set(re.findall(r"\(security\.(W\d+)\)", done.stderr + done.stdout)))
    assert warned == ["W004", "W008", "W012", "W016"]


def test_manage_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    done = subprocess.run(
        [CCHC, "manage", "migrate"],
        env=_bare_environment(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (2, "", NO_KEY)
    assert list(tmp_path.glob("*.sqlite3")) == []


def test_the_read_only_commands_need_no_key(tmp_path) -> None:
    def run(*args: str, **env: str):
        return subprocess.run(
            [CCHC, *args], env=_bare_environment(tmp_path, **env), capture_output=True, text=True
        )

    assert run("manage", "migrate", "-v", "0", CCHC_DEV="1").returncode == 0
    listed = run("consolidate")
    assert (listed.returncode, listed.stdout, listed.stderr) == (0, "", "")
    compared = run("compare", "7")
    assert (compared.returncode, compared.stderr) == (
        2,
        "Lỗi: Không có đợt báo cáo số 7 (xem danh sách: cchc consolidate).\n",
    )


def test_the_wsgi_application_refuses_to_load_without_a_secret_key(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import cchc.web.wsgi"],
        env=_bare_environment(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: " + NO_KEY.removeprefix("Lỗi cấu hình: ")
    ).rstrip("\n")


def test_a_server_process_has_every_view_loaded_before_its_first_request(tmp_path) -> None:
    """Otherwise the first person each gunicorn process serves waits for the imports."""
    probe = (
        "import sys, cchc.web.wsgi; print('cchc.web.views.report_page' in sys.modules, "
        "'cchc.documents.docx_body' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env=_bare_environment(tmp_path, CCHC_DEV="1"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


def test_serve_runs_the_demo_with_no_configuration_at_all(tmp_path) -> None:
    env = _bare_environment(tmp_path)
    del env["CCHC_DATA_DIR"]  # not even that: the data goes to ./var
    server = subprocess.Popen(
        [CCHC, "serve", "--no-demo", "--port", str(SERVE_PORT)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        first_line = server.stdout.readline()
        assert first_line == f"cchc đang chạy tại http://127.0.0.1:{SERVE_PORT}/\n"
        page = _get_when_up(f"http://127.0.0.1:{SERVE_PORT}/dang-nhap/")
        assert (page.status, "<h1>Đăng nhập</h1>" in page.read().decode()) == (200, True)
        assert (tmp_path / "var" / "cchc.sqlite3").is_file()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server.stdout.close()


def _get_when_up(url: str, seconds: float = 60):
    waited_until = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=10)
        except OSError:
            if time.monotonic() > waited_until:
                raise
            time.sleep(0.2)


def _settings_under(tmp_path, **env: str) -> list[str]:
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.PROXY_COUNT, s.AXES_FAILURE_LIMIT,"
        " s.LOCKOUT_MINUTES, s.DEBUG)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=_bare_environment(
            tmp_path, DJANGO_SETTINGS_MODULE="cchc.web.settings", CCHC_DEV="1", **env
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    return [done.stdout.strip() or done.stderr.strip().splitlines()[-1]]


def test_https_settings_are_off_by_default_and_read_from_the_environment(tmp_path) -> None:
    assert _settings_under(tmp_path) == ["False False False 0 None 0 10 15 False"]
    assert _settings_under(
        tmp_path,
        CCHC_SECURE_COOKIES="1",
        CCHC_SSL_REDIRECT="yes",
        CCHC_HSTS_SECONDS="3600",
        CCHC_PROXY_SSL_HEADER="X-Forwarded-Proto",
        CCHC_PROXY_COUNT="2",
        CCHC_LOGIN_FAILURE_LIMIT="30",
        CCHC_LOCKOUT_MINUTES="60",
    ) == ["True True True 3600 ('HTTP_X_FORWARDED_PROTO', 'https') 2 30 60 False"]
    assert _settings_under(tmp_path, CCHC_PROXY_SSL_HEADER="X-Scheme=on") == [
        "False False False 0 ('HTTP_X_SCHEME', 'on') 0 10 15 False"
    ]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("CCHC_HSTS_SECONDS", "-5", "CCHC_HSTS_SECONDS=-5: cần một số không âm."),
        ("CCHC_HSTS_SECONDS", "một năm", "CCHC_HSTS_SECONDS='một năm': cần một số nguyên."),
        (
            "CCHC_PROXY_SSL_HEADER",
            "X Forwarded",
            "CCHC_PROXY_SSL_HEADER='X Forwarded': cần tên tiêu đề, ví dụ X-Forwarded-Proto.",
        ),
        (
            "CCHC_LOGIN_FAILURE_LIMIT",
            "0",
            "CCHC_LOGIN_FAILURE_LIMIT và CCHC_LOCKOUT_MINUTES phải lớn hơn 0.",
        ),
        (
            "CCHC_SECURE_COOKIES",
            "có",
            "CCHC_SECURE_COOKIES='có': cần 1/0, true/false, yes/no hoặc on/off.",
        ),
    ],
)
def test_a_bad_setting_is_refused_at_start_with_its_name(tmp_path, name, value, message) -> None:
    assert _settings_under(tmp_path, **{name: value}) == [
        f"django.core.exceptions.ImproperlyConfigured: {message}"
    ]


def test_a_weak_new_password_is_refused_in_vietnamese() -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password("12345678")
    assert refused.value.messages == [
        "Mật khẩu quá ngắn: cần ít nhất 10 ký tự.",
        "Mật khẩu này quá phổ biến.",
        "Mật khẩu này hoàn toàn là số.",
    ]


def test_a_good_new_password_passes() -> None:
    assert validate_password("chè-xanh-Hương-Sơn-2026") is None
