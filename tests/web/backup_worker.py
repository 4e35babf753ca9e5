"""A process of its own on a test's database, as a server worker is: fill, change, save, read.

    python tests/web/backup_worker.py fill       # migrate and load the demo
    python tests/web/backup_worker.py change     # a value, a section text and their audit
    python tests/web/backup_worker.py save STOP  # save values until the file STOP exists
    python tests/web/backup_worker.py values     # the saved values' versions and audit counts
    python tests/web/backup_worker.py watch      # `values`, then again on one connection
                                                 # after a line on stdin

The database is the one the environment names (DATABASE_URL, CCHC_DATA_DIR),
every change goes through the real service functions, and `save` prints one
line per save after it is committed: what the server would have acknowledged.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cchc.web.manage import setup

setup()

from django.contrib.auth import get_user_model  # noqa: E402

from cchc.core.templates import Kind  # noqa: E402
from cchc.web.reporting.entry import saving  # noqa: E402
from cchc.web.reporting.models import AuditEvent, Report, ReportValue  # noqa: E402
from cchc.web.reporting.template_versions import store  # noqa: E402


def fill() -> None:
    from django.core.management import call_command

    from cchc.web.demo import load_demo

    call_command("migrate", verbosity=0, interactive=False)
    load_demo()


def _target() -> tuple[Report, object, str, list[str]]:
    """The first draft report of the demo, a system administrator, a form and its counts."""
    report = Report.objects.filter(state="draft").order_by("pk").first()
    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    form = store.template_of(report.round.template).forms[0]
    codes = [i.code for i in form.indicators if i.kind is Kind.COUNT][:4]
    return report, user, form.code, codes


def change() -> None:
    report, user, form, codes = _target()
    versions = dict(
        ReportValue.objects.filter(report=report, form=form).values_list("code", "version")
    )
    saving.save_values(
        user=user,
        report=report,
        form=form,
        changes={codes[0]: ("12345", versions.get(codes[0]))},
        notes={codes[0]: ("ghi chú sau khi sao lưu", versions.get(codes[0]))},
    )
    section = store.template_of(report.round.template).all_sections()[0].code
    current = report.sections.filter(code=section).first()
    saving.save_section(
        user=user,
        report=report,
        code=section,
        text="Nội dung viết sau khi sao lưu.",
        base_version=current.version if current else None,
    )


def save(stop: Path) -> None:
    report, user, form, codes = _target()
    versions = dict(
        ReportValue.objects.filter(report=report, form=form).values_list("code", "version")
    )
    n = 0
    while not stop.exists():
        code = codes[n % len(codes)]
        raw = str(1000 + n)
        result = saving.save_values(
            user=user, report=report, form=form, changes={code: (raw, versions.get(code))}
        )
        if result.conflicts:
            raise SystemExit(f"conflict on {code}: {result.conflicts}")
        versions[code] = result.versions[(form, code)]
        print(json.dumps({"code": code, "raw": raw, "version": versions[code]}), flush=True)
        n += 1


def values() -> dict[str, list]:
    """Code → [raw, version, audit entries of that value] for the form `save` writes."""
    report, _, form, codes = _target()
    out: dict[str, list] = {}
    for v in ReportValue.objects.filter(report=report, form=form, code__in=codes):
        audits = AuditEvent.objects.filter(
            report=report, action="value-saved", target=f"{form}.{v.code}"
        ).count()
        out[v.code] = [v.raw, v.version, audits]
    return out


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "fill":
        fill()
    elif command == "change":
        change()
    elif command == "save":
        save(Path(sys.argv[2]))
    elif command == "values":
        print(json.dumps(values()))
    elif command == "watch":  # a server worker's connection stays open between requests
        print(json.dumps(values()), flush=True)
        sys.stdin.readline()
        print(json.dumps(values()), flush=True)
    else:
        raise SystemExit(f"unknown command {command}")
