"""The round dashboard's list in SQL: each report's state as the page names it, filtered by
state, unit name and province, paged, with the counts over the whole round.

A national round has 3.321 reports: the database counts them by state and sends only
the page asked for, instead of every row being read, judged and rendered in Python.
`status_of` is `workflow.services.report_status` written as one SQL expression (a test keeps
them equal).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest

from cchc.web.reporting.models import Report, ReportingRound, ReportState
from cchc.web.reporting.workflow.services import STATUS_LABELS


def due() -> Greatest:
    """`Report.due` in SQL: the unit's own deadline, unless the round's has moved later."""
    return Greatest(Coalesce("deadline", "round__deadline"), "round__deadline")


def status_of() -> Case:
    """The report's state for the dashboard: on time or late, started or not. Late as
    `schedule.is_late` says: only from the minute after the deadline's."""
    return Case(
        When(state=ReportState.ACCEPTED, then=Value("accepted")),
        When(state=ReportState.RETURNED, then=Value("returned")),
        When(
            Q(state=ReportState.SUBMITTED, submitted_at__gte=due() + timedelta(minutes=1)),
            then=Value("late"),
        ),
        When(state=ReportState.SUBMITTED, then=Value("on_time")),
        When(
            Q(first_edit_at__isnull=False) | Q(state=ReportState.APPROVED),
            then=Value("in_progress"),
        ),
        default=Value("not_started"),
        output_field=CharField(),
    )


def dashboard_counts(rnd: ReportingRound) -> dict[str, int]:
    """How many of the round's reports are in each state (one grouped query)."""
    counts = dict.fromkeys(STATUS_LABELS, 0)
    grouped = (
        Report.objects.filter(round=rnd)
        .annotate(status=status_of())
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        counts[row["status"]] = row["n"]
    return counts


def dashboard_rows(
    rnd: ReportingRound,
    *,
    units: set[int] | None = None,
    status: str = "",
    name: str = "",
) -> QuerySet[Report]:
    """The round's reports of these units (None: all), in this state, whose unit's name
    holds `name`, by unit name; each with its `status`."""
    rows = Report.objects.filter(round=rnd).annotate(status=status_of())
    if units is not None:
        rows = rows.filter(unit_id__in=units)
    if status:
        rows = rows.filter(status=status)
    if name:
        rows = rows.filter(unit__name__icontains=name)
    return (
        rows.select_related("unit")
        .only("pk", "state", "submitted_at", "first_edit_at", "unit__name")
        .order_by("unit__name", "pk")
    )
