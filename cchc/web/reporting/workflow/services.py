"""Operations of the reporting workflow, as the users' clicks, the API and the demo call them.

Each function checks who may do it, does it in one transaction, records it in
the audit log, and raises `Refused` (a Vietnamese message) otherwise. Rounds,
assignments, the report's states and the dashboard are here; saving values and
texts (`entry/saving`), the permission checks (`workflow/permissions`) and stored
templates (`template_versions/store`) have modules of their own, imported from there.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from cchc.core.periods import Period, Window
from cchc.core.schedule import RoundSchedule, is_late
from cchc.web.organisation.models import OrgUnit
from cchc.web.organisation.services import (
    descendant_ids,
)
from cchc.web.reporting.entry.document_details import keep_details
from cchc.web.reporting.models import (
    Assignment,
    AuditEvent,
    PartKind,
    Report,
    ReportingRound,
    ReportState,
    TemplateVersion,
)
from cchc.web.reporting.signals import part_marked, parts_assigned, report_moved
from cchc.web.reporting.template_versions.store import (
    template_of,
)
from cchc.web.reporting.workflow.assignments import assign_defaults, assign_part  # noqa: F401
from cchc.web.reporting.workflow.permissions import (
    Refused,
    require_approve,
    require_mark,
    require_round_issuer,
    require_round_reviewer,
    require_submit,
)
from cchc.web.reporting.workflow.readiness import readiness_of, record_go_ahead, require_ready

# ---------------------------------------------------------------- rounds


def default_schedule(period: Period) -> RoundSchedule:
    """The Home Affairs CCHC window and deadline where they exist, Decree 09 otherwise."""
    try:
        return RoundSchedule.default(period, "cchc")
    except ValueError:
        return RoundSchedule.default(period, "nd09")


def open_round(
    *,
    user,
    issuer: OrgUnit,
    template: TemplateVersion,
    period: Period,
    units: list[OrgUnit],
    window_override: Window | None = None,
    deadline: datetime | None = None,
    title: str = "",
) -> ReportingRound:
    """A reviewer of the issuing unit opens a round: one report per unit in scope."""
    require_round_issuer(user, issuer)
    if not units:
        raise Refused("Đợt báo cáo cần ít nhất một đơn vị.")
    schedule = default_schedule(period)
    win = window_override or schedule.window
    # The tree of the period, not of today: a 2024 round follows the districts of 2024.
    below = descendant_ids({issuer.id}, win.end) - {issuer.id}
    outside = [u.name for u in units if u.id not in below]
    if outside:
        raise Refused(f"Các đơn vị không trực thuộc {issuer.name}: {', '.join(outside)}.")
    due = deadline or timezone.make_aware(schedule.deadline.at)
    template_obj = template_of(template)
    with transaction.atomic():
        rnd = ReportingRound.objects.create(
            issuer=issuer,
            template=template,
            period_key=period.key,
            title=title or f"Báo cáo CCHC {period.in_sentence} — {template_obj.title}",
            window_start=win.start,
            window_end=win.end,
            deadline=due,
            created_by=user,
        )
        assigned: dict[str, dict[str, list[str]]] = {}  # unit → user → parts
        for unit in units:
            report = Report.objects.create(round=rnd, unit=unit)
            by_user = assigned.setdefault(unit.code, {})
            made = assign_defaults(report=report, template=template_obj)
            for a in made:
                by_user.setdefault(a.user.username, []).append(f"{a.kind}:{a.code}")
            parts_assigned.send(Report, report=report, assignments=made, by=user)
        AuditEvent.objects.create(
            round=rnd,
            user=user,
            action="round-opened",
            target=period.key,
            after={
                "template": {"id": template.template_id, "version": template.pk},
                "window": {"start": win.start.isoformat(), "end": win.end.isoformat()},
                "deadline": due.isoformat(),
                "units": [u.code for u in units],
                "assignments": assigned,
            },
        )
    return rnd


# ---------------------------------------------------------------- workflow


def _transition(report: Report, user, action: str, to: str, **fields) -> None:
    """Move the report on, in the caller's transaction. Its row is locked first and its
    state read again: of two people moving the same report at once, the second is
    refused instead of moving it twice (and the stored totals counting it twice)."""
    before = report.state
    locked = Report.objects.select_for_update().filter(pk=report.pk)
    if locked.values_list("state", flat=True).first() != before:
        raise Refused("Báo cáo vừa được người khác chuyển trạng thái; hãy tải lại trang.")
    report.state = to
    for k, v in fields.items():
        setattr(report, k, v)
    report.save()
    AuditEvent.objects.create(
        report=report,
        user=user,
        action=action,
        before={"state": before},
        after={
            "state": to,
            **{
                k: (v.isoformat() if isinstance(v, datetime | date) else v)
                for k, v in fields.items()
            },
        },
    )
    report_moved.send(Report, report=report, before=before, after=to, by=user)


def approve_report(*, user, report: Report, reason: str = "") -> None:
    """The leader approves; with errors or empty parts left (readiness.py), only with a
    recorded reason."""
    require_approve(user, report)
    ready = readiness_of(report)
    require_ready(ready, reason, "Báo cáo")
    with transaction.atomic():
        record_go_ahead(report=report, user=user, readiness=ready, reason=reason, target="approve")
        keep_details(report)
        _transition(
            report,
            user,
            "approved",
            ReportState.APPROVED,
            approval_reason=reason.strip(),
            approved_at=timezone.now(),
        )
        from cchc.web.signing.services import freeze_on_approval  # noqa: PLC0415 — signing builds on the workflow; pyhanko loads only to sign

        freeze_on_approval(report=report, user=user)


def submit_report(*, user, report: Report) -> None:
    require_submit(user, report)
    from cchc.web.signing.services import require_signed_for_submit  # noqa: PLC0415 — signing builds on the workflow; pyhanko loads only to sign

    require_signed_for_submit(report)
    with transaction.atomic():
        _transition(report, user, "submitted", ReportState.SUBMITTED, submitted_at=timezone.now())


def accept_report(*, user, report: Report) -> None:
    require_round_reviewer(user, report, "tiếp nhận")
    with transaction.atomic():
        _transition(report, user, "accepted", ReportState.ACCEPTED, accepted_at=timezone.now())


def return_report(*, user, report: Report, comment: str) -> None:
    require_round_reviewer(user, report, "trả lại")
    if not comment.strip():
        raise Refused("Hãy ghi rõ lý do trả lại để đơn vị biết cần sửa gì.")
    with transaction.atomic():
        _transition(report, user, "returned", ReportState.RETURNED, return_comment=comment.strip())
        _clear_marks(report, user)


def _clear_marks(report: Report, user) -> None:
    """A returned report is worked on again: every «xong» is cleared, and the log says which."""
    marked = Assignment.objects.filter(report=report, done_at__isnull=False).select_related("user")
    cleared = {
        f"{a.kind}:{a.code}": {"assignee": a.user.username, "done_at": a.done_at.isoformat()}  # type: ignore[union-attr]  # filtered: set
        for a in marked.order_by("kind", "code")
    }
    if not cleared:
        return
    Assignment.objects.filter(report=report).update(done_at=None)
    AuditEvent.objects.create(
        report=report,
        user=user,
        action="marks-cleared",
        before={"done": cleared},
        after={"done": {}},
    )


# ---------------------------------------------------------------- dashboards


STATUS_LABELS = {
    "not_started": "Chưa bắt đầu",
    "in_progress": "Đang thực hiện",
    "on_time": "Đã gửi đúng hạn",
    "late": "Đã gửi muộn",
    "returned": "Bị trả lại",
    "accepted": "Đã tiếp nhận",
}


def report_status(report: Report) -> str:
    if report.state == ReportState.ACCEPTED:
        return "accepted"
    if report.state == ReportState.RETURNED:
        return "returned"
    if report.state == ReportState.SUBMITTED:
        late = report.submitted_at and is_late(report.submitted_at, report.due)
        return "late" if late else "on_time"
    return (
        "in_progress"
        if report.first_edit_at or report.state == ReportState.APPROVED
        else "not_started"
    )


def round_dashboard(rnd: ReportingRound) -> tuple[list[tuple[Report, str]], dict[str, int]]:
    reports = list(rnd.reports.select_related("unit", "round").order_by("unit__name"))
    rows = [(r, report_status(r)) for r in reports]
    counts = {k: 0 for k in STATUS_LABELS}
    for _, status in rows:
        counts[status] += 1
    return rows, counts


def mark_done(
    *, user, report: Report, kind: str, code: str, done: bool = True, reason: str = ""
) -> None:
    """«Đánh dấu xong» (or reopen) one assigned part; the log keeps the mark before and after.
    A part with empty required cells or sections, or errors, is done only with a reason."""
    parts = Assignment.objects.filter(report=report, kind=kind, code=code)
    a = parts.select_related("user").first()
    require_mark(user, report, a, done)
    assert a is not None  # require_mark refuses a part nobody is assigned
    ready = readiness_of(report, kind=kind, code=code) if done else None
    if ready is not None:
        what = "Biểu" if kind == PartKind.FORM else "Mục"
        require_ready(ready, reason, f"{what} {code}", part=True)
    before = a.done_at
    a.done_at = timezone.now() if done else None
    with transaction.atomic():
        if ready is not None:
            record_go_ahead(
                report=report, user=user, readiness=ready, reason=reason, target=f"{kind}:{code}"
            )
        a.save(update_fields=["done_at"])
        AuditEvent.objects.create(
            report=report,
            user=user,
            action="part-done" if done else "part-reopened",
            target=f"{kind}:{code}",
            before=_mark(a, before),
            after=_mark(a, a.done_at),
        )
        part_marked.send(Report, report=report, assignment=a, done=done, by=user)


def _mark(a: Assignment, done_at) -> dict:
    return {"assignee": a.user.username, "done_at": done_at.isoformat() if done_at else None}
