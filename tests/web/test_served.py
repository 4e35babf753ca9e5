"""What travels over a province's network, as `cchc serve` answers it: pages compressed
when the browser asks, static files under hashed names that browsers keep for a year,
and the job queue's worker started beside the server (a queued job gets done)."""

from __future__ import annotations

import gzip
import os
import re
import signal
import sqlite3
import subprocess
import time
import urllib.request

import pytest

from tests.web.test_production_settings import CCHC, _bare_environment, _get_when_up

PORT = 8136
A_YEAR_AND_MORE = 315360000  # WhiteNoise's max-age for a file whose name holds its hash


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data = tmp_path_factory.mktemp("served")
    server = subprocess.Popen(
        [CCHC, "serve", "--no-demo", "--port", str(PORT)],
        cwd=data,
        env=_bare_environment(data),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _get_when_up(f"http://127.0.0.1:{PORT}/dang-nhap/")
        yield f"http://127.0.0.1:{PORT}", data
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _get(url: str, gzip_ok: bool = True):
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        return r.status, dict(r.headers), r.read()


def test_a_page_is_compressed_when_the_browser_asks(served) -> None:
    served, _ = served
    status, headers, body = _get(f"{served}/dang-nhap/")
    assert (status, headers.get("Content-Encoding")) == (200, "gzip")
    assert "Accept-Encoding" in headers.get("Vary", "")
    page = gzip.decompress(body).decode()
    assert "<h1>Đăng nhập</h1>" in page
    assert len(body) < len(page.encode())  # a small page; a national list shrinks ~10×
    _, plain_headers, plain = _get(f"{served}/dang-nhap/", gzip_ok=False)
    assert "Content-Encoding" not in plain_headers and b"<h1>" in plain


def test_static_files_have_hashed_names_and_a_long_max_age(served) -> None:
    served, _ = served
    page = gzip.decompress(_get(f"{served}/dang-nhap/")[2]).decode()
    css = re.search(r'href="(/static/cchc/app\.[0-9a-f]{12}\.css)"', page)
    assert css, "the style sheet is linked under its hashed name"
    status, headers, body = _get(served + css.group(1))
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert f"max-age={A_YEAR_AND_MORE}" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]
    assert b"{" in gzip.decompress(body)


def test_the_worker_started_by_serve_runs_a_queued_job(served) -> None:
    _, data = served
    queued = subprocess.run(
        [CCHC, "manage", "rebuild_totals", "--background"],
        cwd=data,
        env=_bare_environment(data, CCHC_DEV="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert queued.stdout.startswith("Đã đưa vào hàng đợi: việc "), queued.stderr
    until = time.monotonic() + 60
    with sqlite3.connect(data / "cchc.sqlite3") as db:
        while (state := db.execute("select state, summary from jobs_job").fetchone())[0] != "done":
            assert time.monotonic() < until, state
            time.sleep(0.2)
    assert state[1] == "Chưa có đợt báo cáo nào: không có gì để tính lại."
