"""A round's consolidated report as Word, for the consolidation page and `cchc consolidate`."""

from __future__ import annotations

from django.utils import timezone

from cchc.core.consolidation import Consolidation
from cchc.core.report_content import DocumentHeader
from cchc.web.reporting.comparison import past_rounds, period_label
from cchc.web.reporting.consolidation import consolidate_round
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.template_versions.store import template_of


def round_report_docx(
    rnd: ReportingRound, consolidated: tuple[Consolidation, dict[str, str]] | None = None
) -> bytes:
    """The issuing unit's consolidated report of the round, dated today, unnumbered
    (the office gives the number when it signs)."""
    from cchc.documents.consolidated_report import render_consolidated_report  # noqa: PLC0415 — python-docx and the charts load only for the Word file

    result, names = consolidated or consolidate_round(rnd)
    template = template_of(rnd.template)
    # Earlier rounds over the same units, so that the trends compare like with like.
    earlier = past_rounds(rnd, template, set(result.expected))
    history = [(p.label, p.totals) for p in earlier]
    history.append((period_label(rnd.period_key), {k: t.value for k, t in result.totals.items()}))
    return render_consolidated_report(
        template,
        result,
        names,
        history=history,
        issuer=rnd.issuer.name,
        title=rnd.title,
        period=rnd.period_key,
        header=DocumentHeader(date=timezone.localdate()),
    )


def round_report_name(rnd: ReportingRound) -> str:
    return f"bao-cao-tong-hop-{rnd.period_key}-dot-{rnd.pk}.docx"
