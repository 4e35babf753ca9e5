"""Changing a round once it is open: its title, window and deadline, one unit's deadline,
its units, closing it (no more submissions; DHIS2 calls it expiry) and reopening it.

Only the issuing unit's reviewers do these (`permissions.require_round_admin`). Each
change is checked whole before anything is written, done in one transaction, kept in
the audit log (on the round, and on the report when it is about one unit) and told to
the units concerned through `round_changed` (cchc/web/notices makes notices and mail).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from cchc.core.periods import Window, short_date
from cchc.web.organisation.models import OrgUnit
from cchc.web.organisation.services import descendant_ids
from cchc.web.reporting.models import (
    AuditEvent,
    Report,
    ReportingRound,
    ReportState,
    ReportValue,
    SectionText,
)
from cchc.web.reporting.signals import parts_assigned, round_changed
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.wording import local_time
from cchc.web.reporting.workflow.permissions import Refused, require_round_admin, tree_day
from cchc.web.reporting.workflow.services import assign_defaults

# Reports that still have something to send: the ones a change of the round concerns.
PENDING = (ReportState.DRAFT, ReportState.APPROVED, ReportState.RETURNED)


def deadline_refusal(deadline: datetime, cut_off: date, *, now: datetime | None = None) -> str:
    """Why a deadline cannot be set (in the past, or before the cut-off day); empty if fine."""
    now = now or timezone.now()
    if deadline <= now:
        return (
            f"Hạn nộp {local_time(deadline)} đã qua (bây giờ là {local_time(now)}): "
            "hãy chọn một thời điểm sau bây giờ."
        )
    if timezone.localtime(deadline).date() < cut_off:
        return (
            f"Hạn nộp {local_time(deadline)} sớm hơn ngày chốt số liệu {short_date(cut_off)}: "
            f"đơn vị chưa thể có số liệu đến ngày chốt; hãy chọn hạn từ ngày "
            f"{short_date(cut_off)} trở đi."
        )
    return ""


def _require_deadline(deadline: datetime, cut_off: date) -> None:
    refusal = deadline_refusal(deadline, cut_off)
    if refusal:
        raise Refused(refusal)


def _units_outside(rnd: ReportingRound, units, day: date) -> list[str]:
    below = descendant_ids({rnd.issuer_id}, day) - {rnd.issuer_id}
    return [u.name for u in units if u.id not in below]


def _pending(rnd: ReportingRound) -> list[Report]:
    return list(rnd.reports.filter(state__in=PENDING).select_related("unit", "round__issuer"))


def _record(rnd, user, action: str, *, report=None, target="", before=None, after=None) -> None:
    AuditEvent.objects.create(
        round=rnd,
        report=report,
        user=user,
        action=action,
        target=target,
        before=before,
        after=after,
    )


def _iso(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


def edit_round(*, user, rnd: ReportingRound, title: str, window: Window, deadline: datetime):
    """Change the title, the window and the deadline; the units still working are told.
    Returns the names of what changed (nothing changed, nothing is written)."""
    require_round_admin(user, rnd)
    title = " ".join(title.split())
    if not title:
        raise Refused("Tên đợt không được để trống.")
    if window.start > window.end:
        raise Refused(
            f"Ngày bắt đầu chốt số liệu {short_date(window.start)} sau ngày kết thúc "
            f"{short_date(window.end)}."
        )
    wanted = {
        "title": title,
        "window_start": window.start,
        "window_end": window.end,
        "deadline": deadline,
    }
    changed = {k: v for k, v in wanted.items() if getattr(rnd, k) != v}
    if not changed:
        return []
    if "deadline" in changed:
        _require_deadline(deadline, window.end)
    elif timezone.localtime(deadline).date() < window.end:
        _require_deadline(deadline, window.end)  # the same deadline, now before the cut-off
    if "window_end" in changed:
        units = OrgUnit.objects.filter(reports__round=rnd)
        outside = _units_outside(rnd, units, window.end)
        if outside:
            raise Refused(
                f"Đến ngày chốt {short_date(window.end)}, các đơn vị sau không trực thuộc "
                f"{rnd.issuer.name}: {', '.join(outside)}. Hãy bỏ họ khỏi đợt trước."
            )
    before = {k: _iso(getattr(rnd, k)) for k in changed}
    with transaction.atomic():
        for key, value in changed.items():
            setattr(rnd, key, value)
        rnd.save(update_fields=list(changed))
        _record(
            rnd, user, "round-edited", before=before, after={k: _iso(v) for k, v in changed.items()}
        )
        round_changed.send(
            ReportingRound,
            round=rnd,
            reports=_pending(rnd),
            change=_edit_text(rnd, changed),
            by=user,
        )
    return list(changed)


def _edit_text(rnd: ReportingRound, changed: dict) -> str:
    said = []
    if "title" in changed:
        said.append(f"đổi tên đợt thành «{rnd.title}»")
    if {"window_start", "window_end"} & set(changed):
        said.append(
            f"đổi thời gian chốt số liệu thành {short_date(rnd.window_start)} – "
            f"{short_date(rnd.window_end)}"
        )
    if "deadline" in changed:
        said.append(f"đổi hạn nộp chung thành {local_time(rnd.deadline)}")
    return "; ".join(said)


def extend_deadline(*, user, report: Report, deadline: datetime) -> None:
    """A later deadline for this unit alone; the round's stays as it was for the others."""
    rnd = report.round
    require_round_admin(user, rnd)
    _require_deadline(deadline, rnd.window_end)
    if deadline <= report.due:
        raise Refused(
            f"Hạn mới {local_time(deadline)} phải sau hạn hiện tại của {report.unit.name} "
            f"({local_time(report.due)})."
        )
    before = report.deadline
    with transaction.atomic():
        report.deadline = deadline
        report.save(update_fields=["deadline"])
        _record(
            rnd,
            user,
            "deadline-extended",
            report=report,
            target=report.unit.code,
            before={"deadline": _iso(before or rnd.deadline)},
            after={"deadline": _iso(deadline), "name": report.unit.name},
        )
        text = f"gia hạn nộp cho {report.unit.name} đến {local_time(deadline)}"
        round_changed.send(ReportingRound, round=rnd, reports=[report], change=text, by=user)


