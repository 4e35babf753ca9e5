"""Two real app servers (gunicorn, on two ports of this suite's range) on one PostgreSQL and
one Redis, each with a data directory of its own as two machines would have: a person
is served by either, turn by turn, as behind the office's load balancer.

What one server does, the other knows at once: a logout ends the session on both; a
notice read on one is no longer counted on the other (the shared cache is invalidated);
two saves of the same cell from stale pages, one on each, end in a conflict, not in a
lost value. Skipped, with the reason, only when PostgreSQL or Redis cannot be reached.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
PORTS = (8134, 8135)
SETTINGS = ("--workers", "2", "--timeout", "60")  # as docs/deployment.md, fewer workers
# A database of its own, made afresh (never the suite's test database), and a Redis database.
DATABASE_URL = os.environ.get(
    "CCHC_TWO_SERVERS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cchc_two_servers"
)
REDIS_URL = os.environ.get("CCHC_TWO_SERVERS_REDIS_URL", "redis://127.0.0.1:6379/5")


def _reachable() -> str:
    """Why the test cannot run here, or '' when both services answer."""
    import psycopg
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=3).ping()
    except redis.RedisError as exc:
        return f"Redis không trả lời tại {REDIS_URL}: {exc}"
    url = urllib.parse.urlsplit(DATABASE_URL)
    admin = url._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            name = url.path.lstrip("/")
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        return f"PostgreSQL không trả lời tại {admin}: {exc}"
    return ""


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    reason = _reachable()
    if reason:
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("two-servers")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DJANGO_", "DATABASE_"))
    }
    env.update(
        DATABASE_URL=DATABASE_URL,
        CCHC_REDIS_URL=REDIS_URL,
        CCHC_SECRET_KEY="hai-may-chu-cung-mot-khoa-bi-mat-" + "x" * 20,
        CCHC_JOBS="inline",
        PYTHONPATH=str(ROOT),
    )
    first = base / "may-1"
    done = subprocess.run(
        [sys.executable, "-m", "tests.web.two_servers_setup"],
        cwd=ROOT,
        env={**env, "CCHC_DATA_DIR": str(first)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout.splitlines()[-1])
    procs = []
    for n, port in enumerate(PORTS, start=1):
        data = base / f"may-{n}"
        if n > 1:  # the same collected static files, in a data directory of its own
            shutil.copytree(first / "static", data / "static")
        procs.append(
            subprocess.Popen(
                [GUNICORN, "cchc.web.wsgi:application", "--bind", f"127.0.0.1:{port}", *SETTINGS],
                cwd=ROOT,
                env={**env, "CCHC_DATA_DIR": str(data)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
    try:
        for port in PORTS:
            _wait_up(port)
        yield facts
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)


def _wait_up(port: int, seconds: float = 60) -> None:
    until = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=5)
            return
        except OSError:
            if time.monotonic() > until:
                raise
            time.sleep(0.2)


class Browser:
    """One person's cookies (session, CSRF) sent to whichever server they ask."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def get(self, port: int, path: str) -> tuple[int, str, dict]:
        return self._open(urllib.request.Request(f"http://127.0.0.1:{port}{path}"))

    def post(self, port: int, path: str, data: dict, htmx: bool = False) -> tuple[int, str, dict]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        headers = {"Referer": f"http://127.0.0.1:{port}/"} | (
            {"HX-Request": "true"} if htmx else {}
        )
        return self._open(urllib.request.Request(f"http://127.0.0.1:{port}{path}", body, headers))

    def _open(self, request) -> tuple[int, str, dict]:
        try:
            with self.opener.open(request, timeout=30) as r:
                return r.status, r.read().decode(), dict(r.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), dict(exc.headers)

    def log_in(self, port: int, facts: dict) -> None:
        self.get(port, "/dang-nhap/")
        login = {"username": facts["username"], "password": facts["password"]}
        status, _, headers = self.post(port, "/dang-nhap/", login)
        assert (status, headers.get("Location")) == (302, "/")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to look at, not to follow


def _unread(page: str) -> int:
    found = re.search(r'<span class="count" title="chưa đọc">(\d+)</span>', page)
    return int(found.group(1)) if found else 0


def test_a_logout_on_one_server_ends_the_session_on_the_other(servers) -> None:
    a, b = PORTS
    person = Browser()
    person.log_in(a, servers)
    assert person.get(b, "/")[0] == 200  # logged in on A, served by B
    stolen = [(c.name, c.value) for c in person.jar]  # a copy of the session cookie
    assert person.post(a, "/dang-xuat/", {})[0] == 302
    thief = Browser()
    for name, value in stolen:
        thief.jar.set_cookie(_cookie(name, value))
    status, _, headers = thief.get(b, "/")
    assert (status, headers.get("Location", "").startswith("/dang-nhap/")) == (302, True)


def test_a_notice_read_on_one_server_is_no_longer_counted_on_the_other(servers) -> None:
    a, b = PORTS
    person = Browser()
    person.log_in(a, servers)
    before = _unread(person.get(b, "/")[1])  # B counts, and keeps the count in the cache
    assert before > 0 and _unread(person.get(b, "/")[1]) == before
    assert person.post(a, "/thong-bao/da-doc/", {})[0] == 302
    assert _unread(person.get(b, "/")[1]) == 0


def test_two_saves_of_one_cell_on_two_servers_end_in_a_conflict_not_a_lost_value(
    servers,
) -> None:
    a, b = PORTS
    first, second = Browser(), Browser()
    first.log_in(a, servers)
    second.log_in(b, servers)
    path = f"/bao-cao/{servers['report']}/bieu/{servers['form']}/luu/"
    code = servers["code"]
    page = first.get(a, f"/bao-cao/{servers['report']}/bieu/{servers['form']}/")[1]
    version = re.search(rf'name="ver:{re.escape(code)}" value="(\d+)"', page).group(1)
    saved = first.post(a, path, {"code": code, "text": "11", "version": version}, htmx=True)
    assert saved[0] == 200 and "Đã lưu" in saved[1]
    stale = second.post(b, path, {"code": code, "text": "22", "version": version}, htmx=True)
    assert stale[0] == 200 and "vừa lưu giá trị «11»" in stale[1]
    assert "Giá trị «22» của bạn chưa được lưu." in stale[1]


def _cookie(name: str, value: str) -> http.cookiejar.Cookie:
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False,
        None, None, {},
    )  # fmt: skip
