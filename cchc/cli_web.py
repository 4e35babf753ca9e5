"""`cchc` commands that work on the web application's database: serve, consolidate,
compare, backup, restore, manage.

Django is set up inside each command, so the file commands of `cchc.cli` start
without it.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from cchc.cli_shared import EXIT_OK, InputError
from cchc.cli_shared import print_json as _print_json
from cchc.core.numbers import format_number


def cmd_serve(args: argparse.Namespace) -> int:
    """Create the database, load the demo once, print where to go and who to be, serve.

    The demo on one machine needs no configuration: `serve` alone turns demo mode on
    (CCHC_DEV=1, a known secret key) unless the environment says otherwise.
    """

    os.environ.setdefault("CCHC_DEV", "1")
    from cchc.web.manage import setup  # noqa: PLC0415 — Django loads only for these commands

    setup()
    from django.core.management import call_command  # noqa: PLC0415 — Django is set up first

    from cchc.web.demo import PASSWORD, load_demo  # noqa: PLC0415 — Django is set up first

    call_command("migrate", verbosity=0, interactive=False)
    # The static files under their hashed names, as production serves them (a year's cache).
    call_command("collectstatic", verbosity=0, interactive=False)
    logins = load_demo() if not args.no_demo else None
    print(f"cchc đang chạy tại http://{args.host}:{args.port}/")
    if logins:
        print(f"Dữ liệu mẫu đã được tạo. Mật khẩu của mọi tài khoản mẫu: {PASSWORD}")
        for login in logins:
            print(f"  {login.username:<20} {login.name:<24} {login.what}")
    else:
        print("Cơ sở dữ liệu đã có dữ liệu; không tạo lại dữ liệu mẫu.")
    sys.stdout.flush()
    worker = _start_worker()
    try:
        call_command(
            "runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True
        )
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return EXIT_OK


def _start_worker():
    """The job queue's worker beside the demo server, so `cchc serve` stays one command
    (none with CCHC_JOBS=inline, where jobs run in the request)."""
    from django.conf import settings  # noqa: PLC0415 — Django is set up by the command first

    if settings.JOBS_MODE != "queue":
        return None
    command = [sys.executable, "-m", "cchc.web.manage", "db_worker", "--queue-name", "*"]
    command += ["--interval", "0.5", "--no-startup-delay", "--no-reload", "--verbosity", "0"]
    return subprocess.Popen(command, preexec_fn=_end_with_parent)


def _end_with_parent() -> None:
    """In the worker, before it starts: on Linux, end when `cchc serve` ends, even killed."""
    with contextlib.suppress(AttributeError, OSError):  # elsewhere the server's exit stops it
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def cmd_consolidate(args: argparse.Namespace) -> int:
    """The same consolidation the web shows for a round, as a table, CSV, Excel or JSON."""
    from cchc.web.manage import setup  # noqa: PLC0415 — Django loads only for these commands

    setup(signs_nothing=True)
    from cchc.documents.tables import table_writer  # noqa: PLC0415 — loads with the command that writes it
    from cchc.web.reporting.consolidation.page import consolidation_page  # noqa: PLC0415 — Django is set up first
    from cchc.web.reporting.consolidation.table import export_table  # noqa: PLC0415 — Django is set up first
    from cchc.web.reporting.models import ReportingRound  # noqa: PLC0415 — Django is set up first

    if args.round is None:
        for listed in ReportingRound.objects.select_related("issuer").order_by("-deadline"):
            print(f"{listed.pk:>5}  {listed.period_key:<8} {listed.issuer.name}: {listed.title}")
        return EXIT_OK
    rnd = ReportingRound.objects.select_related("issuer", "template").filter(pk=args.round).first()
    if rnd is None:
        raise InputError(f"Không có đợt báo cáo số {args.round} (xem danh sách: cchc consolidate).")
    page = consolidation_page(rnd)
    if args.output:
        out = Path(args.output)
        suffix = out.suffix.lower()
        if suffix not in (".csv", ".xlsx", ".docx"):
            raise InputError(f"{out}: chỉ ghi ra được .csv, .xlsx hoặc .docx.")
        if suffix == ".docx":  # the consolidated report, with charts, as the page's button gives
            from cchc.web.reporting.consolidation.word_report import round_report_docx  # noqa: PLC0415 — Django is set up first

            out.write_bytes(round_report_docx(rnd, (page.result, page.names)))
        else:
            table = export_table(page.template, page.result, page.names)
            out.write_bytes(table_writer(suffix).render(table))
        print(f"Đã ghi {out}.")
        return EXIT_OK
    if args.json:
        _print_json(
            {
                "round": rnd.pk,
                "title": rnd.title,
                "period": rnd.period_key,
                "submitted": page.submitted,
                "late": page.late,
                "not_submitted": page.not_submitted,
                "indicators": [
                    {
                        "form": r.form.code,
                        "code": r.ind.code,
                        "name": r.ind.name,
                        "value": None
                        if r.total is None or r.total.value is None
                        else float(r.total.value),
                        "shown": r.shown,
                        "coverage": r.coverage,
                        "missing": r.missing,
                    }
                    for r in page.rows
                    if not r.heading
                ],
            }
        )
        return EXIT_OK
    print(f"{rnd.title}: {len(page.submitted)}/{len(page.units)} đơn vị đã gửi")
    for r in page.rows:
        if not r.heading and r.shown:
            print(
                f"  {r.form.code:<5} {r.ind.stt:<8} {r.ind.name[:60]:<60} "
                f"{r.shown:>12}  ({r.coverage})"
            )
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    """The comparison page of a round in the terminal: ranking, values to review, a unit's trend."""
    from cchc.web.manage import setup  # noqa: PLC0415 — Django loads only for these commands

    setup(signs_nothing=True)
    from cchc.documents.tables import table_writer, text_rows  # noqa: PLC0415 — loads with the command that writes it
    from cchc.web.reporting import comparison as data  # noqa: PLC0415 — Django is set up first
    from cchc.web.reporting.models import ReportingRound  # noqa: PLC0415 — Django is set up first

    rnd = ReportingRound.objects.select_related("issuer", "template").filter(pk=args.round).first()
    if rnd is None:
        raise InputError(f"Không có đợt báo cáo số {args.round} (xem danh sách: cchc consolidate).")
    try:
        c = data.compare_round(rnd, indicator=args.indicator or "", unit=args.unit or "")
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    tables = data.tables(c)
    if args.output:
        out = Path(args.output)
        if out.suffix.lower() not in (".csv", ".xlsx"):
            raise InputError(f"{out}: chỉ ghi ra được .csv hoặc .xlsx.")
        table = tables[args.table]
        out.write_bytes(table_writer(out.suffix).render(table))
        print(f"Đã ghi {out} ({table.title}).")
        return EXIT_OK
    if args.json:
        _print_json(
            {
                "round": rnd.pk,
                "title": rnd.title,
                "period": rnd.period_key,
                "indicator": {
                    "form": c.form.code,
                    "code": c.indicator.code,
                    "name": c.indicator.name,
                },
                "higher_is_better": c.higher_is_better,
                "unit": c.unit,
                "trend": c.series.trend.value if c.series else None,
                "tables": {
                    name: {"title": t.title, "header": t.header, "rows": text_rows(t)}
                    for name, t in tables.items()
                },
            }
        )
        return EXIT_OK
    for name, table in tables.items():
        print(f"{table.title}:")
        rows = text_rows(table)
        if name == "canh-bao":
            print("\n".join(f"  - {row[-1]}" for row in rows) or "  (không có)")
        else:
            for row in rows:
                print("  " + " | ".join(cell for cell in row))
        if name == "xu-huong" and c.series:
            print(f"  Xu hướng: {c.series.trend.value}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    """A consistent copy of the web database while it runs (see cchc/web/backup.py)."""
    from cchc.web.manage import setup  # noqa: PLC0415 — Django loads only for these commands

    setup()
    from cchc.web.backup import BackupError, backup_database  # noqa: PLC0415 — Django is set up first

    try:
        done = backup_database(Path(args.file))
    except BackupError as exc:
        raise InputError(str(exc)) from exc
    print(f"Đã sao lưu cơ sở dữ liệu {done.kind} {done.database} vào {done.file} ({_took(done)}).")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Put a backup back in place of the web database, after a confirmation if it holds data."""
    from cchc.web.manage import setup  # noqa: PLC0415 — Django loads only for these commands

    setup()
    from cchc.web.backup import BackupError, restore_database  # noqa: PLC0415 — Django is set up first

    def confirm(question: str) -> bool:
        if args.yes:
            return True
        print(f"{question}\nGõ «có» để khôi phục: ", end="", flush=True)
        answer = sys.stdin.readline()
        if not answer.endswith("\n"):
            print()  # no answer (end of input): the refusal goes on a line of its own
        return answer.strip().casefold() in ("có", "co", "yes", "y")

    try:
        done = restore_database(Path(args.file), confirm=confirm)
    except BackupError as exc:
        raise InputError(str(exc)) from exc
    print(f"Đã khôi phục cơ sở dữ liệu {done.kind} {done.database} từ {done.file} ({_took(done)}).")
    return EXIT_OK


def _took(done) -> str:

    size = Decimal(done.size) / 1024
    shown = (
        f"{format_number(size / 1024, 1)} MB" if size >= 1024 else f"{format_number(size, 0)} KB"
    )
    return f"{shown}, {format_number(Decimal(done.seconds), 2)} giây"


def cmd_manage(args: argparse.Namespace) -> int:
    from cchc.web.manage import main as manage_main  # noqa: PLC0415 — Django is set up first

    return manage_main(args.rest)
