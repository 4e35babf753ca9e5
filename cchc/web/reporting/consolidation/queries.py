"""A round's reports and values as the consolidation reads them from the database.

`consolidate_round_full` recomputes a round from every value — one query for
the reports, one for the values — and is what the stored tallies (totals.py)
are checked against; every reader goes through the stored tallies. The tree is
the one valid at the round's period (its cut-off end), so a 2024 round rolls up
along the districts of 2024 even though they are gone now.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, DateTimeField, F, Q, When

from cchc.core.consolidation import Consolidation, UnitReport, consolidate
from cchc.core.schedule import is_late
from cchc.core.values import Entry, ReportValues
from cchc.web.organisation.models import OrgUnit
from cchc.web.organisation.services import ancestor_ids, parent_map
from cchc.web.reporting.models import Report, ReportingRound, ReportState, ReportValue, due_of
from cchc.web.reporting.template_versions.store import template_of

SUBMITTED = (ReportState.SUBMITTED, ReportState.ACCEPTED)


@dataclass(frozen=True)
class RoundReport:
    """One report of a round as the consolidation sees it, without its values."""

    id: int
    unit: str
    level: str
    path: tuple[str, ...]
    submitted: bool
    late: bool


def round_reports(rnd: ReportingRound) -> tuple[list[RoundReport], dict[str, str]]:
    """Every report of the round in a stable order (by id), placed in the tree of its
    period, and unit code → name for them and the units above them.

    Late is `schedule.is_late` against the unit's own deadline (`Report.due`). Only a
    report sent after the round's deadline can be late (a unit's own deadline is never
    earlier), so only those send their times: turning 3.321 times into Python's was a
    third of a national round's read.
    """
    parents = parent_map(rnd.window_end)
    after = Q(submitted_at__gt=rnd.deadline)
    rows = list(
        Report.objects.filter(round=rnd)
        .order_by("id")
        .annotate(
            sent_after=Case(When(after, then=F("submitted_at")), output_field=DateTimeField()),
            own=Case(When(after, then=F("deadline")), output_field=DateTimeField()),
        )
        .values_list(
            "id",
            "state",
            "sent_after",
            "own",
            "unit_id",
            "unit__code",
            "unit__name",
            "unit__level",
        )
    )
    codes = dict(
        OrgUnit.objects.filter(id__in=set(parents.values()) | {rnd.issuer_id}).values_list(
            "id", "code"
        )
    )
    names = {row[5]: row[6] for row in rows}
    names.update(dict(OrgUnit.objects.filter(id__in=codes).values_list("code", "name")))
    root = codes.get(rnd.issuer_id, str(rnd.issuer_id))
    paths: dict[int | None, tuple[str, ...]] = {}
    out = []
    for report_id, state, sent_after, own, unit_id, code, _, level in rows:
        parent = parents.get(unit_id)
        path = paths.get(parent)
        if path is None:
            chain: list[str] = []
            current = parent
            while current is not None and current != rnd.issuer_id and len(chain) < 16:
                chain.append(codes.get(current, str(current)))
                current = parents.get(current)
            path = paths[parent] = (root, *reversed(chain))
        submitted = state in SUBMITTED
        late = _late(rnd, submitted, sent_after, own)
        out.append(RoundReport(report_id, code, level, path, submitted, late))
    return out, names


def _late(
    rnd: ReportingRound, submitted: bool, sent: datetime | None, own: datetime | None
) -> bool:
    """Sent after the unit's own deadline (`Report.due`), by `schedule.is_late`."""
    return bool(submitted and sent and is_late(sent, due_of(own, rnd.deadline)))


def one_report(rnd: ReportingRound, report_id: int) -> RoundReport | None:
    """One report of the round placed exactly as `round_reports` places it, walked up
    its own branch of the tree (a query per level), not read with the whole round:
    what a submission costs stays one report's work."""
    row = (
        Report.objects.filter(round=rnd, pk=report_id)
        .values_list("state", "submitted_at", "deadline", "unit_id", "unit__code", "unit__level")
        .first()
    )
    if row is None:
        return None
    state, submitted_at, own, unit_id, code, level = row
    chain: list[int] = []
    for parent in ancestor_ids(unit_id, rnd.window_end):
        if parent == rnd.issuer_id or len(chain) >= 16:
            break
        chain.append(parent)
    codes = dict(OrgUnit.objects.filter(id__in=[*chain, rnd.issuer_id]).values_list("id", "code"))
    root = codes.get(rnd.issuer_id, str(rnd.issuer_id))
    path = (root, *(codes.get(u, str(u)) for u in reversed(chain)))
    submitted = state in SUBMITTED
    return RoundReport(
        report_id, code, level, path, submitted, _late(rnd, submitted, submitted_at, own)
    )


def report_values(report_ids: Iterable[int]) -> dict[int, ReportValues]:
    """The non-blank values of the given reports, by report id."""
    values: dict[int, ReportValues] = defaultdict(dict)
    ids = list(report_ids)
    for start in range(0, len(ids), 5_000):  # SQLite limits the parameters of one query
        rows = ReportValue.objects.filter(report_id__in=ids[start : start + 5_000]).exclude(
            raw="", note=""
        )
        for report_id, form, code, raw, note in rows.values_list(
            "report_id", "form", "code", "raw", "note"
        ).iterator(chunk_size=20_000):
            values[report_id].setdefault(form, {})[code] = Entry(raw=raw, note=note)
    return values


def unit_reports(
    rnd: ReportingRound, reports: Iterable[RoundReport], values: dict[int, ReportValues]
) -> list[UnitReport]:
    return [
        UnitReport(
            unit=r.unit,
            level=r.level,
            path=r.path,
            values=values.get(r.id, {}),
            submitted=r.submitted,
            late=r.late,
            template_id=rnd.template.template_id,
        )
        for r in reports
    ]


def round_unit_reports(rnd: ReportingRound) -> tuple[list[UnitReport], dict[str, str]]:
    """Every report of the round as a `UnitReport` (by unit code), and unit code → name."""
    reports, names = round_reports(rnd)
    values = report_values(r.id for r in reports if r.submitted)
    return unit_reports(rnd, reports, values), names


def consolidate_round_full(rnd: ReportingRound) -> tuple[Consolidation, dict[str, str]]:
    """The round recomputed from every value (every unit expected), with unit names.

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