def add_units(*, user, rnd: ReportingRound, units: list[OrgUnit]) -> list[Report]:
    """More units in the round, on its own tree; each gets its report and default split."""
    require_round_admin(user, rnd)
    if not units:
        raise Refused("Hãy chọn ít nhất một đơn vị để thêm vào đợt.")
    if rnd.closed_at is not None:
        raise Refused(f"Đợt «{rnd.title}» đã khóa: hãy mở lại đợt trước khi thêm đơn vị.")
    outside = _units_outside(rnd, units, tree_day(rnd))
    if outside:
        raise Refused(f"Các đơn vị không trực thuộc {rnd.issuer.name}: {', '.join(outside)}.")
    already = [u.name for u in units if rnd.reports.filter(unit=u).exists()]
    if already:
        raise Refused(f"Các đơn vị đã có trong đợt: {', '.join(already)}.")
    template = template_of(rnd.template)
    made = []
    with transaction.atomic():
        for unit in units:
            report = Report.objects.create(round=rnd, unit=unit)
            given = assign_defaults(report=report, template=template)
            # On the round, not the report: the entry outlives the unit's removal.
            _record(rnd, user, "unit-added", target=unit.code, after={"name": unit.name})
            parts_assigned.send(Report, report=report, assignments=given, by=user)
            text = f"đưa {unit.name} vào đợt; hạn nộp {local_time(report.due)}"
            round_changed.send(ReportingRound, round=rnd, reports=[report], change=text, by=user)
            made.append(report)
    return made


