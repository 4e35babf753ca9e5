"""How long saving a form takes when many officials save at once (target: p95 under 150 ms).

Builds a fresh database (SQLite in a temporary directory, or a throwaway
PostgreSQL database `cchc_bench_<pid>` that is dropped at the end), runs
`cchc manage migrate`, creates one open round on template xa-2022 with one
commune per client, starts gunicorn on a free loopback port, and lets N client
threads (keep-alive connections) save concurrently. Every save is a real write:
each value changes, and the version sent is the one the previous response
returned (a 409 would be counted as a conflict).

Scenarios (each bounded by --saves per client and --duration seconds):

  api-token-own       PUT /api/bao-cao/{id}/so-lieu/, `Authorization: Bearer` with
                      the client's API token; each client saves the whole Biểu
                      mẫu 1 (17 values) of its own report
  api-token-shared    the same, all clients on one report, each on its own rows
                      (the report's input rows split so no two clients share one)
  api-session-own     as api-token-own, logged in once (session cookie and
                      X-CSRFToken): the same save with the session instead of a token
  api-session-shared  as api-token-shared, with the session
  cell-own            the page's autosave (POST …/bieu/BM1/luu/, HTMX, session):
                      one cell per request, cycling over Biểu mẫu 1

Before the timed scenarios, each client saves WARM_UP_SAVES times, untimed: every
worker's first saves build the template and connect to the database, which a
server that has been running pays once, long before.

Prints one table row per database and scenario: requests done/planned, errors,
conflicts, median, p95 and slowest time, throughput, the CPU time per request
of gunicorn, of the PostgreSQL backends and of the clients themselves (they
share the machine's cores with the server), and the share of the machine's CPU
other programs used meanwhile (above a few per cent the figures are worse than
the code).
--profile then times one client's saves in-process (no server, no concurrency)
and splits each request into the token check, save_values and its write
transaction, the response (check_report) and the SQL, with a cProfile.

By default every client saves again as soon as it has its answer (20 requests
always in flight: a throughput test); --think-ms 1000 makes each client pause
about a second between saves, closer to people typing.

Server: gunicorn with 4 sync worker processes, as the README runs it (two per
core of a 2-core machine, so one runs while another waits on the database;
measured here ahead of 2–4 gthread processes of 4–8 threads, whose threads
contend for one interpreter lock); --worker-class gthread --threads 4 compares.

    .venv/bin/python bench/bench_concurrent_saves.py [--db sqlite|postgres|both]
        [--clients 20] [--saves 50] [--duration 60] [--think-ms 0]
        [--workers 4] [--worker-class sync|gthread] [--threads 4]
        [--scenarios api-token-own,cell-own] [--port 0] [--profile]

Only 127.0.0.1 is contacted; the server is stopped and the data removed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGET_P95_MS = 150.0
WARM_UP_SAVES = 3  # per client, before the timed scenarios, not counted
PASSWORD = "cchc-bench"
TEMPLATE = "xa-2022"
SEED_001 = ROOT / "cchc" / "samples" / "seeds" / "001_81e409cca2244e78.txt"
FORM = "BM1"
SCENARIOS = ["api-token-own", "api-token-shared", "api-session-own", "api-session-shared"]
SCENARIOS += ["cell-own"]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


# ---------------------------------------------------------------- values to save


def input_rows(form_code: str, *, with_rates: bool) -> list[tuple[str, str, list[str]]]:
    """(code, kind, choice codes) of the rows of a form someone types into."""
    from cchc.bundled_templates import get_template

    form = get_template(TEMPLATE).form(form_code)
    return [
        (ind.code, ind.kind.value, [str(c) for c in (ind.choices or {})])
        for ind in form.indicators
        if ind.kind.value != "heading" and (with_rates or ind.kind.value != "rate")
    ]


def _next_choice(choices: list[str], current: str) -> str:
    return (
        choices[(choices.index(current) + 1) % len(choices)] if current in choices else choices[0]
    )


def _rate(num: int, den: int) -> str:
    rate = (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return format(rate.normalize(), "f").replace(".", ",")


def bm1_values(k: int, current: dict[str, str]) -> dict[str, str]:
    """A whole, consistent Biểu mẫu 1 for save number k: every value differs from the last."""
    done, planned = 10 + k, 21 + 2 * k
    fixed, found = 5 + k, 5 + 2 * k
    values = {
        "1": str(k),
        "2.1": str(planned),
        "2.2": str(done),
        "2": _rate(done, planned),
        "3.1": str(k + 1),
        "3.2": str(k + 2),
        "3.3.1": str(found),
        "3.3.2": str(fixed),
        "3.3": _rate(fixed, found),
        "4.1": str(10 + 3 * k),
        "4.2": str(k),
        "4.3": str(k),
        "4.4": str(k),
        "5.1": str(100 + k),
    }
    for code, _, choices in input_rows(FORM, with_rates=True):
        if choices:
            values[code] = _next_choice(choices, current.get(code, ""))
    return values


def generic_values(
    rows: list[tuple[str, str, list[str]]], k: int, current: dict[str, str]
) -> dict[str, str]:
    """Values for any rows (counts grow, choices rotate): every value differs from the last."""
    out = {}
    for n, (code, kind, choices) in enumerate(rows):
        if choices:
            out[code] = _next_choice(choices, current.get(code, ""))
        elif kind == "amount":
            out[code] = f"{k + n},5"
        else:
            out[code] = str(k + n)
    return out


def split_rows(n: int) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
    """n disjoint (form, rows) slices of one report: clients spread over the forms in turn."""
    from cchc.bundled_templates import get_template

    forms = [f.code for f in get_template(TEMPLATE).forms]
    per_form: dict[str, list[int]] = {}
    for i in range(n):
        per_form.setdefault(forms[i % len(forms)], []).append(i)
    slices: list[tuple[str, list]] = [("", [])] * n
    for form, clients in per_form.items():
        rows = input_rows(form, with_rates=False)
        if len(rows) < len(clients):
            raise SystemExit(
                f"{form} có {len(rows)} dòng nhập, không đủ cho {len(clients)} máy khách."
            )
        for j, client in enumerate(clients):
            slices[client] = (form, rows[j :: len(clients)])
    return slices


# ---------------------------------------------------------------- data (child process)


def prepare(n: int) -> dict:
    """Templates, a province with n communes, a contributor per commune owning Biểu mẫu 1,
    n unit admins of commune 1 (who may edit any of its rows), and an open round."""
    from datetime import date, datetime

    from cchc.web.manage import setup

    setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from cchc.core.periods import Period, PeriodType, Window
    from cchc.importers.report_file import import_report, report_content
    from cchc.web.accounts.tokens import create_token
    from cchc.web.organisation.models import Membership, Role
    from cchc.web.organisation.services import create_unit
    from cchc.web.reporting.models import SectionText, TemplateVersion
    from cchc.web.reporting.template_versions import store
    from cchc.web.reporting.workflow import services

    User = get_user_model()
    hashed = make_password(PASSWORD)  # once: the default hasher, as real logins get it

    def user(username: str, name: str):
        return User.objects.create(username=username, password=hashed, first_name=name)

    with transaction.atomic():
        store.install_bundled_templates()
        province = create_unit(code="T-BENCH", name="Tỉnh Thử Tải", level="tinh")
        reviewer = user("bench.noivu", "Cán bộ Nội vụ")
        Membership.objects.create(user=reviewer, unit=province, role=Role.REVIEWER)
        communes, clerks = [], []
        for i in range(1, n + 1):
            unit = create_unit(
                code=f"X-BENCH-{i:02d}", name=f"Xã Thử Tải {i:02d}", level="xa", parent=province
            )
            clerk = user(f"bench.xa{i:02d}", f"Công chức xã {i:02d}")
            Membership.objects.create(
                user=clerk, unit=unit, role=Role.CONTRIBUTOR, duty="vp-noi-vu"
            )
            communes.append(unit)
            clerks.append(clerk.username)
        admins = []
        for i in range(1, n + 1):
            admin = user(f"bench.chung{i:02d}", f"Quản trị xã 01 số {i:02d}")
            Membership.objects.create(user=admin, unit=communes[0], role=Role.UNIT_ADMIN)
            admins.append(admin.username)
        rnd = services.open_round(
            user=reviewer,
            issuer=province,
            template=TemplateVersion.objects.get(template_id=TEMPLATE),
            period=Period(PeriodType.HALF_YEAR, 2026, 2),
            units=communes,
            window_override=Window(date(2026, 6, 15), date(2026, 12, 14)),
            deadline=timezone.make_aware(datetime(2026, 12, 16, 17, 0)),
            title="Đợt thử tải",
        )
        report_of = {r.unit_id: r.pk for r in rnd.reports.all()}
        # Each report carries seed 001's narrative, as a report being finished does: every
        # save's answer checks those texts against the figures.
        codes = {s.code for s in store.template_of(rnd.template).all_sections()}
        parts = report_content(import_report(SEED_001, TEMPLATE)).narrative
        texts = [(p.code, p.text) for p in parts if p.code in codes and p.text]
        SectionText.objects.bulk_create(
            SectionText(report_id=pk, code=code, text=text)
            for pk in report_of.values()
            for code, text in texts
        )
        token_of = {
            u.username: create_token(user=u, name="thử tải")[1]
            for u in User.objects.filter(username__in=clerks + admins)
        }
    return {
        "tokens": token_of,
        "own": [
            {"user": u, "report": report_of[c.id]} for u, c in zip(clerks, communes, strict=True)
        ],
        "shared": {"report": report_of[communes[0].id], "users": admins},
    }


# ---------------------------------------------------------------- HTTP client


class Client:
    """One official's browser or script: a keep-alive connection, cookies, token or session."""

    def __init__(self, port: int, username: str, token: str):
        self.port, self.username = port, username
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.bearer = f"Bearer {token}"

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection before this request
                # reached it: reconnect and send it once more.
                self.conn.close()
                if attempt == 2:
                    raise
        self.last_headers = response.headers  # the redirect's Location, for the caller
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data

    def login(self) -> None:
        status, page = self.request("GET", "/dang-nhap/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"trang đăng nhập trả về {status}")
        form = {"username": self.username, "password": PASSWORD}
        form["csrfmiddlewaretoken"] = token.group(1).decode()
        status, _ = self.request(
            "POST",
            "/dang-nhap/",
            urlencode(form).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"đăng nhập {self.username} thất bại ({status})")

    def api(self, method: str, path: str, data: dict | None, session: bool) -> tuple[int, dict]:
        headers = {"Accept": "application/json"}
        if session:
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        else:
            headers["Authorization"] = self.bearer
        body = None
        if data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        status, raw = self.request(method, path, body, headers)
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, {"error": raw[:200].decode("utf-8", "replace")}

    def close(self) -> None:
        self.conn.close()


@dataclass
class Run:
    """One scenario: its start line, its limits, and what the clients measured."""

    clients: int
    saves: int
    think_s: float
    deadline: float = float("inf")
    times_ms: list[float] = field(default_factory=list)
    errors: int = 0
    conflicts: int = 0
    first_error: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.start = threading.Barrier(self.clients + 1)

    def turns(self, seed: int) -> Iterator[int]:
        """0 … saves-1 until the deadline; with a think time, a pause of ±50 % before each."""
        rng = random.Random(seed)
        for i in range(self.saves):
            if self.think_s:
                time.sleep(self.think_s * (rng.uniform(0, 1) if i == 0 else rng.uniform(0.5, 1.5)))
            if time.monotonic() > self.deadline:
                return
            yield i

    def error(self, message: str) -> None:
        with self.lock:
            self.errors += 1
            self.first_error = self.first_error or message

    def record(self, elapsed_ms: float, conflicts: int) -> None:
        with self.lock:
            self.times_ms.append(elapsed_ms)
            self.conflicts += conflicts


def open_form(client: Client, report: int, form: str, session: bool) -> tuple[dict, dict, int]:
    """What a client sees before saving: current values, their versions, a fresh sequence."""
    status, body = client.api("GET", f"/api/bao-cao/{report}/", None, session)
    if status != 200:
        raise RuntimeError(f"GET báo cáo {report}: {status} {body.get('error', '')}")
    stored = body["values"].get(form, {})
    current = {code: v["raw"] for code, v in stored.items()}
    versions = {code: v["version"] for code, v in stored.items()}
    return current, versions, max((int(v) for v in current.values() if v.isdigit()), default=0) + 1


def api_worker(
    n: int,
    client: Client,
    report: int,
    form: str,
    make: Callable[[int, dict[str, str]], dict[str, str]],
    session: bool,
    run: Run,
) -> None:
    current, versions, seq = open_form(client, report, form, session)
    run.start.wait()
    for i in run.turns(n):
        values = make(seq + i, current)
        payload = {
            "form": form,
            "values": {c: {"raw": v, "version": versions.get(c, 0)} for c, v in values.items()},
        }
        began = time.perf_counter()
        try:
            status, body = client.api("PUT", f"/api/bao-cao/{report}/so-lieu/", payload, session)
        except (OSError, http.client.HTTPException) as exc:
            run.error(f"{type(exc).__name__}: {exc}")
            client.conn.close()
            continue
        elapsed = (time.perf_counter() - began) * 1000
        if status not in (200, 409):
            run.error(f"PUT {status}: {body.get('error', '')}")
            continue
        versions.update(body.get("saved", {}))
        current.update({c: values[c] for c in body.get("saved", {})})
        for code, conflict in body.get("conflicts", {}).items():
            versions[code], current[code] = conflict["version"], conflict["current"]
        run.record(elapsed, len(body.get("conflicts", {})))


VERSION_RE = re.compile(r'name="ver:([^"]+)" value="([0-9.]+)"')


def cell_worker(n: int, client: Client, report: int, run: Run) -> None:
    current, versions, seq = open_form(client, report, FORM, True)
    rows = input_rows(FORM, with_rates=False)
    run.start.wait()
    for i in run.turns(n):
        code, _, choices = rows[i % len(rows)]
        text = _next_choice(choices, current.get(code, "")) if choices else str(seq + i)
        form = {"code": code, "field": "raw", "text": text, "version": versions.get(code, 0)}
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": client.cookies.get("csrftoken", ""),
            "HX-Request": "true",
        }
        began = time.perf_counter()
        try:
            status, page = client.request(
                "POST", f"/bao-cao/{report}/bieu/{FORM}/luu/", urlencode(form).encode(), headers
            )
        except (OSError, http.client.HTTPException) as exc:
            run.error(f"{type(exc).__name__}: {exc}")
            client.conn.close()
            continue
        elapsed = (time.perf_counter() - began) * 1000
        html = page.decode("utf-8", "replace")
        if status != 200:
            run.error(f"POST ô {status}")
            continue
        run.record(elapsed, int('class="conflict"' in html))
        for saved_code, version in VERSION_RE.findall(html):
            if saved_code == code:
                versions[code] = int(version.replace(".", ""))
                current[code] = text


