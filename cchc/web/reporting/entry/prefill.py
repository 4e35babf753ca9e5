"""Fill an upper unit's own report from the consolidation of the rounds it issued.

A province's report to the ministry starts from the figures its communes sent:
`review_prefill` shows, row by row, the current value, the proposed one and what
it stands over; `apply_prefill` saves the chosen rows through `save_values`
(versions, audit, permissions), and `prefill_from_consolidation` does both with
the default choice. A value somebody typed is never overwritten unless chosen;
a value the prefill itself wrote (and nobody changed since) is updated when it is
run again after more units have reported. Which values the prefill wrote is kept
in the audit log (action `prefilled`), so no model change is needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from cchc.core.prefill import Proposal, merge_proposals, propose
from cchc.core.templates import Indicator
from cchc.web.reporting.consolidation import consolidate_round
from cchc.web.reporting.entry.saving import save_values
from cchc.web.reporting.models import AuditEvent, Report, ReportingRound, ReportValue
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.workflow.permissions import Refused, require_prefill

ACTION = "prefilled"
Key = tuple[str, str]

STATUS_LABELS = {
    "new": "Điền mới",
    "update": "Cập nhật (do lần điền trước ghi)",
    "same": "Không đổi",
    "typed": "Đã có người nhập: chỉ thay khi chọn",
}


@dataclass(frozen=True)
class PrefillRow:
    """One row of the review: what is there, what the consolidation proposes."""

    proposal: Proposal
    indicator: Indicator
    form_label: str
    current_raw: str
    current_note: str
    version: int | None
    status: str  # new, update, same, typed

    @property
    def key(self) -> str:
        return f"{self.proposal.form}|{self.proposal.code}"

    @property
    def checked(self) -> bool:
        """Chosen by default: new rows and rows the prefill wrote before."""
        return self.status in ("new", "update")

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class PrefillReview:
    report: Report
    sources: list[ReportingRound]
    rows: list[PrefillRow] = field(default_factory=list)

    def changes(self) -> list[PrefillRow]:
        return [r for r in self.rows if r.status != "same"]


@dataclass
class PrefillResult:
    saved: int = 0
    conflicts: int = 0
    kept: list[str] = field(default_factory=list)  # typed rows left as they were


def source_rounds(report: Report) -> list[ReportingRound]:
    """The rounds the report's unit issued to its own units for the same period and template."""
    return list(
        ReportingRound.objects.filter(
            issuer_id=report.unit_id,
            period_key=report.round.period_key,
            template__template_id=report.round.template.template_id,
        )
        .exclude(pk=report.round_id)
        .select_related("template", "issuer")
        .order_by("pk")
    )


def _prefilled_before(report: Report) -> dict[str, dict[str, str | None]]:
    """key → {"raw", "note"} as the last prefill left them."""
    event = AuditEvent.objects.filter(report=report, action=ACTION).order_by("-at", "-id").first()
    return dict((event.after or {}).get("values", {})) if event else {}


def _status(p: Proposal, row: ReportValue | None, before: dict | None) -> str:
    raw, note = (row.raw, row.note) if row else ("", "")
    if (p.raw is None or raw == p.raw) and note == p.note:
        return "same"
    touched = (note,) if p.raw is None else (raw, note)
    if not any(touched):
        return "new"
    if before is not None:
        left = (before.get("note"),) if p.raw is None else (before.get("raw"), before.get("note"))
        if left == touched:
            return "update"
    return "typed"


def review_prefill(*, user, report: Report) -> PrefillReview:
    """What the prefill would write; nothing is saved."""
    require_prefill(user, report)
    sources = source_rounds(report)
    if not sources:
        raise Refused(
            f"{report.unit.name} chưa mở đợt báo cáo kỳ {report.round.period_key} theo mẫu "
            f"{report.round.template.template_id} cho các đơn vị cấp dưới: "
            "chưa có số liệu tổng hợp để điền."
        )
    template = template_of(report.round.template)
    proposals = merge_proposals(propose(template, *consolidate_round(rnd)) for rnd in sources)
    current = {(v.form, v.code): v for v in ReportValue.objects.filter(report=report)}
    before = _prefilled_before(report)
    review = PrefillReview(report=report, sources=sources)
    for (form_code, code), p in proposals.items():
        form = template.form(form_code)
        indicator = form.get(code) if form else None
        if form is None or indicator is None:  # proposals come from the template's own forms
            continue
        row = current.get((form_code, code))
        review.rows.append(
            PrefillRow(
                proposal=p,
                indicator=indicator,
                form_label=form.label or form.code,
                current_raw=row.raw if row else "",
                current_note=row.note if row else "",
                version=row.version if row else None,
                status=_status(p, row, before.get(f"{form_code}|{code}")),
            )
        )
    return review


def apply_prefill(*, user, report: Report, rows: Iterable[PrefillRow]) -> PrefillResult:
    """Save the chosen rows, each from the version seen on review (a later edit is a conflict)."""
    require_prefill(user, report)
    by_form: dict[str, tuple[dict, dict]] = {}
    wanted: dict[str, dict[str, str | None]] = {}
    for r in rows:
        if r.status == "same":
            continue
        p = r.proposal
        changes, notes = by_form.setdefault(p.form, ({}, {}))
        if p.raw is not None:
            changes[p.code] = (p.raw, r.version)
        notes[p.code] = (p.note, r.version)
        wanted[r.key] = {"raw": p.raw, "note": p.note}
    result = PrefillResult()
    written: dict[str, dict[str, str | None]] = {}
    with transaction.atomic():
        for form, (changes, notes) in by_form.items():
            saved = save_values(user=user, report=report, form=form, changes=changes, notes=notes)
            result.conflicts += len(saved.conflicts)
            for _, code in saved.versions:
                written[f"{form}|{code}"] = wanted[f"{form}|{code}"]
        result.saved = len(written)
        if written:
            values = {**_prefilled_before(report), **written}
            AuditEvent.objects.create(
                report=report,
                user=user,
                action=ACTION,
                target=",".join(str(r.pk) for r in source_rounds(report))[:64],
                after={"values": values},
            )
    return result


def prefill_from_consolidation(*, user, report: Report, overwrite: bool = False) -> PrefillResult:
    """Review and save in one go: new rows and rows the prefill wrote before; rows
    somebody typed only with `overwrite`."""
    review = review_prefill(user=user, report=report)
    chosen = [r for r in review.rows if r.checked or (overwrite and r.status == "typed")]
    result = apply_prefill(user=user, report=report, rows=chosen)
    result.kept = [r.key for r in review.rows if r.status == "typed" and not overwrite]
    return result
