"""Run in a subprocess by test_two_servers.py: the demo in the servers' shared PostgreSQL,
and what the test needs from it (a person, a part of a report they may edit), as JSON."""

from __future__ import annotations

import json

from cchc.core.templates import Kind
from cchc.web.manage import setup

setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402

from cchc.web.demo import PASSWORD, load_demo  # noqa: E402
from cchc.web.notices.models import Notice  # noqa: E402
from cchc.web.reporting.models import Assignment, PartKind  # noqa: E402
from cchc.web.reporting.template_versions.store import template_of  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)
call_command("collectstatic", verbosity=0, interactive=False)
load_demo()
cache.clear()
part = next(
    a
    for a in Assignment.objects.filter(kind=PartKind.FORM)
    .select_related("user", "report__round__template")
    .order_by("pk")
    if a.report.editable and Notice.objects.filter(user=a.user, read_at=None).exists()
)
form = next(f for f in template_of(part.report.round.template).forms if f.code == part.code)
indicator = next(i for i in form.indicators if i.kind == Kind.COUNT and i.formula is None)
print(
    json.dumps(
        {
            "username": part.user.username,
            "password": PASSWORD,
            "report": part.report_id,
            "form": part.code,
            "code": indicator.code,
        }
    )
)