def guarded(target: Callable, args: tuple, run: Run) -> None:
    try:
        target(*args)
    except Exception as exc:
        run.error(f"{type(exc).__name__}: {exc}")
        run.start.abort()  # the others must not wait for this client at the start line


# ---------------------------------------------------------------- one scenario


@dataclass
class Outcome:
    db: str
    scenario: str
    planned: int
    run: Run
    wall_s: float
    cpu_ms: float  # CPU time of gunicorn's processes per request (the database's not included)
    client_ms: float  # CPU time of the load-making clients (this process) per request
    db_ms: float  # CPU time of the PostgreSQL backends per request (0 for SQLite, in-process)
    others: float  # share of the machine's CPU used by other programs meanwhile

    def row(self) -> list[str]:
        t = sorted(self.run.times_ms)
        done = len(t)
        if done:
            median = statistics.median(t)
            p95 = statistics.quantiles(t, n=20, method="inclusive")[18] if done > 1 else t[0]
            cells = [f"{median:.0f}", f"{p95:.0f}", f"{t[-1]:.0f}", f"{done / self.wall_s:.1f}"]
            verdict = "đạt" if p95 < TARGET_P95_MS and not self.run.errors else "CHƯA ĐẠT"
        else:
            cells, verdict = ["—"] * 4, "CHƯA ĐẠT"
        return [
            self.db,
            self.scenario,
            str(self.run.clients),
            f"{done}/{self.planned}",
            str(self.run.errors),
            str(self.run.conflicts),
            *cells,
            f"{self.cpu_ms:.1f}",
            f"{self.db_ms:.1f}",
            f"{self.client_ms:.1f}",
            f"{self.others:.0%}",
            verdict,
        ]


