"""How long `cchc backup` and `cchc restore` take on a national database.

Builds the database of `bench_consolidation.py` (34 provinces, 3.321 communes,
one round per period with ~430.000 values) in a temporary SQLite file and/or a
throwaway PostgreSQL database `<name of --pg-url>_bench_backup_<pid>` (`cchc_…`
when the URL names `postgres`; dropped at the end),
then runs the real commands: `cchc backup` (seconds, file size), a change,
`cchc restore --yes` (seconds), and checks that every table holds the same
rows as before the backup (a digest per table). Also the machine's load.

    .venv/bin/python bench/bench_backup.py [--db sqlite|postgres|both] [--periods 1]
        [--pg-url postgres://…]

The times include starting the command (Django, about 1–2 s on a busy machine).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_consolidation as national

ROOT = national.ROOT


def digests() -> dict[str, str]:
    """Table → a digest of its rows (sorted reprs), inside Django."""
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(tuple(r)) for r in cursor.fetchall())
            out[table] = f"{len(rows)}:{hashlib.sha256(''.join(rows).encode()).hexdigest()[:16]}"
    return out


def change() -> None:
    from cchc.web.reporting.models import ReportValue

    ReportValue.objects.filter(pk=ReportValue.objects.order_by("pk").values("pk")[:1]).delete()


def _cchc(env: dict, *args: str) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "cchc.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"cchc {' '.join(args)}: {done.stderr}")
    print(f"  {done.stdout.strip()}", file=sys.stderr)
    return time.monotonic() - started


def run_database(kind: str, args: argparse.Namespace) -> dict:
    base = urlsplit(args.pg_url).path.strip("/")
    name = f"{base if base not in ('', 'postgres') else 'cchc'}_bench_backup_{os.getpid()}"
    with national.scratch_database(kind, args.pg_url, name) as (env, tmp):
        env["PYTHONPATH"] = str(ROOT)
        print(f"… {kind}: tạo dữ liệu ({args.periods} kỳ)", file=sys.stderr, flush=True)
        made = national._child("--_generate", env, str(args.periods))
        before = _self(env, "--_digests")
        backup = tmp / "cchc.backup"
        backup_s = _cchc(env, "backup", str(backup))
        _self(env, "--_change")
        changed = _self(env, "--_digests")
        restore_s = _cchc(env, "restore", str(backup), "--yes")
        after = _self(env, "--_digests")
        return {
            "kind": kind,
            "values": made["values"],
            "backup": backup_s,
            "restore": restore_s,
            "size": backup.stat().st_size,
            "changed": changed != before,
            "equal": after == before,
        }


def _self(env: dict, mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, mode], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode}: {done.stderr[-3000:]}")
    return json.loads(done.stdout or "{}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--periods", type=int, default=1)
    parser.add_argument("--pg-url", default=os.environ.get("CCHC_BENCH_PG", national.DEFAULT_PG))
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = [run_database(kind, args) for kind in kinds]
    print(f"\nTải máy (uptime): {national._load()}")
    head = f"{'CSDL':<10} {'giá trị':>9} {'tệp':>8} {'sao lưu':>8} {'khôi phục':>9}  đúng từng dòng"
    print(head)
    print("-" * len(head))
    ok = True
    for r in results:
        exact = r["equal"] and r["changed"]
        ok &= exact
        print(
            f"{r['kind']:<10} {national._n(r['values']):>9} {r['size'] / 2**20:>5.0f} MB "
            f"{national._s(r['backup']) + ' s':>8} {national._s(r['restore']) + ' s':>9}  "
            f"{'có' if exact else 'KHÔNG'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--_digests"]:
        national._setup()
        print(json.dumps(digests()))
    elif sys.argv[1:2] == ["--_change"]:
        national._setup()
        change()
    else:
        raise SystemExit(main())
