"""Before «xong» and approval: what is still empty, and what the checks found.

The rule of what is required is the core's (`cchc/core/completeness.py`); the
findings are validation's (tables) and the narrative checks' (section texts).
A part or a report with anything empty or any error goes on only with a reason,
which the audit log keeps with the list it was given for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc.core.completeness import Completeness, completeness
from cchc.core.narrative import check_report_narrative
from cchc.core.reading import read_report
from cchc.core.validation import Finding, Severity
from cchc.web.reporting.entry.saving import read_values, report_content
from cchc.web.reporting.models import AuditEvent, PartKind, Report, SectionText
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.workflow.permissions import Refused

__all__ = ["Incomplete", "Readiness", "readiness_of", "record_go_ahead", "require_ready"]


@dataclass
class Readiness:
    gaps: Completeness
    findings: list[Finding] = field(default_factory=list)  # table findings
    narrative: list[Finding] = field(default_factory=list)  # section-text findings

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings + self.narrative if f.severity == Severity.ERROR]

    @property
    def needs_reason(self) -> bool:
        return not self.gaps.complete or bool(self.errors)

    def summary(self) -> str:
        """`1 lỗi, 2 biểu có ô bắt buộc trống, 3 mục chưa có nội dung`."""
        parts = []
        if self.errors:
            parts.append(f"{len(self.errors)} lỗi")
        if self.gaps.cells:
            parts.append(f"{len(self.gaps.cells)} biểu có ô bắt buộc trống")
        if self.gaps.sections:
            parts.append(f"{len(self.gaps.sections)} mục chưa có nội dung")
        return ", ".join(parts)

    def to_json(self) -> dict:
        return {
            **self.gaps.to_json(),
            "errors": [f.message for f in self.errors],
        }


class Incomplete(Refused):
    """Refused for want of a reason; `readiness` says what is missing, to show it."""

    def __init__(self, message: str, readiness: Readiness) -> None:
        self.readiness = readiness
        super().__init__(message)


def readiness_of(report: Report, *, kind: str = "", code: str = "") -> Readiness:
    """The whole report's readiness, or one part's (`kind`, `code`)."""
    template = template_of(report.round.template)
    values = read_values(report)[0]
    texts = dict(SectionText.objects.filter(report=report).values_list("code", "text"))
    checked = read_report(template, values)
    forms = sections = None
    if kind == PartKind.FORM:
        forms, sections = [code], []
    elif kind == PartKind.SECTION:
        forms, sections = [], [code]
    gaps = completeness(
        template, values, texts, forms=forms, sections=sections, level=report.unit.level
    )
    findings = checked.findings
    narrative: list[Finding] = []
    if kind != PartKind.FORM and any(t.strip() for t in texts.values()):
        narrative = check_report_narrative(
            report_content(report, checked), template, checked.values
        ).findings
    if kind == PartKind.FORM:
        findings = [f for f in findings if f.form == code]
    elif kind == PartKind.SECTION:
        findings = []
        narrative = [f for f in narrative if _within(str(f.values.get("section", "")), code)]
    return Readiness(gaps, findings, narrative)


def _within(section: str, code: str) -> bool:
    return section == code or section.startswith(f"{code}.")


def require_ready(readiness: Readiness, reason: str, what: str, *, part: bool = False) -> None:
    """Refuse unless everything is there or a reason is given. A part (`part`) is told
    line by line what is empty; a report gets the counts."""
    if not readiness.needs_reason or reason.strip():
        return
    if part:
        lines = readiness.gaps.lines()
        if readiness.errors:
            lines.append(f"Còn {len(readiness.errors)} lỗi.")
        told = f"{what} chưa xong: {' '.join(lines)}"
    else:
        told = f"{what} còn {readiness.summary()}."
    raise Incomplete(f"{told} Hãy bổ sung, hoặc ghi rõ lý do vẫn tiếp tục.", readiness)


def record_go_ahead(
    *, report: Report, user, readiness: Readiness, reason: str, target: str
) -> None:
    """The audit line of going on with something missing: the reason and the list."""
    if not readiness.needs_reason:
        return
    AuditEvent.objects.create(
        report=report,
        user=user,
        action="confirmed-incomplete",
        target=target,
        before=readiness.to_json(),
        after={"reason": reason.strip()},
    )