def remove_unit(*, user, report: Report) -> None:
    """A unit taken out of the round, only while nothing of its report has been written."""
    rnd = report.round
    require_round_admin(user, rnd)
    name = report.unit.name
    if report.state != ReportState.DRAFT or report.first_edit_at is not None:
        raise Refused(
            f"Báo cáo của {name} đã được làm ({report.get_state_display().lower()}) nên không "
            "bỏ khỏi đợt được; có thể khóa đợt hoặc trả lại báo cáo."
        )
    written = (
        ReportValue.objects.filter(report=report).exclude(raw="", note="").exists()
        or SectionText.objects.filter(report=report).exclude(text="").exists()
    )
    if written:
        raise Refused(f"Báo cáo của {name} đã có số liệu hoặc nội dung nên không bỏ được.")
    if rnd.reports.count() == 1:
        raise Refused("Đợt báo cáo cần ít nhất một đơn vị: không bỏ được đơn vị cuối cùng.")
    with transaction.atomic():
        round_changed.send(
            ReportingRound,
            round=rnd,
            reports=[report],
            change=f"bỏ {name} khỏi đợt; đơn vị không phải gửi báo cáo này nữa",
            by=user,
            removed=True,
        )
        _record(rnd, user, "unit-removed", target=report.unit.code, before={"name": name})
        # The round's own entries about this unit (an extension) stay in the round's log.
        AuditEvent.objects.filter(report=report, round=rnd).update(report=None)
        report.delete()


def close_round(*, user, rnd: ReportingRound) -> None:
    """No more submissions; those not in yet are told, and may be reopened one by one."""
    require_round_admin(user, rnd)
    if rnd.closed_at is not None:
        raise Refused(f"Đợt «{rnd.title}» đã khóa từ {local_time(rnd.closed_at)}.")
    pending = _pending(rnd)
    with transaction.atomic():
        rnd.closed_at = timezone.now()
        rnd.save(update_fields=["closed_at"])
        rnd.reports.update(reopened_at=None)
        _record(
            rnd,
            user,
            "round-closed",
            after={"closed_at": _iso(rnd.closed_at), "pending": [r.unit.code for r in pending]},
        )
        text = "khóa đợt: không nhận báo cáo gửi lên nữa"
        round_changed.send(ReportingRound, round=rnd, reports=pending, change=text, by=user)


def reopen_round(*, user, rnd: ReportingRound) -> None:
    require_round_admin(user, rnd)
    if rnd.closed_at is None:
        raise Refused(f"Đợt «{rnd.title}» đang mở.")
    with transaction.atomic():
        before = rnd.closed_at
        rnd.closed_at = None
        rnd.save(update_fields=["closed_at"])
        rnd.reports.update(reopened_at=None)
        _record(rnd, user, "round-reopened", before={"closed_at": _iso(before)})
        text = "mở lại đợt: các đơn vị gửi báo cáo được như trước"
        round_changed.send(ReportingRound, round=rnd, reports=_pending(rnd), change=text, by=user)


def reopen_unit(*, user, report: Report, deadline: datetime | None = None) -> None:
    """The closed round takes this unit's report again, with a new deadline if given."""
    rnd = report.round
    require_round_admin(user, rnd)
    name = report.unit.name
    if rnd.closed_at is None:
        raise Refused(f"Đợt «{rnd.title}» chưa khóa: {name} vẫn gửi báo cáo được.")
    if report.reopened_at is not None:
        raise Refused(f"Đợt đã được mở lại cho {name} lúc {local_time(report.reopened_at)}.")
    if report.state not in PENDING:
        raise Refused(f"{name} đã gửi báo cáo ({report.get_state_display().lower()}).")
    if deadline is not None:
        _require_deadline(deadline, rnd.window_end)
    before = {"deadline": _iso(report.due)}
    with transaction.atomic():
        report.reopened_at = timezone.now()
        report.deadline = deadline or report.deadline
        report.save(update_fields=["reopened_at", "deadline"])
        after = {
            "reopened_at": _iso(report.reopened_at),
            "deadline": _iso(report.due),
            "name": name,
        }
        _record(
            rnd,
            user,
            "unit-reopened",
            report=report,
            target=report.unit.code,
            before=before,
            after=after,
        )
        text = f"mở lại đợt cho {name}: đơn vị gửi được báo cáo, hạn nộp {local_time(report.due)}"
        round_changed.send(ReportingRound, round=rnd, reports=[report], change=text, by=user)
