"""What each person still has to do: «Việc của tôi», and whom the deadline reminders go to.

One reading of "work" for both: an official has the parts given to them of a report
being written (returned ones included, with the reviewer's comment); a leader has the
reports of their unit to approve and then submit; a unit admin the reports with parts
nobody has yet; a reviewer the submitted reports of the rounds their unit issued.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Count, Q

from cchc.core.schedule import is_late
from cchc.web.organisation.models import Membership, Role
from cchc.web.reporting.models import EDITABLE_STATES, Assignment, Report, ReportState
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.wording import part_label

LEADING_STATES = (*EDITABLE_STATES, ReportState.APPROVED)


@dataclass
class PartTask:
    assignment: Assignment
    label: str
    overdue: bool
    returned: bool
    due: datetime  # the part's internal deadline, else the round's

    @property
    def internal(self) -> bool:
        return self.assignment.due_at is not None


@dataclass
class ReportTask:
    report: Report
    todo: str  # what to do, as the button would say it
    detail: str
    overdue: bool


@dataclass
class MyWork:
    parts: list[PartTask] = field(default_factory=list)
    to_lead: list[ReportTask] = field(default_factory=list)
    to_assign: list[ReportTask] = field(default_factory=list)
    to_review: list[ReportTask] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.parts or self.to_lead or self.to_assign or self.to_review)

    @property
    def overdue_count(self) -> int:
        tasks: list[PartTask | ReportTask] = [*self.parts, *self.to_lead, *self.to_assign]
        return sum(t.overdue for t in tasks)


def _unit_ids(user, role: str) -> list[int]:
    return list(Membership.objects.filter(user=user, role=role).values_list("unit_id", flat=True))


def _reports():
    return Report.objects.select_related("unit", "round__template", "round__issuer").order_by(
        "round__deadline", "unit__name"
    )


def unassigned_count(report: Report, assigned: int) -> int:
    """The parts (sections and forms) of the report's template that nobody has been given."""
    template = template_of(report.round.template)
    return len(template.all_sections()) + len(template.forms) - assigned


def work_of(user, now: datetime) -> MyWork:
    work = MyWork()
    assignments = (
        Assignment.objects.filter(user=user, report__state__in=EDITABLE_STATES)
        .select_related("report__unit", "report__round__template")
        .order_by("report__round__deadline", "report_id", "kind", "code")
    )
    for a in assignments:
        template = template_of(a.report.round.template)
        due = a.due_at or a.report.due
        work.parts.append(
            PartTask(
                assignment=a,
                label=part_label(template, a.kind, a.code, title=True),
                overdue=a.done_at is None and is_late(now, due),
                returned=a.report.state == ReportState.RETURNED,
                due=due,
            )
        )
    work.parts.sort(key=lambda t: (t.due, t.assignment.report_id))
    counted = _reports().annotate(
        parts=Count("assignments"),
        done=Count("assignments", filter=Q(assignments__done_at__isnull=False)),
    )
    for r in counted.filter(unit_id__in=_unit_ids(user, Role.LEADER), state__in=LEADING_STATES):
        late = is_late(now, r.due)
        if r.state == ReportState.APPROVED:
            work.to_lead.append(ReportTask(r, "Gửi lên cấp trên", "Đã duyệt, chưa gửi", late))
        else:
            detail = f"{r.done}/{r.parts} phần việc đã xong"
            if r.state == ReportState.RETURNED:
                detail += f"; bị trả lại: «{r.return_comment}»"
            work.to_lead.append(ReportTask(r, "Xem và duyệt", detail, late))
    admin_units = _unit_ids(user, Role.UNIT_ADMIN)
    for r in counted.filter(unit_id__in=admin_units, state__in=EDITABLE_STATES):
        missing = unassigned_count(r, r.parts)
        if missing > 0:
            detail = f"{missing} phần việc chưa có người làm"
            overdue = is_late(now, r.due)
            work.to_assign.append(ReportTask(r, "Phân công", detail, overdue))
    issuing = _unit_ids(user, Role.REVIEWER)
    for r in _reports().filter(round__issuer_id__in=issuing, state=ReportState.SUBMITTED):
        late = r.submitted_at is not None and is_late(r.submitted_at, r.due)
        detail = "Gửi muộn" if late else "Gửi đúng hạn"
        work.to_review.append(ReportTask(r, "Tiếp nhận hoặc trả lại", detail, False))
    return work


def deadlines_of(
    report: Report, roles: dict[str, list], parts: list[Assignment]
) -> dict[int, tuple[User, datetime, bool]]:
    """person → (person, their deadline, whether it is an internal one) for everyone with
    work on the report: an official's is the earliest internal deadline of the parts
    they have not finished; the others' (and a part without one) the round's."""
    due: dict[int, tuple[User, datetime, bool]] = {}
    for user in people_with_work(report, roles, parts):
        due[user.pk] = (user, report.due, False)
    for a in parts:
        mine = due.get(a.user_id)
        if a.done_at is None and a.due_at is not None and mine and a.due_at < mine[1]:
            due[a.user_id] = (a.user, a.due_at, True)
    return due


def people_with_work(report: Report, roles: dict[str, list], parts: list[Assignment]) -> list:
    """Who still has work on this unsubmitted report: the officials of the parts not yet
    done, the leaders (approve, submit), the unit admins while a part has nobody.

    `roles` maps leader/unit_admin to the unit's members, `parts` the report's
    assignments (read by the caller in a few queries for every report at once).
    """
    people = list(roles.get(Role.LEADER, []))
    if report.state in EDITABLE_STATES:
        people += [a.user for a in parts if a.done_at is None]
        if unassigned_count(report, len(parts)) > 0:
            people += roles.get(Role.UNIT_ADMIN, [])
    unique = {u.pk: u for u in people if u.is_active}
    return [unique[pk] for pk in sorted(unique)]
