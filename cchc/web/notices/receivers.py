"""Who is told what when the workflow moves: the workflow's signals turned into notices.

- a part given out → the person it was given to;
- the last assigned part marked «xong» → the unit's leaders (the report waits for approval);
- submitted → the reviewers of the unit that issued the round (it waits for review);
- returned (with the reviewer's comment) or accepted → the leaders and the officials of
  the parts;
- a round changed (edited, extended, closed, reopened, a unit added or taken out) → the
  leaders, unit admins and officials of each report it concerns.

Nobody is told of what they did themselves. The notices are written in the operation's
transaction; their mails are queued once it has committed (a failed operation mails nothing).
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from cchc.web.jobs.tasks import send_notice_mails
from cchc.web.notices.models import Notice, NoticeKind
from cchc.web.organisation.models import Membership, Role
from cchc.web.reporting.models import Assignment, PartKind, Report, ReportState
from cchc.web.reporting.signals import part_marked, parts_assigned, report_moved, round_changed
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.wording import (
    local_time,
    part_label,
    part_name,
    person_name,
    report_name,
)


def notify(people, *, kind: str, report: Report, text: str, by=None) -> list[Notice]:
    """One notice per person (never the one who acted), mailed after the commit."""
    seen: set[int] = set()
    made = []
    for user in people:
        if user.pk in seen or (by is not None and user.pk == by.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        made.append(
            Notice.objects.create(
                user=user, kind=kind, report=report, round=report.round, text=text
            )
        )
    if made:
        ids = [n.pk for n in made]
        transaction.on_commit(lambda: send_notice_mails.enqueue(ids))
    return made


def members(report: Report, *roles: str) -> list:
    return [
        m.user
        for m in Membership.objects.filter(unit_id=report.unit_id, role__in=roles)
        .select_related("user")
        .order_by("user_id")
    ]


def part_owners(report: Report) -> list:
    return [a.user for a in Assignment.objects.filter(report=report).select_related("user")]


def _deadline(report: Report) -> str:
    return f"hạn nộp {local_time(report.due)}"


def _internal_deadline(report: Report, parts) -> str:
    """The parts' internal deadline (the earliest, when they differ), else the round's."""
    dues = [a.due_at for a in parts if a.due_at is not None]
    if not dues:
        return _deadline(report)
    return f"hạn nội bộ {local_time(min(dues))} (đơn vị nộp {local_time(report.due)})"


def parts_text(template, assignments) -> str:
    """A few parts by name and title; many (a whole round's defaults) by their codes."""
    if len(assignments) <= 3:
        return "; ".join(part_label(template, a.kind, a.code) for a in assignments)
    sections = [a.code for a in assignments if a.kind == PartKind.SECTION]
    forms = [part_name(template, a.kind, a.code) for a in assignments if a.kind == PartKind.FORM]
    listed = ([f"các mục {', '.join(sections)}"] if sections else []) + forms
    return f"{len(assignments)} phần việc ({'; '.join(listed)})"


def on_parts_assigned(sender, *, report: Report, assignments, by, **kwargs) -> None:
    template = template_of(report.round.template)
    given: dict[int, tuple[object, list]] = {}
    for a in assignments:
        given.setdefault(a.user.pk, (a.user, []))[1].append(a)
    for user, parts in given.values():
        text = (
            f"{person_name(by)} phân công bạn {parts_text(template, parts)} của "
            f"{report_name(report)}; {_internal_deadline(report, parts)}."
        )
        notify([user], kind=NoticeKind.ASSIGNED, report=report, text=text, by=by)


def on_part_marked(sender, *, report: Report, assignment, done: bool, by, **kwargs) -> None:
    if not done:
        return
    parts = Assignment.objects.filter(report=report)
    if parts.filter(done_at__isnull=True).exists():
        return
    waiting = {
        n.user_id
        for n in Notice.objects.filter(report=report, kind=NoticeKind.TO_APPROVE, read_at=None)
    }
    leaders = [u for u in members(report, Role.LEADER) if u.pk not in waiting]
    text = (
        f"Mọi phần việc ({parts.count()}) của {report_name(report)} đã xong: báo cáo chờ "
        f"bạn xem và duyệt; {_deadline(report)}."
    )
    notify(leaders, kind=NoticeKind.TO_APPROVE, report=report, text=text, by=by)


def on_report_moved(sender, *, report: Report, before: str, after: str, by, **kwargs) -> None:
    name = report_name(report)
    if after == ReportState.SUBMITTED:
        reviewers = [
            m.user
            for m in Membership.objects.filter(unit_id=report.round.issuer_id, role=Role.REVIEWER)
            .select_related("user")
            .order_by("user_id")
        ]
        text = f"{person_name(by)} đã gửi {name}: báo cáo chờ bạn tiếp nhận hoặc trả lại."
        notify(reviewers, kind=NoticeKind.TO_REVIEW, report=report, text=text, by=by)
    elif after in (ReportState.RETURNED, ReportState.ACCEPTED):
        people = members(report, Role.LEADER) + part_owners(report)
        if after == ReportState.RETURNED:
            kind = NoticeKind.RETURNED
            text = (
                f"{person_name(by)} ({report.round.issuer.name}) trả lại {name}, ý kiến: "
                f"«{report.return_comment}». Hãy sửa các phần việc của mình, đánh dấu xong "
                f"để lãnh đạo duyệt và gửi lại; {_deadline(report)}."
            )
        else:
            kind = NoticeKind.ACCEPTED
            text = f"{person_name(by)} ({report.round.issuer.name}) đã tiếp nhận {name}."
        notify(people, kind=kind, report=report, text=text, by=by)


def on_round_changed(
    sender, *, round, reports, change: str, by, removed: bool = False, **kwargs
) -> None:
    """Everyone with work on a report the change concerns: its leaders, admins, officials.
    A report about to be deleted cannot carry the notice: it then names the round only."""
    for report in reports:
        people = members(report, Role.LEADER, Role.UNIT_ADMIN) + part_owners(report)
        text = f"{person_name(by)} ({round.issuer.name}) {change} — {report_name(report)}."
        if not removed:
            notify(people, kind=NoticeKind.ROUND_CHANGED, report=report, text=text, by=by)
            continue
        made = [
            Notice.objects.create(user=u, kind=NoticeKind.ROUND_CHANGED, round=round, text=text)
            for u in {p.pk: p for p in people}.values()
            if u.is_active and u.pk != by.pk
        ]
        ids = [n.pk for n in made]
        transaction.on_commit(partial(send_notice_mails.enqueue, ids))


def connect() -> None:
    parts_assigned.connect(on_parts_assigned, dispatch_uid="cchc-notices-assigned")
    part_marked.connect(on_part_marked, dispatch_uid="cchc-notices-marked")
    report_moved.connect(on_report_moved, dispatch_uid="cchc-notices-moved")
    round_changed.connect(on_round_changed, dispatch_uid="cchc-notices-round-changed")
