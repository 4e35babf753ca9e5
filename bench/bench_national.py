"""A national reviewer's pages over HTTP, and the deadline rush (targets: every page < 1 s,
the consolidated Word report ready < 5 s, ≥ 15 submissions/s with p95 < 1 s at 16 clients).

Builds the national database of `bench_consolidation.py` (Bộ Nội vụ above 34
provinces and 3.321 communes, template pl-2024) with its last N rounds (default
9: the quarter under way and the 8 earlier quarters, half years and nine months
since the tree of provinces and communes starts, on 1/7/2025), stores the
consolidations, then starts gunicorn as `docs/operations.md` runs it (4 workers)
and, logged in as the ministry's reviewer, times each page a national reviewer
opens (one warm-up, median of N): the round list, the round dashboard (first
page), the consolidation page, its CSV and XLSX, «So sánh» with its earlier
rounds, the consolidated Word report (until the file has arrived) and one
commune's form. Then the rush: R approved reports of the latest round, sent by
16 leaders at once (each leads R/16 communes); prints submissions per second,
p50/p95/max, errors, and whether the stored totals still equal a full
recomputation. Beside them: one hand-written DuckDB query over the same values
(the machine's physical limit for the sum) and the ratio of the stored
consolidation read to it. Every figure is printed with the machine's load.

    .venv/bin/python bench/bench_national.py [--db sqlite|postgres|both]
        [--periods 9] [--runs 3] [--rush 320] [--clients 16] [--pg-url postgres://…]
        [--db-prefix cchc_bench_nat]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_consolidation as national  # the national generator, shared
from bench_concurrent_saves import (
    Client,
    CpuMeter,
    backends,
    free_port,
    start_server,
    stop_server,
)

ROOT = Path(__file__).resolve().parents[1]
PAGE_TARGET_S, REPORT_TARGET_S = 1.0, 5.0
RUSH_RATE, RUSH_P95_S, DUCKDB_RATIO = 15.0, 1.0, 1.5
REVIEWER = "bench.bnv"


# ---------------------------------------------------------------- inside Django


def prepare(periods: int, rush: int, clients: int) -> dict:
    """The national rounds, their stored totals, the reviewer, and `rush` approved reports
    of the latest round shared among `clients` leaders."""
    national._setup()
    made = national.generate(periods)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from cchc.web.organisation.models import Membership, OrgUnit, Role
    from cchc.web.reporting.consolidation import sync_round_totals
    from cchc.web.reporting.models import Report, ReportingRound, ReportState

    users = get_user_model()
    secret = make_password(national_password())  # one hash for every bench account
    reviewer = users.objects.create(username=REVIEWER, password=secret, first_name="Cán bộ")
    nation = OrgUnit.objects.get(code=national.NATIONAL_CODE)
    Membership.objects.create(user=reviewer, unit=nation, role=Role.REVIEWER)
    latest = made["round"]
    chosen = list(
        Report.objects.filter(round_id=latest, state=ReportState.SUBMITTED)
        .order_by("unit__code")
        .values_list("pk", "unit_id")[:rush]
    )
    Report.objects.filter(pk__in=[pk for pk, _ in chosen]).update(
        state=ReportState.APPROVED, submitted_at=None
    )
    leaders: list[dict] = []
    for n in range(clients):
        mine = chosen[n::clients]
        user = users.objects.create(username=f"bench.ld{n:02d}", password=secret)
        Membership.objects.bulk_create(
            Membership(user=user, unit_id=unit, role=Role.LEADER) for _, unit in mine
        )
        leaders.append({"username": user.username, "reports": [pk for pk, _ in mine]})
    start = time.perf_counter()
    for rnd in ReportingRound.objects.select_related("template", "issuer"):
        sync_round_totals(rnd, force=True)
    form_report = Report.objects.filter(round_id=latest).order_by("pk").first()
    return {
        **made,
        "stored_s": time.perf_counter() - start,
        "leaders": leaders,
        "form_report": form_report.pk,
        "form": "PL2",
    }


def national_password() -> str:
    return "cchc-bench-" + "0" * 8


def verify(round_id: int) -> dict:
    """Whether the stored consolidation equals the full recomputation after the rush."""
    national._setup()
    from cchc.web.reporting.models import Report, ReportState

    equal, differences = national.stored_equals_full(round_id)
    left = Report.objects.filter(round_id=round_id, state=ReportState.APPROVED).count()
    return {"equal": equal, "differences": differences, "still_approved": left}


def duckdb_sum(round_id: int, runs: int, folder: str) -> dict:
    """The latest round's submitted values in DuckDB; one query sums them per province,
    form and indicator, as the consolidation does; and the stored read beside it."""
    import duckdb

    national._setup()
    from django.db import connection

    from cchc.web.organisation.models import UnitLink
    from cchc.web.reporting.consolidation import consolidate_round
    from cchc.web.reporting.models import ReportingRound, ReportState, ReportValue

    rnd = ReportingRound.objects.select_related("template", "issuer").get(pk=round_id)
    path = Path(folder) / "values.csv"
    parents = dict(
        UnitLink.objects.filter(valid_to__isnull=True).values_list("child_id", "parent_id")
    )
    rows = (
        ReportValue.objects.filter(
            report__round_id=round_id,
            report__state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED],
        )
        .values_list("report__unit_id", "form", "code", "raw")
        .iterator(chunk_size=20_000)
    )
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["province", "form", "code", "raw"])
        writer.writerows((parents.get(unit, 0), form, code, raw) for unit, form, code, raw in rows)
    con = duckdb.connect()
    con.execute(f"CREATE TABLE v AS SELECT * FROM read_csv('{path}', all_varchar = true)")
    query = r"""
        SELECT province, form, code,
               SUM(CAST(replace(replace(raw, '.', ''), ',', '.') AS DOUBLE)), COUNT(*)
        FROM v WHERE regexp_full_match(raw, '-?[0-9.]*[0-9](,[0-9]+)?')
        GROUP BY province, form, code
    """
    timed = []
    for n in range(runs + 1):
        start = time.perf_counter()
        con.execute(query).fetchall()
        if n:  # the first run warms DuckDB up
            timed.append(time.perf_counter() - start)
    read = []
    for n in range(runs + 1):
        start = time.perf_counter()
        consolidate_round(rnd)
        if n:
            read.append(time.perf_counter() - start)
    return {
        "duckdb_s": statistics.median(timed),
        "read_s": statistics.median(read),
        "values": con.execute("SELECT COUNT(*) FROM v").fetchone()[0],
        "vendor": connection.vendor,
    }


# ---------------------------------------------------------------- over HTTP


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    """gunicorn as docs/deployment.md runs it: 4 sync workers, its timeouts."""
    return start_server(env, port, argparse.Namespace(workers=4, worker_class="sync"), log)


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    """The job queue's worker, as docs/operations.md runs it beside gunicorn: the Word
    report is made there, and its time counts until the file has arrived."""
    command = [sys.executable, "-m", "cchc.web.manage", "db_worker", "--queue-name", "*"]
    command += ["--interval", "0.5", "--no-startup-delay", "--no-reload", "--verbosity", "0"]
    with log.open("w") as out:
        return subprocess.Popen(
            command, env=env, cwd=log.parent, stdout=out, stderr=out, start_new_session=True
        )


def login(port: int, username: str) -> Client:
    client = Client(port, username, token="")
    status, page = client.request("GET", "/dang-nhap/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    form = {"username": username, "password": national_password()}
    form["csrfmiddlewaretoken"] = token.group(1).decode() if token else ""
    status, _ = client.request(
        "POST",
        "/dang-nhap/",
        urlencode(form).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 302:
        raise SystemExit(f"đăng nhập {username} thất bại ({status})")
    return client


def fetch_file(client: Client, path: str, limit_s: float = 120) -> tuple[int, int]:
    """GET until the file itself arrives: when the answer is a page saying the file is
    being made (a background job) or a redirect to one, poll it every 0,2 s and follow
    its link to the file."""
    until = time.monotonic() + limit_s
    while True:
        status, body = client.request("GET", path)
        if status in (301, 302, 303) and client.last_headers.get("Location"):
            path = client.last_headers["Location"]
            continue
        page = body[:300].lstrip().lower().startswith((b"<!doctype", b"<html"))
        if (status == 200 and not page) or status >= 400 or time.monotonic() > until:
            return status, len(body)
        link = re.search(rb'href="([^"]+\.docx[^"]*)"', body)
        path = link.group(1).decode().replace("&amp;", "&") if link else path
        time.sleep(0.2)


def time_pages(port: int, made: dict, runs: int) -> list[dict]:
    latest, form_report = made["round"], made["form_report"]
    client = login(port, REVIEWER)
    consolidation = f"/dot-bao-cao/{latest}/tong-hop/"
    pages = [
        ("«Đợt báo cáo» (danh sách đợt)", "/dot-bao-cao/", False),
        ("bảng theo dõi đợt (trang đầu)", f"/dot-bao-cao/{latest}/", False),
        ("số liệu tổng hợp", f"/dot-bao-cao/{latest}/tong-hop/", False),
        ("tổng hợp, tải CSV", f"/dot-bao-cao/{latest}/tong-hop/?tep=csv", False),
        ("tổng hợp, tải XLSX", f"/dot-bao-cao/{latest}/tong-hop/?tep=xlsx", False),
        (
            f"«So sánh» ({made['rounds'] - 1} đợt trước)",
            f"/dot-bao-cao/{latest}/so-sanh/",
            False,
        ),
        ("báo cáo tổng hợp Word (đến khi có tệp)", f"{consolidation}bao-cao.docx", True),
        ("biểu của một xã", f"/bao-cao/{form_report}/bieu/{made['form']}/", False),
    ]
    out = []
    for label, path, is_file in pages:
        times, size, status = [], 0, 0
        for n in range(runs + 1):
            start = time.perf_counter()
            if is_file:
                status, size = fetch_file(client, path)
            else:
                status, body = client.request("GET", path)
                size = len(body)
            if n:
                times.append(time.perf_counter() - start)
        target = REPORT_TARGET_S if is_file else PAGE_TARGET_S
        out.append(
            {"page": label, "s": statistics.median(times), "status": status, "kb": size / 1024}
            | {"target": target, "load": os.getloadavg()[0]}
        )
    client.close()
    return out


def rush(port: int, leaders: list[dict], meter: CpuMeter) -> dict:
    """Every leader logs in first, then all send their reports at once; beside the times,
    the CPU each submission cost gunicorn and PostgreSQL (less noisy than the wall clock
    on a shared machine) and the share of the machine other programs took meanwhile."""
    clients = [(login(port, leader["username"]), leader["reports"]) for leader in leaders]
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(clients) + 1)

    def send(client: Client, reports: list[int]) -> None:
        gate.wait()
        for pk in reports:
            body = urlencode({"action": "submit"}).encode()
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": client.cookies.get("csrftoken", ""),
            }
            start = time.perf_counter()
            try:
                status, _ = client.request(
                    "POST", f"/bao-cao/{pk}/chuyen-trang-thai/", body, headers
                )
            except OSError as exc:
                status = f"{type(exc).__name__}"
            elapsed = time.perf_counter() - start
            with lock:
                times.append(elapsed)
                if status not in (302, 303):
                    errors.append(f"báo cáo {pk}: {status}")

    threads = [threading.Thread(target=send, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    gate.wait()
    start, cpu = time.perf_counter(), meter.read()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    server, client, database, busy = (b - a for a, b in zip(cpu, meter.read(), strict=True))
    times.sort()
    per = 1000 / max(1, len(times))
    return {
        "cpu_ms": server * per,
        "db_ms": database * per,
        "others": max(0.0, busy - server - client - database) / (wall * (os.cpu_count() or 1)),
        "sent": len(times),
        "rate": len(times) / wall,
        "p50": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "max": times[-1],
        "errors": errors,
        "load": os.getloadavg()[0],
    }


# ---------------------------------------------------------------- driver


def _child(mode: str, env: dict, *extra: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, mode, *extra], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"{mode} thất bại:\n{out.stdout[-3000:]}\n{out.stderr[-5000:]}")
    return json.loads(out.stdout.rstrip().splitlines()[-1])


def run_database(kind: str, args: argparse.Namespace) -> dict:
    name = f"{args.db_prefix}_{os.getpid()}"
    with national.scratch_database(kind, args.pg_url, name) as (env, tmp):
        say(f"{kind}: tạo dữ liệu ({args.periods} đợt toàn quốc)")
        made = _child("--_prepare", env, str(args.periods), str(args.rush), str(args.clients))
        stored = vn(made["stored_s"], 1)
        say(f"{kind}: {vn(made['values'], 0)} giá trị; tổng hợp lưu sẵn {stored} s")
        limit = _child("--_duckdb", env, str(made["round"]), str(args.runs), str(tmp))
        port = free_port()
        server = start_gunicorn(env, port, tmp / "gunicorn.log")
        worker = start_worker(env, tmp / "worker.log")
        try:
            say(f"{kind}: đo các trang ({args.runs} lần)")
            pages = time_pages(port, made, args.runs)
            say(f"{kind}: {args.rush} báo cáo gửi cùng lúc bởi {args.clients} lãnh đạo")
            rushed = rush(
                port, made["leaders"], CpuMeter(server.pid, backends(env["DATABASE_URL"]))
            )
        finally:
            stop_server(server)
            stop_server(worker)
        checked = _child("--_verify", env, str(made["round"]))
        return {
            "kind": kind,
            "made": made,
            "pages": pages,
            "rush": rushed,
            "check": checked,
            "duckdb": limit,
        }


def vn(x: float, digits: int = 2) -> str:
    """A figure written the Vietnamese way: 1.234,56."""
    return f"{x:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def say(text: str) -> None:
    print(f"… {text}", file=sys.stderr, flush=True)


def verdict(ok: bool) -> str:
    return "đạt" if ok else "CHƯA ĐẠT"


def report(result: dict) -> bool:
    ok = True
    made, rushed, check = result["made"], result["rush"], result["check"]
    print(
        f"\n== {result['kind']}: {made['communes']} xã, {made['rounds']} đợt, "
        f"{vn(made['values'], 0)} giá trị =="
    )
    for page in result["pages"]:
        good = page["status"] == 200 and page["s"] < page["target"]
        ok &= good
        print(
            f"  {page['page']:<42} {vn(page['s']):>6} s  {vn(page['kb'], 0):>8} KB  "
            f"HTTP {page['status']}  tải {vn(page['load'], 1)}  "
            f"(mục tiêu < {page['target']:.0f} s: {verdict(good)})"
        )
    limit = result["duckdb"]
    ratio = limit["read_s"] / limit["duckdb_s"]
    ok &= ratio <= DUCKDB_RATIO
    print(
        f"  đọc số liệu tổng hợp lưu sẵn {vn(limit['read_s'], 3)} s; DuckDB, một câu SQL trên "
        f"{vn(limit['values'], 0)} giá trị {vn(limit['duckdb_s'], 3)} s; tỉ lệ {vn(ratio, 1)}× "
        f"(mục tiêu ≤ {vn(DUCKDB_RATIO, 1)}×: {verdict(ratio <= DUCKDB_RATIO)})"
    )
    good = (
        rushed["rate"] >= RUSH_RATE
        and rushed["p95"] < RUSH_P95_S
        and not rushed["errors"]
        and check["equal"]
        and check["still_approved"] == 0
    )
    ok &= good
    print(
        f"  gửi dồn: {rushed['sent']} báo cáo, {vn(rushed['rate'], 1)}/s, "
        f"p50 {vn(rushed['p50'])} s, p95 {vn(rushed['p95'])} s, lâu nhất {vn(rushed['max'])} s, "
        f"lỗi {len(rushed['errors'])}, CPU mỗi lần gửi: gunicorn {vn(rushed['cpu_ms'], 0)} ms, "
        f"PostgreSQL {vn(rushed['db_ms'], 0)} ms; chương trình khác {rushed['others']:.0%}, "
        f"tải {vn(rushed['load'], 1)}; tổng hợp lưu sẵn bằng "
        f"tính lại: {'có' if check['equal'] else 'KHÔNG'} "
        f"(mục tiêu ≥ {RUSH_RATE:.0f}/s, p95 < {RUSH_P95_S:.0f} s: {verdict(good)})"
    )
    for line in rushed["errors"][:5] + check["differences"][:5]:
        print(f"    {line}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--periods", type=int, default=9)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rush", type=int, default=320)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--pg-url", default=national.DEFAULT_PG)
    parser.add_argument(
        "--db-prefix", default="cchc_bench_nat", help="the scratch PostgreSQL database's name"
    )
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    ok = True
    for kind in kinds:
        result = run_database(kind, args)
        ok &= report(result)
    print(f"\nTải máy khi kết thúc: {vn(os.getloadavg()[0], 1)}. Kết luận: {verdict(ok)}.")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("--_"):
        mode, extra = sys.argv[1], sys.argv[2:]
        if mode == "--_prepare":
            got = prepare(int(extra[0]), int(extra[1]), int(extra[2]))
        elif mode == "--_verify":
            got = verify(int(extra[0]))
        else:
            got = duckdb_sum(int(extra[0]), int(extra[1]), extra[2])
        print(json.dumps(got, default=str))
    else:
        raise SystemExit(main())
