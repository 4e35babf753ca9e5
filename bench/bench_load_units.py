"""How long `load_units` takes for the 34 provinces and 3.321 communes (target: a few seconds).

Times three loads into an empty tree (3.355 units, 3.321 links) and three
reloads of a full one (nothing to change), and counts their queries. Runs on a
throwaway SQLite file, then — when DATABASE_URL is set — on a throwaway
PostgreSQL database created beside the one it names (`test_cchc_bench_<pid>`,
dropped afterwards); the database DATABASE_URL names is never written.

    .venv/bin/python bench/bench_load_units.py [runs]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/bench_load_units.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 5.0


def child(runs: int) -> None:
    """One backend, in its own process: Django's settings are read once per process."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.web.settings"
    os.environ.setdefault("CCHC_DEV", "1")  # a throwaway database: demo mode, no secret key
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.core.numbers import format_number
    from cchc.web.organisation.models import OrgUnit, UnitLink
    from cchc.web.organisation.units_loader import load_vietnam_units

    postgres = connection.vendor == "postgresql"
    if postgres:
        connection.settings_dict["TEST"]["NAME"] = f"test_cchc_bench_{os.getpid()}"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0, interactive=False)

    def timed(work) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            work()
            seconds = time.perf_counter() - start
        return seconds, len(queries.captured_queries)

    try:
        load_vietnam_units()  # warm up imports and the package's tables
        first, again = [], []
        for _ in range(runs):
            UnitLink.objects.all().delete()
            OrgUnit.objects.all().delete()
            first.append(timed(load_vietnam_units))
            again.append(timed(load_vietnam_units))
        units, links = OrgUnit.objects.count(), UnitLink.objects.count()
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    label = "PostgreSQL" if postgres else "SQLite"
    for what, times in (("nạp vào cây trống", first), ("nạp lại (không đổi gì)", again)):
        median = statistics.median(seconds for seconds, _ in times)
        worst = max(seconds for seconds, _ in times)
        verdict = "đạt" if median < TARGET_SECONDS else "CHƯA ĐẠT"
        print(
            f"{label:<10} {what:<24} trung vị {format_number(median, 2)} giây, "
            f"chậm nhất {format_number(worst, 2)} giây, {times[0][1]} truy vấn "
            f"(mục tiêu < {format_number(TARGET_SECONDS)} giây: {verdict})"
        )
    print(f"{label:<10} {format_number(units)} đơn vị, {format_number(links)} liên kết, {runs} lần")


def main(runs: int) -> int:
    root = Path(__file__).resolve().parents[1]
    script = [sys.executable, __file__, "--child", str(runs)]
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "CCHC_DATA_DIR": tmp,
        }
        status = subprocess.run(script, env=env, cwd=root, check=False).returncode
    if os.environ.get("DATABASE_URL"):
        status |= subprocess.run(script, cwd=root, check=False).returncode
    else:
        print("PostgreSQL bỏ qua (đặt DATABASE_URL=postgres://… để đo).")
    return status


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(int(sys.argv[2]))
    else:
        raise SystemExit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 3))