def run_scenario(
    db: str, scenario: str, meter: CpuMeter, port: int, plan: dict, args: argparse.Namespace
) -> Outcome:
    clients = args.clients
    session = scenario.startswith("cell") or "-session-" in scenario
    shared = scenario.endswith("-shared")
    if shared:
        users = plan["shared"]["users"][:clients]
        reports = [plan["shared"]["report"]] * clients
        slices = split_rows(clients)
    else:
        users = [c["user"] for c in plan["own"][:clients]]
        reports = [c["report"] for c in plan["own"][:clients]]
    conns = [Client(port, u, plan["tokens"][u]) for u in users]
    if session:  # log in before the clock starts: a page is opened once, saved many times
        for c in conns:
            c.login()
    run = Run(clients, args.saves, args.think_ms / 1000)
    threads = []
    for n, (c, report) in enumerate(zip(conns, reports, strict=True)):
        if scenario.startswith("cell"):
            work: tuple = (cell_worker, n, c, report, run)
        elif shared:
            form, rows = slices[n]
            make = lambda k, cur, rows=rows: generic_values(rows, k, cur)  # noqa: E731
            work = (api_worker, n, c, report, form, make, session, run)
        else:
            work = (api_worker, n, c, report, FORM, bm1_values, session, run)
        threads.append(threading.Thread(target=guarded, args=(work[0], work[1:], run), daemon=True))
    for t in threads:
        t.start()
    with contextlib.suppress(threading.BrokenBarrierError):
        run.start.wait(timeout=600)  # broken when a client failed first: its error is counted
    began, cpu = time.monotonic(), meter.read()
    run.deadline = began + args.duration
    for t in threads:
        t.join(timeout=args.duration + 120)
    wall = time.monotonic() - began
    server, client, database, busy = (b - a for a, b in zip(cpu, meter.read(), strict=True))
    for c in conns:
        c.close()
    done = max(1, len(run.times_ms))
    others = max(0.0, busy - server - client - database) / (wall * (os.cpu_count() or 1))
    per = 1000 / done
    return Outcome(
        db,
        scenario,
        clients * args.saves,
        run,
        wall,
        server * per,
        client * per,
        database * per,
        others,
    )


