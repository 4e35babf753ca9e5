"""Giving out a report's parts: one by one, several at once, or all by duty, each part
with the office's own deadline for it.

Every operation checks the giver (`require_assigner`) and each receiver
(`require_assignee`), writes all its changes or none, and logs one audit entry per
part changed, with the person and the internal deadline before and after. The split
by duty is the core's (`cchc/core/work_split.py`); this module reads who holds which
duty and writes the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.core.templates import ReportTemplate
from cchc.core.work_split import DutySplit, parts_of, split_by_duty
from cchc.web.organisation.models import Membership
from cchc.web.reporting.models import Assignment, AuditEvent, PartKind, Report
from cchc.web.reporting.signals import parts_assigned
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.wording import local_time, person_name
from cchc.web.reporting.workflow.permissions import Refused, require_assignee, require_assigner


class Keep(Enum):
    """In a `Change`: leave the person (or the deadline) as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class Change:
    """One part to give: `assignee` None takes it back; `due_at` None is the round's."""

    kind: str
    code: str
    assignee: Any = KEEP  # a user, None or KEEP
    due_at: datetime | Keep | None = KEEP


@dataclass(frozen=True)
class ByDuty:
    changed: int
    split: DutySplit


def duty_holders(report: Report) -> dict[str, list]:
    """duty → the active people of the report's unit holding it, by name."""
    holders: dict[str, dict[int, object]] = {}
    rows = (
        Membership.objects.filter(unit_id=report.unit_id, user__is_active=True)
        .exclude(duty="")
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user_id")
    )
    for m in rows:
        holders.setdefault(m.duty, {})[m.user_id] = m.user
    return {duty: list(people.values()) for duty, people in holders.items()}


def titles_in(unit_id: int) -> dict[int, str]:
    """person → their title (chức vụ) in the unit, shown next to their name."""
    titles: dict[int, str] = {}
    for user_id, title in Membership.objects.filter(unit_id=unit_id).values_list(
        "user_id", "title"
    ):
        titles[user_id] = titles.get(user_id) or title
    return titles


def assign_defaults(*, report: Report, template: ReportTemplate) -> list[Assignment]:
    """A new report's split by duty, as the round opens (no internal deadline yet)."""
    split = split_by_duty(parts_of(template), duty_holders(report))
    made = [
        Assignment(report=report, kind=kind, code=code, user=person)
        for (kind, code), person in split.given.items()
    ]
    Assignment.objects.bulk_create(made)
    return made


def due_problem(due: datetime, report: Report, now: datetime) -> str | None:
    """An internal deadline must be still ahead, and not after the unit's own."""
    if due <= now:
        return f"Hạn nội bộ {local_time(due)} đã qua; hãy chọn một thời điểm sắp tới."
    if due > report.due:
        return (
            f"Hạn nội bộ {local_time(due)} muộn hơn hạn nộp của đơn vị "
            f"({local_time(report.due)}): công chức cần nộp trước để đơn vị "
            "kịp tổng hợp, duyệt và gửi."
        )
    return None


def _state(a: Assignment | None) -> dict | None:
    if a is None:
        return None
    return {"user": a.user.username, "due_at": a.due_at.isoformat() if a.due_at else None}


