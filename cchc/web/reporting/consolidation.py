"""Consolidate a round from the database: one query for the reports, one for the values.

The tree is the one valid at the round's period (its cut-off end), so a 2024
round rolls up along the districts of 2024 even though they are gone now.
"""

from __future__ import annotations

import gc
from collections import defaultdict

from cchc.core.consolidation import Consolidation, UnitReport, consolidate
from cchc.core.values import Entry, ReportValues
from cchc.web.organisation.services import parent_map
from cchc.web.reporting.models import Report, ReportingRound, ReportState, ReportValue
from cchc.web.reporting.services import template_of

SUBMITTED = (ReportState.SUBMITTED, ReportState.ACCEPTED)


def round_unit_reports(rnd: ReportingRound) -> tuple[list[UnitReport], dict[str, str]]:
    """Every report of the round as a `UnitReport` (by unit code), and unit code → name."""
    parents = parent_map(rnd.window_end)
    reports = list(
        Report.objects.filter(round=rnd)
        .select_related("unit")
        .only("id", "state", "submitted_at", "unit__id", "unit__code", "unit__name", "unit__level")
    )
    values: dict[int, ReportValues] = defaultdict(dict)
    rows = ReportValue.objects.filter(report__round=rnd).exclude(raw="", note="")
    for report_id, form, code, raw, note in rows.values_list(
        "report_id", "form", "code", "raw", "note"
    ).iterator(chunk_size=20_000):
        values[report_id].setdefault(form, {})[code] = Entry(raw=raw, note=note)
    from cchc.web.organisation.models import OrgUnit

    codes = dict(
        OrgUnit.objects.filter(id__in=set(parents.values()) | {rnd.issuer_id}).values_list(
            "id", "code"
        )
    )
    names = {r.unit.code: r.unit.name for r in reports}
    names.update(dict(OrgUnit.objects.filter(id__in=codes).values_list("code", "name")))
    out = []
    for r in reports:
        chain: list[str] = []
        current = parents.get(r.unit.id)
        while current is not None and current != rnd.issuer_id and len(chain) < 16:
            chain.append(codes.get(current, str(current)))
            current = parents.get(current)
        path = (codes.get(rnd.issuer_id, str(rnd.issuer_id)), *reversed(chain))
        submitted = r.state in SUBMITTED
        out.append(
            UnitReport(
                unit=r.unit.code,
                level=r.unit.level,
                path=path,
                values=values.get(r.id, {}),
                submitted=submitted,
                late=bool(submitted and r.submitted_at and r.submitted_at > rnd.deadline),
                template_id=rnd.template.template_id,
            )
        )
    return out, names


def consolidate_round(rnd: ReportingRound) -> tuple[Consolidation, dict[str, str]]:
    """The round consolidated over all its units (every unit expected), with unit names.

    Hundreds of thousands of small objects are made and dropped here; the cyclic
    garbage collector would scan them again and again for nothing (none form
    cycles), so it is paused for the duration.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        reports, names = round_unit_reports(rnd)
        expected = [(r.unit, r.level, r.path) for r in reports]
        return consolidate(template_of(rnd.template), reports, expected_units=expected), names
    finally:
        if was_enabled:
            gc.enable()
