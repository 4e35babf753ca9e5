"""On PostgreSQL a statement run again on a kept connection is prepared, not parsed anew."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.db import connection

from cchc.web.reporting.models import ReportValue
from tests.web.test_production_settings import _bare_environment


def test_a_statement_run_again_on_postgresql_is_prepared(world) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("câu lệnh chuẩn bị sẵn chỉ có trên PostgreSQL")
    for _ in range(3):
        list(ReportValue.objects.filter(report=world.report_a).values_list("code", "raw"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "reporting_reportvalue"' in s for s in prepared), prepared


@pytest.mark.parametrize(
    ("url", "prepared", "options"),
    [
        ("postgres://u@db:5432/cchc", "", "{'server_side_binding': True, 'prepare_threshold': 2}"),
        ("postgres://u@db:5432/cchc", "0", "{}"),
        ("sqlite:////tmp/x.sqlite3", "", "'prepare_threshold' in OPTIONS: False"),
    ],
)
def test_prepared_statements_are_on_for_postgresql_unless_turned_off(
    tmp_path, url, prepared, options
) -> None:
    code = (
        "from django.conf import settings as s; o = s.DATABASES['default'].get('OPTIONS', {});"
        "print(o if 'sqlite' not in s.DATABASES['default']['ENGINE']"
        " else f\"'prepare_threshold' in OPTIONS: {'prepare_threshold' in o}\")"
    )
    env = _bare_environment(
        tmp_path,
        DJANGO_SETTINGS_MODULE="cchc.web.settings",
        CCHC_DEV="1",
        DATABASE_URL=url,
        CCHC_DB_PREPARED=prepared,
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == options, done.stderr