def assign_parts(*, user, report: Report, changes: list[Change], why: str = "") -> int:
    """Give out several parts at once; returns how many changed. `why` is kept in the log
    ("duty": by duty)."""
    require_assigner(user, report)
    known = {p.key for p in parts_of(template_of(report.round.template))}
    now = timezone.now()
    for ch in changes:
        if (ch.kind, ch.code) not in known:
            what = "biểu" if ch.kind == PartKind.FORM else "mục"
            raise Refused(f"Mẫu báo cáo không có {what} «{ch.code}» để phân công.")
        if ch.assignee not in (KEEP, None):
            require_assignee(report, ch.assignee)
        if isinstance(ch.due_at, datetime) and (problem := due_problem(ch.due_at, report, now)):
            raise Refused(problem)
    owners = {
        (a.kind, a.code): a for a in Assignment.objects.filter(report=report).select_related("user")
    }
    given, events = [], []
    with transaction.atomic():
        for ch in changes:
            current = owners.get((ch.kind, ch.code))
            before = _state(current)
            person = current.user if current and ch.assignee is KEEP else ch.assignee
            if person is KEEP or person is None:
                if current is not None and ch.assignee is None:
                    current.delete()
                    events.append(_event(report, user, "unassigned", ch, before, None, why))
                continue  # KEEP on a part nobody has: nothing to give a deadline to
            due = (current.due_at if current else None) if ch.due_at is KEEP else ch.due_at
            if current is not None and current.user_id == person.pk and current.due_at == due:
                continue
            if current is None:
                current = Assignment.objects.create(
                    report=report, kind=ch.kind, code=ch.code, user=person, due_at=due
                )
                given.append(current)
            else:
                if current.user_id != person.pk:
                    current.user, current.done_at = person, None
                    given.append(current)
                current.due_at = due
                current.save(update_fields=["user", "done_at", "due_at"])
            events.append(_event(report, user, "assigned", ch, before, _state(current), why))
        AuditEvent.objects.bulk_create(events)
        if given:
            parts_assigned.send(Report, report=report, assignments=given, by=user)
    return len(events)


def _event(report, user, action: str, ch: Change, before, after, why: str) -> AuditEvent:
    if after is not None and why:
        after = {**after, "why": why}
    return AuditEvent(
        report=report,
        user=user,
        action=action,
        target=f"{ch.kind}:{ch.code}",
        before=before,
        after=after,
    )


def assign_part(
    *, user, report: Report, kind: str, code: str, assignee, due_at: datetime | Keep | None = KEEP
) -> None:
    """One part to one person (the internal deadline kept unless given)."""
    assign_parts(user=user, report=report, changes=[Change(kind, code, assignee, due_at)])


def assign_by_duty(
    *, user, report: Report, due_at: datetime | None = None, keep_others: bool = False
) -> ByDuty:
    """Every part to the person holding its duty, with one internal deadline, in one
    action. `keep_others` leaves a part someone else was already given as it is."""
    template = template_of(report.round.template)
    split = split_by_duty(parts_of(template), duty_holders(report))
    if not split.given:
        roles = ", ".join(p.role or "" for p in split.nobody[:1])
        hint = f" (chưa ai giữ nhiệm vụ {roles})" if roles else ""
        raise Refused(
            f"Không có phần việc nào giao được theo nhiệm vụ{hint}: hãy ghi nhiệm vụ cho "
            f"công chức của {report.unit.name} ở trang Người dùng, hoặc giao từng phần."
        )
    owners = {(a.kind, a.code): a.user_id for a in Assignment.objects.filter(report=report)}
    changes = [
        Change(kind, code, person, due_at)
        for (kind, code), person in split.given.items()
        if not (keep_others and owners.get((kind, code)) not in (None, person.pk))
    ]
    changed = assign_parts(user=user, report=report, changes=changes, why="duty")
    return ByDuty(changed, split)


def part_due(a: Assignment) -> datetime:
    """When the part is due: its internal deadline, else the round's."""
    return a.due_at or a.report.due


def holder_label(person, titles: dict[int, str]) -> str:
    """`Trần Thị Hoa (Công chức Văn phòng - Thống kê)`: a name with its title."""
    title = titles.get(person.pk, "")
    return f"{person_name(person)} ({title})" if title else person_name(person)


__all__ = [
    "KEEP",
    "ByDuty",
    "Change",
    "assign_by_duty",
    "assign_defaults",
    "assign_part",
    "assign_parts",
    "due_problem",
    "duty_holders",
    "holder_label",
    "part_due",
    "titles_in",
]
