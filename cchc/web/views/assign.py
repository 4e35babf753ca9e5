"""«Phân công»: give a report's parts out by duty in one action, several at once, or
one by one, each with the office's internal deadline; the people shown with their titles.

The page is three plain forms (no script needed): by duty, the parts ticked, and the
per-part choices. Each is one operation of `reporting/workflow/assignments.py`: all of it is
saved, or nothing, with a Vietnamese message saying what was wrong.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from cchc.core.work_split import DUE_FORMAT, parse_due, parts_of, split_by_duty
from cchc.web.reporting.models import Assignment, PartKind
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.wording import part_name
from cchc.web.reporting.workflow import assignments
from cchc.web.reporting.workflow.assignments import KEEP, Change
from cchc.web.reporting.workflow.permissions import Refused, require_assigner
from cchc.web.views.common import refusals_as_403, visible_report


def _due(text: str):
    try:
        due = parse_due(text)
    except ValueError as exc:
        raise Refused(str(exc)) from None
    return timezone.make_aware(due) if due else None


def _person(value: str, what: str):
    if not (value.isascii() and value.isdigit()):
        raise Refused(f"Không có người dùng mã «{value[:40]}» ({what}).")
    person = get_user_model().objects.filter(pk=int(value)).first()
    if person is None:
        raise Refused(f"Không có người dùng mã «{value[:40]}» ({what}).")
    return person


def _by_duty(request, report) -> str:
    done = assignments.assign_by_duty(
        user=request.user,
        report=report,
        due_at=_due(request.POST.get("due", "")),
        keep_others=request.POST.get("keep_others") == "1",
    )
    template = template_of(report.round.template)
    undecided = {*done.split.no_duty, *done.split.nobody, *done.split.shared}
    left = [p for p in parts_of(template) if p in undecided]  # in the template's order
    text = f"Đã phân công theo nhiệm vụ ({done.changed} thay đổi)."
    if left:
        names = ", ".join(part_name(template, p.kind, p.code) for p in left[:6])
        more = ", …" if len(left) > 6 else ""
        text += f" {len(left)} phần việc cần giao tay (không rõ ai giữ nhiệm vụ): {names}{more}."
    return text


def _picked(request, report) -> str:
    picks = [p for p in request.POST.getlist("pick") if ":" in p]
    if not picks:
        raise Refused("Hãy đánh dấu ít nhất một phần việc trong bảng trước khi áp dụng.")
    who = request.POST.get("assignee", "")
    assignee = KEEP if who == "" else None if who == "-" else _person(who, "người nhận")
    due = None if request.POST.get("clear_due") == "1" else _due(request.POST.get("due", ""))
    if due is None and request.POST.get("clear_due") != "1":
        due = KEEP
    if assignee is KEEP and due is KEEP:
        raise Refused("Hãy chọn người nhận hoặc ghi hạn nội bộ cho các phần đã chọn.")
    parts = [p.split(":", 1) for p in picks]
    changes = [Change(kind, code, assignee=assignee, due_at=due) for kind, code in parts]
    changed = assignments.assign_parts(user=request.user, report=report, changes=changes)
    return f"Đã lưu phân công cho {len(picks)} phần việc đã chọn ({changed} thay đổi)."


def _rows(request, report) -> str:
    """The per-part choices: a part whose person changed (an empty choice leaves it)."""
    owners = {(a.kind, a.code): a.user_id for a in Assignment.objects.filter(report=report)}
    changes = []
    for key, value in request.POST.items():
        if not key.startswith(("section:", "form:")) or not value:
            continue
        kind, code = key.split(":", 1)
        person = _person(value, f"phần việc {code}")
        if owners.get((kind, code)) != person.pk:
            changes.append(Change(kind, code, person))
    changed = assignments.assign_parts(user=request.user, report=report, changes=changes)
    return f"Đã lưu phân công ({changed} thay đổi)."


ACTIONS = {"by-duty": _by_duty, "picked": _picked}


@login_required
@refusals_as_403
def report_assign(request, pk: int):
    report = visible_report(request, pk)
    require_assigner(request.user, report, changing=False)
    status = 200
    if request.method == "POST":
        try:
            done = ACTIONS.get(request.POST.get("action", ""), _rows)(request, report)
        except Refused as exc:  # nothing of this form was saved
            messages.error(request, f"Chưa lưu phân công: {exc}")
            status = 400
        else:
            messages.success(request, done)
            return redirect("report-assign", pk=report.pk)
    return render(request, "cchc/report_assign.html", _context(report), status=status)


def _context(report) -> dict:
    template = template_of(report.round.template)
    titles = assignments.titles_in(report.unit_id)
    members = (
        get_user_model()
        .objects.filter(memberships__unit=report.unit, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    people = [{"pk": m.pk, "label": assignments.holder_label(m, titles)} for m in members]
    owners = {
        (a.kind, a.code): a for a in Assignment.objects.filter(report=report).select_related("user")
    }
    duties = {r.id: r.title for r in template.roles}
    sections = {s.code: s for s in template.all_sections()}
    rows, duty_above = [], None
    for part in parts_of(template):
        a = owners.get(part.key)
        if part.kind == PartKind.SECTION:
            title, depth = sections[part.code].title, part.code.count(".")
        else:
            form = template.form(part.code)
            title, depth = (form.title if form else part.code), 0
        rows.append(
            {
                "kind": part.kind,
                "code": part.code,
                "name": part_name(template, part.kind, part.code),
                "title": title,
                "depth": depth,
                # said once for a run of parts of the same duty (an item follows its part)
                "duty": duties.get(part.role or "", "") if part.role != duty_above else "",
                "same_duty": part.role is not None and part.role == duty_above,
                "assignment": a,
                "who": assignments.holder_label(a.user, titles) if a else "",
            }
        )
        duty_above = part.role
    holders = assignments.duty_holders(report)
    split = split_by_duty(parts_of(template), holders)
    counts: dict[str, int] = {}
    for p in parts_of(template):
        counts[p.role or ""] = counts.get(p.role or "", 0) + 1
    duty_rows = [
        {
            "title": r.title,
            "parts": counts.get(r.id, 0),
            "holders": [assignments.holder_label(u, titles) for u in holders.get(r.id, [])],
        }
        for r in template.roles
    ]
    return {
        "report": report,
        "rows": rows,
        "people": people,
        "duty_rows": duty_rows,
        "by_duty": len(split.given),
        "due_example": timezone.localtime(report.due).strftime(DUE_FORMAT),
    }
