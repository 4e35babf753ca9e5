"""A round's consolidated report as Word, for the consolidation page and `cchc consolidate`."""

from __future__ import annotations

from django.utils import timezone

from cchc.core.consolidation import Consolidation
from cchc.core.report import DocumentHeader
from cchc.web.reporting.consolidation import consolidate_round
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.services import template_of


def round_report_docx(
    rnd: ReportingRound, consolidated: tuple[Consolidation, dict[str, str]] | None = None
) -> bytes:
    """The issuing unit's consolidated report of the round, dated today, unnumbered
    (the office gives the number when it signs)."""
    from cchc.documents.consolidated_report import render_consolidated_report

    result, names = consolidated or consolidate_round(rnd)
    return render_consolidated_report(
        template_of(rnd.template),
        result,
        names,
        issuer=rnd.issuer.name,
        title=rnd.title,
        period=rnd.period_key,
        header=DocumentHeader(date=timezone.localdate()),
    )


def round_report_name(rnd: ReportingRound) -> str:
    return f"bao-cao-tong-hop-{rnd.period_key}-dot-{rnd.pk}.docx"
