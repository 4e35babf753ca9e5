"""How long a national consolidation takes (target: under 1 s, at most 1,5× one SQL query).

Builds a national-scale database — SQLite in a temporary directory and/or a
throwaway PostgreSQL database `cchc_bench_cons_<pid>` (dropped at the end):
"Bộ Nội vụ" above the 34 provinces, the 3.321 communes of `load_vietnam_units`,
template pl-2024, and the last N rounds (default 3) of quarters, half years and
nine months since the 2025 reform, the last one the quarter under way, issued by
the ministry with a report per commune (most submitted or accepted, a
few drafts, a few late) holding ~130 values each (~430.000 values per round).
Values are written with bulk_create on SQLite and COPY on PostgreSQL.

Then, in a fresh process on the latest round: makes its stored consolidation
(`sync_round_totals(force=True)`: the generated reports bypassed the workflow),
and times (one warm-up, median of N runs) what the consolidation page computes
— `consolidate_round` (the stored branch tallies merged), the breakdown by
province, every by_level figure and the table rows — against one hand-written
SQL query that sums the numeric raw texts per province, form and indicator over
the submitted reports. Prints both, their ratio, the tracemalloc peak of one
page consolidation and the process's maxrss; then the time of a full rebuild of
the stored tallies, of one state change (a report returned, then sent again:
one branch made again), of the full recomputation from every value, and
whether the stored consolidation equals it. Also the machine's load average.

    .venv/bin/python bench/bench_consolidation.py [--db sqlite|postgres|both]
        [--periods 3] [--runs 5] [--profile] [--pg-url postgres://…]

Only local databases are used; the temporary data is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 1.0
TARGET_RATIO = 1.5
TEMPLATE = "pl-2024"
NATIONAL_CODE = "BNV"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"
SEED = 20251


# ---------------------------------------------------------------- inside Django


def _setup() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.web.settings"
    django.setup()


def _periods(count: int) -> list[tuple[str, object, object, object]]:
    """(key, window start, window end, deadline) of the last `count` rounds a ministry
    runs after the 2025 reform (the tree of provinces and communes starts on 1/7/2025),
    oldest first: every quarter, half year and nine months that has ended, then the
    quarter under way (its reports are coming in). pl-2024 takes all these periods,
    and a round's «So sánh» reads up to 8 earlier ones."""
    from datetime import UTC, date, datetime, timedelta

    from cchc.core.periods import Period, PeriodType

    today = date.today()
    current = Period(PeriodType.QUARTER, today.year, (today.month - 1) // 3 + 1)

    def span(p: Period) -> tuple[date, date]:
        start = date(p.year, p.first_month, 1)
        after = date(p.year + (p.last_month == 12), p.last_month % 12 + 1, 1)
        return start, after - timedelta(days=1)

    found = []
    for year in range(2025, today.year + 1):
        for kind, numbers in (
            (PeriodType.QUARTER, (1, 2, 3, 4)),
            (PeriodType.HALF_YEAR, (1, 2)),
            (PeriodType.NINE_MONTHS, (1,)),
        ):
            for n in numbers:
                period = Period(kind, year, n)
                start, end = span(period)
                if start >= date(2025, 7, 1) and (period == current or end < span(current)[0]):
                    found.append((end, start, period))
    found.sort(key=lambda f: (f[0], f[1]))  # by cut-off day; the longer span first
    if count > len(found):
        raise SystemExit(
            f"Quá nhiều kỳ: cây tỉnh/xã chỉ có từ 1/7/2025, nên chỉ có {len(found)} đợt."
        )
    out = []
    for end, start, period in found[-count:]:
        deadline = datetime.combine(end + timedelta(days=20), datetime.min.time(), UTC)
        out.append((period.key, start, end, deadline))
    return out


def _raw_maker(rng):
    """kind → a function giving a realistic raw text as an official types it."""

    def count(_choices) -> str:
        n = rng.randint(0, 60) if rng.random() < 0.8 else rng.randint(60, 4000)
        return f"{n:,}".replace(",", ".")

    def rate(_choices) -> str:
        return f"{rng.uniform(40, 100):.2f}".replace(".", ",")

    def amount(_choices) -> str:
        text = f"{rng.uniform(0, 50_000):,.1f}"
        return text.replace(",", " ").replace(".", ",").replace(" ", ".")

    def choice(choices) -> str:
        return str(rng.choice(choices))

    return {"count": count, "rate": rate, "amount": amount, "choice": choice}


def generate(periods: int) -> dict:
    """Write the units, the template and the rounds; return what was made and how long."""
    import random

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from cchc.web.organisation.models import OrgUnit, UnitLink
    from cchc.web.organisation.units_loader import REFORM_DATE, load_vietnam_units
    from cchc.web.reporting.models import (
        Report,
        ReportingRound,
        ReportState,
        ReportValue,
        TemplateVersion,
    )
    from cchc.web.reporting.template_versions.store import install_bundled_templates, template_of

    timings: dict[str, float] = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    timings["migrate"] = time.perf_counter() - start

    start = time.perf_counter()
    install_bundled_templates()
    version = TemplateVersion.objects.get(template_id=TEMPLATE)
    template = template_of(version)
    load_vietnam_units()
    nation = OrgUnit.objects.create(code=NATIONAL_CODE, name="Bộ Nội vụ", level="bo")
    provinces = list(OrgUnit.objects.filter(level="tinh").values_list("id", flat=True))
    UnitLink.objects.bulk_create(
        UnitLink(child_id=p, parent=nation, valid_from=REFORM_DATE) for p in provinces
    )
    communes = list(
        OrgUnit.objects.filter(level="xa").order_by("code").values_list("id", flat=True)
    )
    timings["units"] = time.perf_counter() - start

    slots = [
        (form.code, ind.code, ind.kind.value, [int(c) for c in (ind.choices or {})])
        for form in template.forms
        for ind in form.indicators
        if ind.kind.value != "heading"
    ]
    rng = random.Random(SEED)
    make = _raw_maker(rng)
    postgres = connection.vendor == "postgresql"
    table = ReportValue._meta.db_table
    now = timezone.now()
    values_written = 0
    start = time.perf_counter()
    rounds = []
    for key, window_start, window_end, deadline in _periods(periods):
        with transaction.atomic():
            rnd = ReportingRound.objects.create(
                issuer=nation,
                template=version,
                title=f"Báo cáo CCHC {key} (toàn quốc)",
                period_key=key,
                window_start=window_start,
                window_end=window_end,
                deadline=deadline,
            )
            rounds.append(rnd.pk)
            reports = []
            for unit_id in communes:
                draw = rng.random()
                if draw < 0.04:
                    state, submitted_at = ReportState.DRAFT, None
                else:
                    state = ReportState.ACCEPTED if draw < 0.6 else ReportState.SUBMITTED
                    late = rng.random() < 0.06
                    offset = rng.uniform(1, 15) * (1 if late else -1)
                    submitted_at = deadline + (offset * (deadline - deadline.replace(day=1)) / 30)
                    submitted_at = min(submitted_at, now)  # the round under way: sent by now
                reports.append(
                    Report(round=rnd, unit_id=unit_id, state=state, submitted_at=submitted_at)
                )
            Report.objects.bulk_create(reports, batch_size=1000)
            ids = dict(Report.objects.filter(round=rnd).values_list("unit_id", "id"))
            drafts = set(
                Report.objects.filter(round=rnd, state=ReportState.DRAFT).values_list(
                    "id", flat=True
                )
            )

            def rows(ids=ids, drafts=drafts):
                for unit_id in communes:
                    report_id = ids[unit_id]
                    share = 0.5 if report_id in drafts else 0.995
                    for form, code, kind, choices in slots:
                        if rng.random() >= share:
                            continue
                        if rng.random() < 0.01:  # nothing to report, said in a note
                            yield report_id, form, code, "", "Không phát sinh trong kỳ"
                        else:
                            yield report_id, form, code, make[kind](choices), ""

            if postgres:
                with (
                    connection.cursor() as cursor,
                    cursor.cursor.copy(
                        f"COPY {table} (report_id, form, code, raw, note, version, updated_at) "
                        "FROM STDIN"
                    ) as copy,
                ):
                    for row in rows():
                        copy.write_row((*row, 1, now))
                        values_written += 1
            else:
                batch: list[ReportValue] = []
                for report_id, form, code, raw, note in rows():
                    batch.append(
                        ReportValue(report_id=report_id, form=form, code=code, raw=raw, note=note)
                    )
                    if len(batch) >= 50_000:
                        ReportValue.objects.bulk_create(batch, batch_size=5_000)
                        values_written += len(batch)
                        batch = []
                ReportValue.objects.bulk_create(batch, batch_size=5_000)
                values_written += len(batch)
    timings["rounds"] = time.perf_counter() - start
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["analyze"] = time.perf_counter() - start
    return {
        "timings": timings,
        "round": rounds[-1],
        "rounds": len(rounds),
        "communes": len(communes),
        "provinces": len(provinces),
        "values": values_written,
        "values_latest": ReportValue.objects.filter(report__round_id=rounds[-1]).count(),
        "slots": len(slots),
    }


def _sql(vendor: str) -> str:
    """One query: per province, form and indicator, the sum of the numeric raw texts."""
    from cchc.web.organisation.models import UnitLink
    from cchc.web.reporting.models import Report, ReportValue

    v, r, lnk = ReportValue._meta.db_table, Report._meta.db_table, UnitLink._meta.db_table
    number = "replace(replace(v.raw, '.', ''), ',', '.')"
    if vendor == "postgresql":
        total = f"SUM(CAST({number} AS numeric))"
        numeric = r"v.raw ~ '^-?[0-9.]*[0-9](,[0-9]+)?$'"
    else:
        total = f"SUM(CAST({number} AS REAL))"
        numeric = "v.raw <> '' AND v.raw NOT GLOB '*[^0-9.,-]*'"
    return f"""
        SELECT l.parent_id, v.form, v.code, {total}, COUNT(*)
        FROM {v} v
        JOIN {r} r ON r.id = v.report_id
        JOIN {lnk} l ON l.child_id = r.unit_id
            AND (l.valid_from IS NULL OR l.valid_from <= %s)
            AND (l.valid_to IS NULL OR l.valid_to > %s)
        WHERE r.round_id = %s AND r.state IN ('submitted', 'accepted') AND {numeric}
        GROUP BY l.parent_id, v.form, v.code
    """


def html_page(round_id: int):
    """The page itself through Django's test client (login, view, template), as a
    superuser: `page()` plus rendering."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    user, _ = get_user_model().objects.get_or_create(username="bench", is_superuser=True)
    client = Client()
    client.force_login(user)
    url = reverse("round-consolidation", args=[round_id])

    def get() -> None:
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200, response.status_code

    return get


def stored_equals_full(round_id: int) -> tuple[bool, list[str]]:
    """Whether the stored consolidation is the full recomputation from every value
    (by_unit compared on the branch units only), and the first differences."""
    from dataclasses import replace

    from cchc.web.reporting.consolidation import consolidate_round, consolidate_round_full
    from cchc.web.reporting.models import ReportingRound

    def load() -> ReportingRound:
        return ReportingRound.objects.select_related("issuer", "template").get(pk=round_id)

    result, _ = consolidate_round(load())
    full, _ = consolidate_round_full(load())
    kept = set(result.breakdown())
    full = replace(
        full,
        totals={
            k: replace(
                t,
                by_unit={u: v for u, v in t.by_unit.items() if u in kept},
            )
            for k, t in full.totals.items()
        },
    )
    differences = [
        f"{k}: {name}"
        for k, t in full.totals.items()
        for name in t.__dataclass_fields__
        if getattr(t, name) != getattr(result.totals.get(k), name, None)
    ][:5]
    return result == full, differences


def measure(round_id: int, runs: int, profile: bool) -> dict:
    """Time the page's consolidation against one SQL query, in a fresh process."""
    import cProfile
    import gc
    import io
    import pstats
    import resource
    import tracemalloc

    from django.db import connection, transaction

    from cchc.web.reporting.consolidation import (
        consolidate_round,
        consolidate_round_full,
        sync_round_totals,
    )
    from cchc.web.reporting.consolidation import table as layout
    from cchc.web.reporting.consolidation.totals import report_moved_receiver
    from cchc.web.reporting.models import Report, ReportingRound, ReportState
    from cchc.web.reporting.template_versions.store import template_of

    def load_round() -> ReportingRound:
        return ReportingRound.objects.select_related("issuer", "template").get(pk=round_id)

    def page() -> tuple:
        """What the consolidation page computes: the stored consolidation, its
        breakdown by branch (the per-unit table), every by_level figure, the rows."""
        rnd = load_round()
        result, names = consolidate_round(rnd)
        by_province = result.breakdown()
        seen = 0
        for part in (result, *by_province.values()):
            for total in part.totals.values():
                for level_total in total.by_level.values():
                    seen += level_total.units_reporting
        rows = layout.table_rows(template_of(rnd.template), result, names)
        return result, by_province, rows, seen

    sql = _sql(connection.vendor)

    def query() -> list:
        rnd = load_round()
        with connection.cursor() as cursor:
            cursor.execute(sql, [rnd.window_end, rnd.window_end, rnd.pk])
            return cursor.fetchall()

    def timed(work, n: int = runs) -> list[float]:
        work()  # warm-up: imports, template parse, read caches, database cache
        out = []
        for _ in range(n):
            start = time.perf_counter()
            work()
            out.append(time.perf_counter() - start)
        return out

    def rebuild() -> int:
        with transaction.atomic():
            return sync_round_totals(load_round(), force=True)

    # the generated reports were written without the workflow: nothing is stored yet
    start = time.perf_counter()
    branches = rebuild()
    first_rebuild = time.perf_counter() - start
    rebuild_times = timed(rebuild, max(1, runs // 2))
    page_times = timed(page)
    query_times = timed(query)
    html_times = timed(html_page(round_id))
    full_times = timed(lambda: consolidate_round_full(load_round()), max(1, runs // 2))

    # one state change as the workflow makes it: a report returned, then sent again; the
    # workflow's signal takes the report from its branch's stored tally, then adds it back
    report = Report.objects.filter(round_id=round_id, state=ReportState.SUBMITTED).first()
    change_times = []
    moves = (
        (ReportState.SUBMITTED, ReportState.RETURNED),
        (ReportState.RETURNED, ReportState.SUBMITTED),
    )
    for before, state in moves:
        with transaction.atomic():
            Report.objects.filter(pk=report.pk).update(state=state)
            moved = Report.objects.select_related("round").get(pk=report.pk)
            start = time.perf_counter()
            report_moved_receiver(Report, report=moved, before=before, after=state)
            change_times.append(time.perf_counter() - start)
        remade = sync_round_totals(load_round())
        assert remade == 0, remade  # nothing left stale: the one report was added or taken

    equal, differences = stored_equals_full(round_id)
    result, by_province, _, _ = page()
    sums = query()

    gc.collect()
    tracemalloc.start()
    page()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    top = ""
    if profile:
        prof = cProfile.Profile()
        prof.enable()
        page()
        prof.disable()
        buffer = io.StringIO()
        pstats.Stats(prof, stream=buffer).sort_stats("cumtime").print_stats(25)
        top = buffer.getvalue()

    return {
        "page": page_times,
        "query": query_times,
        "html": statistics.median(html_times),
        "full": statistics.median(full_times),
        "rebuild": statistics.median(rebuild_times),
        "first_rebuild": first_rebuild,
        "change": change_times,
        "stored_branches": branches,
        "equal": equal,
        "differences": differences,
        "indicators": len(result.totals),
        "branches": len(by_province),
        "submitted": len(result.submitted),
        "late": len(result.late),
        "not_submitted": len(result.not_submitted),
        "query_rows": len(sums),
        "peak_mb": peak / 2**20,
        "maxrss_mb": maxrss,
        "profile": top,
    }


# ---------------------------------------------------------------- driver


def _child(mode: str, env: dict, *extra: str) -> dict:
    """Run this file again on one database; its last stdout line is JSON."""
    out = subprocess.run(
        [sys.executable, __file__, mode, *extra], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"{mode} thất bại:\n{out.stdout[-3000:]}\n{out.stderr[-5000:]}")
    return json.loads(out.stdout.rstrip().splitlines()[-1])


@contextmanager
def scratch_database(kind: str, pg_url: str, name: str) -> Iterator[tuple[dict, Path]]:
    """The environment of a temporary data directory and database (SQLite, or PostgreSQL
    database `name` on the server of `pg_url`), both removed at the end."""
    tmp = Path(tempfile.mkdtemp(prefix=f"{name}-{kind}-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DATABASE_"))}
    env.update({"CCHC_DATA_DIR": str(tmp), "CCHC_DEV": "1", "CCHC_DEBUG": "0"})

    def drop() -> None:
        import psycopg

        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    try:
        if kind == "postgres":
            drop()
            import psycopg

            with psycopg.connect(pg_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = urlsplit(pg_url)._replace(path=f"/{name}").geturl()
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp / 'cchc.sqlite3'}"
        yield env, tmp
    finally:
        if kind == "postgres":
            drop()
        shutil.rmtree(tmp, ignore_errors=True)


def run_database(kind: str, args: argparse.Namespace) -> dict:
    with scratch_database(kind, args.pg_url, f"cchc_bench_cons_{os.getpid()}") as (env, _):
        print(f"… {kind}: tạo dữ liệu ({args.periods} kỳ)", file=sys.stderr, flush=True)
        made = _child("--_generate", env, str(args.periods))
        print(f"… {kind}: đo ({args.runs} lần)", file=sys.stderr, flush=True)
        got = _child("--_measure", env, str(made["round"]), str(args.runs), str(args.profile))
        return {"kind": kind, **made, **got}


def _s(seconds: float) -> str:
    return f"{seconds:.3f}".replace(".", ",")


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _load() -> str:
    """The load averages over 1, 5 and 15 minutes: others share these cores."""
    return " ".join(f"{x:.2f}".replace(".", ",") for x in os.getloadavg())


def report(results: list[dict]) -> bool:
    ok = True
    first = results[0]
    print(
        f"\nTải máy (uptime): {_load()}\n"
        f"Tổng hợp toàn quốc, mẫu {TEMPLATE}: {first['provinces']} tỉnh, "
        f"{_n(first['communes'])} xã, {first['slots']} chỉ tiêu có số; "
        f"{first['rounds']} kỳ, {_n(first['values'])} giá trị "
        f"({_n(first['values_latest'])} trong kỳ đo); "
        f"trung vị của {len(first['page'])} lần sau 1 lần khởi động."
    )
    head = (
        f"{'CSDL':<10} {'tạo dữ liệu':>11} {'tổng hợp':>9} {'chậm nhất':>9} "
        f"{'1 truy vấn':>10} {'tỉ lệ':>6} {'đỉnh bộ nhớ':>11} {'maxrss':>8}  mục tiêu"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        page = statistics.median(r["page"])
        query = statistics.median(r["query"])
        ratio = page / query
        gen = sum(r["timings"][k] for k in ("units", "rounds"))
        fast = page < TARGET_SECONDS
        close = ratio <= TARGET_RATIO
        ok &= fast and close
        verdict = (
            f"< {TARGET_SECONDS:g} s: {'đạt' if fast else 'CHƯA ĐẠT'}; "
            f"≤ {str(TARGET_RATIO).replace('.', ',')}×: {'đạt' if close else 'CHƯA ĐẠT'}"
        )
        print(
            f"{r['kind']:<10} {_s(gen) + ' s':>11} {_s(page) + ' s':>9} "
            f"{_s(max(r['page'])) + ' s':>9} {_s(query) + ' s':>10} "
            f"{f'{ratio:.1f}×'.replace('.', ','):>6} {r['peak_mb']:>8.0f} MB "
            f"{r['maxrss_mb']:>5.0f} MB  {verdict}"
        )
    print(
        "\nSố liệu lưu sẵn (RoundTotal, một dòng mỗi nhánh): tính lại toàn bộ, một lần đổi "
        "trạng thái (trả lại / gửi lại: bớt rồi thêm một báo cáo), và tính lại từ mọi giá trị:"
    )
    head = (
        f"{'CSDL':<10} {'nhánh':>6} {'tính lại hết':>12} {'đổi trạng thái':>15} "
        f"{'từ mọi giá trị':>14} {'trang HTML':>10}  bằng tổng hợp đầy đủ"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        change = "/".join(_s(t) for t in r["change"])
        print(
            f"{r['kind']:<10} {r['stored_branches']:>6} {_s(r['rebuild']) + ' s':>12} "
            f"{change + ' s':>15} {_s(r['full']) + ' s':>14} {_s(r['html']) + ' s':>10}  "
            f"{'có' if r['equal'] else 'KHÔNG'}"
        )
        ok &= r["equal"]
        if not r["equal"]:
            print(f"  khác nhau ở: {r['differences']}")
    for r in results:
        print(
            f"{r['kind']}: {r['indicators']} chỉ tiêu, {r['branches']} nhánh (tỉnh), "
            f"đã nộp {r['submitted']} (muộn {r['late']}), chưa nộp {r['not_submitted']}; "
            f"truy vấn SQL trả {r['query_rows']} dòng."
        )
        if r["profile"]:
            print(f"\ncProfile một lần tổng hợp ({r['kind']}):\n{r['profile']}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--periods", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--pg-url", default=os.environ.get("CCHC_BENCH_PG", DEFAULT_PG))
    args = parser.parse_args()
    if args.periods < 1:
        parser.error("--periods phải ≥ 1")
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = [run_database(kind, args) for kind in kinds]
    return 0 if report(results) else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--_generate"]:
        _setup()
        print(json.dumps(generate(int(sys.argv[2]))))
    elif sys.argv[1:2] == ["--_measure"]:
        _setup()
        print(json.dumps(measure(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "True")))
    else:
        raise SystemExit(main())
