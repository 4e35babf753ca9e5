"""How long «Đợt báo cáo» takes to find the rounds a person sees, each on its own tree
(target: under 0,1 s on the national tree).

Loads the 34 provinces and 3.321 communes (`load_vietnam_units`), then 20 quarterly
rounds (five years, so 20 tree dates) issued by the largest province to all of its
communes. Times (median of N runs) `visible_rounds` for the province's reviewer and
for one commune's leader, and `can_view` of one report, with their query counts.
Runs on a throwaway SQLite file, then — when DATABASE_URL is set — on a throwaway
PostgreSQL database beside it (`test_cchc_bench_rl_<pid>`, dropped afterwards).

    .venv/bin/python bench/bench_round_list.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 0.1


def child(runs: int) -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.web.settings"
    os.environ.setdefault("CCHC_DEV", "1")
    django.setup()
    from datetime import date, datetime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cchc.core.numbers import format_number
    from cchc.web.organisation.models import Membership, OrgUnit, Role, UnitLink
    from cchc.web.organisation.units_loader import load_vietnam_units
    from cchc.web.reporting.models import Report, ReportingRound, TemplateVersion
    from cchc.web.reporting.template_versions import store
    from cchc.web.reporting.workflow import permissions

    postgres = connection.vendor == "postgresql"
    if postgres:
        connection.settings_dict["TEST"]["NAME"] = f"test_cchc_bench_rl_{os.getpid()}"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    else:
        call_command("migrate", verbosity=0, interactive=False)
    try:
        store.install_bundled_templates()
        load_vietnam_units()
        biggest = (
            UnitLink.objects.values("parent")
            .annotate(n=Count("child"))
            .order_by("-n")
            .values_list("parent", flat=True)
            .first()
        )
        province = OrgUnit.objects.get(pk=biggest)
        communes = list(OrgUnit.objects.filter(parent_links__parent=province))
        users = get_user_model().objects
        reviewer = users.create_user("bench.reviewer")
        leader = users.create_user("bench.leader")
        Membership.objects.create(user=reviewer, unit=province, role=Role.REVIEWER)
        Membership.objects.create(user=leader, unit=communes[0], role=Role.LEADER)
        template = TemplateVersion.objects.get(template_id="xa-2022")
        for year in range(2022, 2027):
            for quarter, end in enumerate(((3, 14), (6, 14), (9, 14), (12, 14)), start=1):
                rnd = ReportingRound.objects.create(
                    issuer=province,
                    template=template,
                    title=f"Quý {quarter}/{year}",
                    period_key=f"{year}-Q{quarter}",
                    window_start=date(year, end[0] - 2, 15),
                    window_end=date(year, *end),
                    deadline=timezone.make_aware(datetime(year, end[0], 20, 17)),
                )
                Report.objects.bulk_create(Report(round=rnd, unit=c) for c in communes)
        report = Report.objects.select_related("round").filter(unit=communes[-1]).first()

        def timed(work) -> tuple[float, int]:
            samples, count = [], 0
            for _ in range(runs):
                for user in (reviewer, leader):
                    user.__dict__.pop("_cchc_memberships", None)
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    work()
                    samples.append(time.perf_counter() - start)
                count = len(queries.captured_queries)
            return statistics.median(samples), count

        label = "PostgreSQL" if postgres else "SQLite"
        cases = {
            "danh sách đợt, cán bộ Nội vụ tỉnh": lambda: len(
                list(permissions.visible_rounds(reviewer))
            ),
            "danh sách đợt, lãnh đạo xã": lambda: len(list(permissions.visible_rounds(leader))),
            "xem một báo cáo (can_view)": lambda: permissions.can_view(reviewer, report),
        }
        seen = len(list(permissions.visible_rounds(reviewer)))
        for what, work in cases.items():
            median, queries = timed(work)
            verdict = "đạt" if median < TARGET_SECONDS else "CHƯA ĐẠT"
            print(
                f"{label:<10} {what:<36} trung vị {format_number(median * 1000, 1)} ms, "
                f"{queries} truy vấn (mục tiêu < {format_number(TARGET_SECONDS * 1000)} ms: "
                f"{verdict})"
            )
        print(
            f"{label:<10} {province.name}: {format_number(len(communes))} xã, 20 đợt, "
            f"{format_number(Report.objects.count())} báo cáo; tỉnh thấy {seen} đợt; {runs} lần"
        )
    finally:
        if postgres:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    if os.environ.get("BENCH_CHILD"):
        child(runs)
        return
    targets = []
    with tempfile.TemporaryDirectory() as folder:
        targets.append(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            targets.append(os.environ["DATABASE_URL"])
        for url in targets:
            env = {**os.environ, "BENCH_CHILD": "1", "DATABASE_URL": url}
            subprocess.run([sys.executable, __file__, str(runs)], env=env, check=True)
    print(f"tải máy (1, 5, 15 phút): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