# ---------------------------------------------------------------- databases and server


def _cpu_of(pid: int | str) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy (or stolen by the host) since boot, from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used by gunicorn, by this process, by our database's PostgreSQL backends, and by
    the whole machine: what is left is other programs, which make the figures worse."""

    def __init__(self, master: int, backends: Callable[[], list[int]]):
        self.master, self.backends = master, backends
        self.seen: dict[int, float] = {}  # backend pid → CPU seconds last read

    def read(self) -> tuple[float, float, float, float]:
        server = 0.0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                got = _cpu_of(entry.name)
                if got and (entry.name == str(self.master) or got[0] == self.master):
                    server += got[1]
        for pid in self.backends():
            got = _cpu_of(pid)
            if got:
                self.seen[pid] = got[1]
        me = os.times()
        return server, me.user + me.system, sum(self.seen.values()), _machine_busy_seconds()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cchc_command() -> list[str]:
    script = BIN / "cchc"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cchc.cli"]


def gunicorn_command() -> list[str]:
    script = BIN / "gunicorn"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gunicorn"]


def start_server(env: dict, port: int, args: argparse.Namespace, log: Path) -> subprocess.Popen:
    # Static files are served from their hashed copies, as in production: collect them first.
    subprocess.run(
        [*cchc_command(), "manage", "collectstatic", "--noinput", "--verbosity=0"],
        env=env,
        cwd=log.parent,
        check=True,
    )
    command = [
        *gunicorn_command(),
        "cchc.web.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        f"--worker-class={args.worker_class}",
        # gunicorn turns a sync worker with threads into gthread: threads only when asked for.
        *([f"--threads={args.threads}"] if args.worker_class == "gthread" else []),
        # The rest as docs/deployment.md runs it in production.
        "--timeout=60",
        "--graceful-timeout=30",
        "--keep-alive=5",
        "--max-requests=2000",
        "--max-requests-jitter=200",
        "--log-level=warning",
        f"--error-logfile={log}",
    ]
    # Run from the data directory: the installed cchc is served, whatever the current directory.
    server = subprocess.Popen(command, env=env, cwd=log.parent, start_new_session=True)
    until = time.monotonic() + 60
    while time.monotonic() < until:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn dừng ngay (mã {server.returncode}):\n{log.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/dang-nhap/")
            if conn.getresponse().status == 200:
                conn.close()
                _wait_until_booted(server.pid, args.workers, until)
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"gunicorn không trả lời trên cổng {port} sau 60 giây:\n{log.read_text()}")


def _wait_until_booted(master: int, workers: int, until: float) -> None:
    """Until every worker has started and loaded the application (their CPU time stops
    growing): the first one answers while the others still import, and timing then
    would count their start-up, which no save pays."""
    last = -1.0
    while time.monotonic() < until:
        time.sleep(0.5)
        children = [
            got
            for entry in Path("/proc").iterdir()
            if entry.name.isdigit() and (got := _cpu_of(entry.name)) and got[0] == master
        ]
        used = sum(cpu for _, cpu in children)
        if len(children) >= workers and used - last < 0.05:
            return
        last = used


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)  # gunicorn's master and its workers (own session)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def child(mode: str, env: dict, *extra: str) -> dict:
    """Run this file again with Django set up on the given database; its last line is JSON."""
    out = subprocess.run(
        [sys.executable, __file__, mode, *extra], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"{mode} thất bại:\n{out.stdout}\n{out.stderr}")
    lines = out.stdout.rstrip().splitlines()
    for line in lines[:-1]:
        print(line)
    return json.loads(lines[-1])


class Database:
    """A database that exists only for the run: created on enter, removed on exit."""

    def __init__(self, kind: str, tmp: Path, pg_url: str):
        self.kind, self.tmp, self.pg_url = kind, tmp, pg_url
        self.name = f"cchc_bench_{os.getpid()}"

    def __enter__(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DATABASE_"))}
        env.update({"CCHC_DATA_DIR": str(self.tmp), "CCHC_DEV": "1", "CCHC_DEBUG": "0"})
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.pg_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
            url = urlsplit(self.pg_url)
            env["DATABASE_URL"] = url._replace(path=f"/{self.name}").geturl()
        else:
            env["DATABASE_URL"] = f"sqlite:///{self.tmp / 'cchc.sqlite3'}"
        return env

    def __exit__(self, *exc) -> None:
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.pg_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def backends(database_url: str) -> Callable[[], list[int]]:
    """The pids of the PostgreSQL backends serving our database (none for SQLite)."""
    if not database_url.startswith("postgres"):
        return list

    def pids() -> list[int]:
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        return [pid for (pid,) in rows]

    return pids


def run_database(kind: str, args: argparse.Namespace) -> list[Outcome]:
    tmp = Path(tempfile.mkdtemp(prefix=f"cchc-bench-{kind}-"))
    outcomes: list[Outcome] = []
    try:
        with Database(kind, tmp, args.pg_url) as env:
            migrate = subprocess.run(
                [*cchc_command(), "manage", "migrate", "--verbosity=0"],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            if migrate.returncode != 0:
                raise SystemExit(f"migrate thất bại:\n{migrate.stdout}\n{migrate.stderr}")
            plan = child("--_prepare", env, str(args.clients))
            port = args.port or free_port()
            server = start_server(env, port, args, tmp / "gunicorn.log")
            meter = CpuMeter(server.pid, backends(env["DATABASE_URL"]))
            try:
                # Untimed: each worker's first saves build the template and connect to the
                # database; a server that has been up a while has done so long ago.
                print(f"… {kind}: khởi động (không tính)", file=sys.stderr, flush=True)
                warm = argparse.Namespace(**{**vars(args), "saves": WARM_UP_SAVES})
                kinds = {s.split("-")[0] for s in args.scenarios}
                for scenario in [w for w in ("api-token-own", "cell-own") if w[:3] in kinds]:
                    run_scenario(kind, scenario, meter, port, plan, warm)
                for scenario in args.scenarios:
                    print(f"… {kind}: {scenario}", file=sys.stderr, flush=True)
                    outcomes.append(run_scenario(kind, scenario, meter, port, plan, args))
            finally:
                stop_server(server)
            log = (tmp / "gunicorn.log").read_text(errors="replace").strip()
            if log:
                print(f"Nhật ký gunicorn ({kind}):\n{log[-3000:]}")
            if args.profile:
                report = plan["own"][0]
                token = plan["tokens"][report["user"]]
                child("--_profile", env, report["user"], str(report["report"]), token)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return outcomes


# ---------------------------------------------------------------- in-process profile


def profile(username: str, report: int, token: str, runs: int = 20) -> dict:
    """One client, no server: where the time of one save of Biểu mẫu 1 goes.

    Each part is timed by wrapping it in this process only (the application is
    not changed): the token check, save_values and its write transaction
    (the time SQLite's single write lock is held), and the response
    (_report_json, which reruns check_report). Then a cProfile of a few saves.
    """
    import cProfile
    import io
    import pstats

    from cchc.web.manage import setup

    setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.transaction import Atomic
    from django.test import Client as DjangoClient

    from cchc.web.api import auth as api_auth
    from cchc.web.api import endpoints as api

    spent: dict[str, float] = {}
    queries = [0, 0.0]
    opened: list[float] = []

    def add(name: str, seconds: float) -> None:
        spent[name] = spent.get(name, 0.0) + seconds

    def timed(name: str, fn: Callable) -> Callable:
        def wrapper(*a, **kw):
            began = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                add(name, time.perf_counter() - began)

        return wrapper

    def count(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries[0] += 1
            queries[1] += time.perf_counter() - began

    enter, leave = Atomic.__enter__, Atomic.__exit__

    def atomic_enter(self):
        outermost = not connection.in_atomic_block
        enter(self)
        if outermost:
            opened.append(time.perf_counter())  # BEGIN (IMMEDIATE on SQLite) has returned

    def atomic_exit(self, *exc):
        try:
            return leave(self, *exc)
        finally:
            if not connection.in_atomic_block and opened:
                add("  transaction (BEGIN…COMMIT)", time.perf_counter() - opened.pop())

    Atomic.__enter__, Atomic.__exit__ = atomic_enter, atomic_exit
    order = ["bearer_login (mã API)", "_report (báo cáo, quyền xem)", "save_values"]
    order += ["  transaction (BEGIN…COMMIT)"]
    order += ["_report_json (trả lời)", "  read_values", "  read_report", "  check_narrative_of"]
    order += ["CPU của tiến trình Python"]
    api_auth.bearer_login = timed("bearer_login (mã API)", api_auth.bearer_login)
    api._report = timed("_report (báo cáo, quyền xem)", api._report)
    api.save_values = timed("save_values", api.save_values)
    api._report_json = timed("_report_json (trả lời)", api._report_json)
    for name in ("read_values", "read_report", "check_narrative_of"):
        setattr(api, name, timed(f"  {name}", getattr(api, name)))

    client = DjangoClient()
    bearer = f"Bearer {token}"
    body = client.get(f"/api/bao-cao/{report}/", HTTP_AUTHORIZATION=bearer).json()
    current = {c: v["raw"] for c, v in body["values"].get(FORM, {}).items()}
    versions = {c: v["version"] for c, v in body["values"].get(FORM, {}).items()}
    seq = [max((int(v) for v in current.values() if v.isdigit()), default=0) + 1]

    def save(headers: dict) -> float:
        values = bm1_values(seq[0], current)
        seq[0] += 1
        payload = {c: {"raw": v, "version": versions.get(c, 0)} for c, v in values.items()}
        began, cpu = time.perf_counter(), time.process_time()
        response = client.put(
            f"/api/bao-cao/{report}/so-lieu/",
            json.dumps({"form": FORM, "values": payload}),
            content_type="application/json",
            **headers,
        )
        elapsed = time.perf_counter() - began
        add("CPU của tiến trình Python", time.process_time() - cpu)
        if response.status_code != 200:
            raise SystemExit(f"PUT {response.status_code}: {response.content[:300]!r}")
        versions.update(response.json()["saved"])
        current.update(values)
        return elapsed

    vendor = connection.vendor
    for label, headers in (("mã API", {"HTTP_AUTHORIZATION": bearer}), ("phiên", {})):
        if not headers:
            client.force_login(get_user_model().objects.get(username=username))
        save(headers)  # warm up
        spent.clear()
        queries[:] = [0, 0.0]
        with connection.execute_wrapper(count):
            total = sum(save(headers) for _ in range(runs))
        print(f"{vendor}: một máy khách, trong tiến trình, {runs} lần lưu Biểu mẫu 1 ({label}):")
        print(f"  {'cả yêu cầu':<34} {total / runs * 1000:8.1f} ms")
        for name in order:
            if name in spent:
                print(f"  {name:<34} {spent[name] / runs * 1000:8.1f} ms")
        print(
            f"  {'thời gian chờ SQL (mọi truy vấn)':<34} {queries[1] / runs * 1000:8.1f} ms "
            f"({queries[0] / runs:.0f} truy vấn mỗi lần lưu)"
        )
    statements: list[str] = []

    def note(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        save({})
    print(f"{vendor}: các câu lệnh SQL của một lần lưu (phiên):")
    for sql in statements:
        print(f"  {sql[:150]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        save({})
    profiler.disable()
    # Own time by package (django/db, psycopg, ninja…; cchc by module): what a save pays for.
    spent_in: dict[str, float] = {}
    for (path, _, name), (_, _, own, _, _) in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
        package = re.search(r"site-packages/(\w+)/(\w+)?", path)
        if package:
            where = "/".join(p for p in package.groups() if p)
        elif "/cchc/" in path:
            where = "cchc/" + path.split("/cchc/")[-1]
        else:
            where = name if path == "~" else Path(path).name
        spent_in[where] = spent_in.get(where, 0.0) + own
    print(f"{vendor}: thời gian riêng theo gói, mỗi lần lưu (cProfile làm chậm khoảng 2 lần):")
    for where, own in sorted(spent_in.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {where[:60]:<60} {own / 5 * 1000:6.2f} ms")
    # The layers every request crosses (test client, handlers, middleware) say nothing.
    noise = re.compile(
        r"django/(test|core/handlers|utils/deprecation|views/decorators)/|middleware"
    )
    for order_by, what in (("cumulative", "thời gian tích lũy"), ("tottime", "thời gian riêng")):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order_by).print_stats(400)
        print(f"{vendor}: cProfile của 5 lần lưu (phiên), xếp theo {what}:")
        text = out.getvalue()
        lines = text[text.find("ncalls") :].rstrip().splitlines()
        shown = [line for line in lines[1:] if not noise.search(line) and __file__ not in line]
        if order_by == "cumulative":  # where in cchc's own code the time goes
            shown = [line for line in shown if "/cchc/" in line]
        print("\n".join([lines[0], *shown[:22]]))
    return {}


# ---------------------------------------------------------------- main


def print_table(outcomes: list[Outcome], args: argparse.Namespace) -> None:
    head = ["CSDL", "kịch bản", "máy khách", "yêu cầu", "lỗi", "xung đột"]
    head += ["trung vị ms", "p95 ms", "max ms", "yêu cầu/s"]
    head += ["CPU web ms/yc", "CPU CSDL ms/yc", "CPU máy khách ms/yc", "CPU khác"]
    head += [f"p95 < {TARGET_P95_MS:.0f} ms"]
    rows = [head, *(o.row() for o in outcomes)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    print()
    print(
        f"gunicorn {args.worker_class}: {args.workers} tiến trình"
        + (f" × {args.threads} luồng; " if args.worker_class == "gthread" else "; ")
        + f"{args.clients} máy khách, tối đa {args.saves} lần lưu mỗi máy khách "
        f"và {args.duration:.0f} giây mỗi kịch bản; "
        + (
            f"nghỉ trung bình {args.think_ms:.0f} ms giữa hai lần lưu; "
            if args.think_ms
            else "lưu liên tục, không nghỉ; "
        )
        + f"{os.cpu_count()} lõi CPU."
    )
    for n, r in enumerate(rows):
        print(
            "  ".join(
                c.ljust(w) if i < 2 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
        if n == 0:
            print("  ".join("-" * w for w in widths))
    for o in outcomes:
        if o.run.first_error:
            print(f"{o.db} {o.scenario}: lỗi đầu tiên: {o.run.first_error}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--_prepare":
        print(json.dumps(prepare(int(sys.argv[2]))))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--_profile":
        print(json.dumps(profile(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--saves", type=int, default=50, help="lần lưu tối đa mỗi máy khách")
    parser.add_argument("--duration", type=float, default=60, help="giây tối đa mỗi kịch bản")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0,
        help="nghỉ giữa hai lần lưu của một máy khách (±50 %%); 0: lưu liên tục",
    )
    parser.add_argument("--workers", type=int, default=4, help="tiến trình gunicorn")
    parser.add_argument(
        "--threads", type=int, default=4, help="luồng mỗi tiến trình gunicorn (gthread)"
    )
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="sync")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: any free)")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help="PostgreSQL để tạo CSDL tạm")
    parser.add_argument("--profile", action="store_true", help="đo từng phần của một lần lưu")
    args = parser.parse_args()
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = [s for s in args.scenarios if s not in SCENARIOS]
    if unknown or not 1 <= args.clients <= 60 or args.saves < 1:
        parser.error(f"kịch bản: {', '.join(SCENARIOS)}; 1–60 máy khách; ít nhất 1 lần lưu")
    if urlsplit(args.pg_url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--pg-url phải là máy này (127.0.0.1)")
    outcomes: list[Outcome] = []
    for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        outcomes += run_database(kind, args)
    print_table(outcomes, args)


if __name__ == "__main__":
    main()
