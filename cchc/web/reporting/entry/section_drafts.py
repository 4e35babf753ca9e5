"""«Gợi ý nội dung» for one section of a report: its figures, and for an upper unit
what its subordinates sent in the same section (see `cchc.core.narrative.drafts`).

The subordinates are the reports already sent (or accepted) in the rounds the
report's unit issued for the same period and template — the rounds its prefill
consolidates — so the gathered texts stand beside the same consolidated figures.
"""

from __future__ import annotations

from cchc.core.narrative import report_level
from cchc.core.narrative.drafts import SectionDraft, Subordinate, draft_numbers, draft_own
from cchc.core.narrative.drafts import draft_upper as _draft_upper
from cchc.web.reporting.consolidation import SUBMITTED
from cchc.web.reporting.entry.prefill import source_rounds
from cchc.web.reporting.entry.saving import check_report
from cchc.web.reporting.models import Report, SectionText
from cchc.web.reporting.workflow.services import template_of

__all__ = ["section_draft"]


def section_draft(report: Report, code: str) -> tuple[SectionDraft | None, bool]:
    """The section's draft (None when there is nothing to draft from) and whether
    the report is an upper unit's (it issued rounds of its own)."""
    template = template_of(report.round.template)
    checked = check_report(report)
    numbers = draft_numbers(checked.values, checked.computed)
    level = report_level(report.unit.name)
    sources = source_rounds(report)
    if not sources:
        return draft_own(template, numbers, level).get(code), False
    rows = (
        SectionText.objects.filter(
            report__round__in=sources, report__state__in=SUBMITTED, code=code
        )
        .exclude(text="")
        .select_related("report__unit")
        .order_by("report__unit__name", "report_id")
    )
    texts = {code: [Subordinate(r.report.unit.name, r.text) for r in rows]}
    return _draft_upper(template, numbers, texts, level).get(code), True
