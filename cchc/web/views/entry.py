"""Data entry: a form laid out like the paper one, saved cell by cell; section texts.

Every keystroke pause saves one cell; the server reruns the core's validation
on the whole report and sends back the computed rates and the findings of
every row (one implementation, no JavaScript arithmetic).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc.core.levels import fills_row, level_names
from cchc.core.reading import ReadReport, read_report
from cchc.core.templates import Form, Indicator
from cchc.core.validation import Finding
from cchc.web.reporting.entry import saving
from cchc.web.reporting.entry.saving import InvalidInput, check_narrative_of
from cchc.web.reporting.models import Assignment, PartKind, ReportValue, SectionText
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import permissions, services
from cchc.web.reporting.workflow.assignments import holder_label, titles_in
from cchc.web.reporting.workflow.readiness import Incomplete
from cchc.web.views.common import refusals_as_403, visible_report
from cchc.web.views.go_ahead import ask_reason


def _int_or_none(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return None


@dataclass(frozen=True)
class FormRow:
    """One indicator row of the form page: what is stored, the core's rate and findings."""

    n: int
    ind: Indicator
    raw: str
    note: str
    version: int
    computed: Decimal | None
    findings: list[Finding]
    other_level: str = ""  # the level names of a row another level fills; "" when ours

    @property
    def depth(self) -> int:
        return self.ind.code.count(".")


def _form_rows(
    form: Form, stored: dict[str, tuple[str, str, int]], result: ReadReport, own=lambda ind: True
) -> list[FormRow]:
    """The rows to show; `own(ind)` says whether the unit fills the row (its level's)."""
    findings: dict[str, list[Finding]] = {}
    for f in result.findings:
        if f.form == form.code and f.codes:
            findings.setdefault(f.codes[0], []).append(f)
    rows = []
    for n, ind in enumerate(form.indicators, start=1):
        raw, note, version = stored.get(ind.code, ("", "", 0))
        computed = result.computed.get((form.code, ind.code))
        other = "" if own(ind) else level_names(ind.levels)
        found = findings.get(ind.code, [])
        rows.append(FormRow(n, ind, raw, note, version, computed, found, other))
    return rows


def _rows(report, form_code) -> dict:
    """The form's rows with the core's rates and findings, from one read of the report."""
    template = store.template_of(report.round.template)
    form = template.form(form_code)
    if form is None:
        raise Http404("Không có biểu này.")
    values, stored = saving.read_values(report)
    result = read_report(template, values)
    level = report.unit.level
    own = lambda ind: fills_row(template, ind, level)  # noqa: E731
    rows = _form_rows(form, stored.get(form.code, {}), result, own)
    other = sum(bool(r.other_level) and r.ind.kind != "heading" for r in rows)
    return {"report": report, "form": form, "rows": rows, "other_rows": other}


def _context(request, report, form_code) -> dict:
    """What the form page shows: the rows, who fills the form, whether this user may."""
    context = _rows(report, form_code)
    form = context["form"]
    assignment = (
        Assignment.objects.filter(report=report, kind=PartKind.FORM, code=form.code)
        .select_related("user")
        .first()
    )
    return {
        **context,
        "can_edit": permissions.can_edit_part(request.user, report, PartKind.FORM, form.code),
        "assignment": assignment,
        "who": holder_label(assignment.user, titles_in(report.unit_id)) if assignment else "",
    }


@login_required
@refusals_as_403
def form_entry(request, pk: int, form: str):
    report = visible_report(request, pk)
    if request.method == "POST":  # "Lưu tất cả": the same save, for browsers without scripts
        changes = {}
        for key, raw in request.POST.items():
            if key.startswith("v:"):
                code = key[2:]
                changes[code] = (raw, _int_or_none(request.POST.get(f"ver:{code}")))
        stored = {v.code: v.raw for v in ReportValue.objects.filter(report=report, form=form)}
        changes = {c: ch for c, ch in changes.items() if ch[0].strip() != stored.get(c, "")}
        try:
            result = saving.save_values(
                user=request.user, report=report, form=form, changes=changes
            )
        except InvalidInput as exc:
            for problem in exc.problems.values():
                messages.error(request, f"{problem} Chưa lưu giá trị nào của biểu.")
            return redirect("form-entry", pk=pk, form=form)
        if result.conflicts:
            codes = ", ".join(code for _, code in result.conflicts)
            messages.error(
                request,
                f"Các chỉ tiêu {codes} vừa được người khác sửa; "
                "giá trị của bạn chưa được lưu, hãy xem lại.",
            )
        else:
            messages.success(request, f"Đã lưu {len(result.versions)} giá trị.")
        return redirect("form-entry", pk=pk, form=form)
    return render(request, "cchc/form_entry.html", _context(request, report, form))


@require_POST
@login_required
@refusals_as_403
def save_cell(request, pk: int, form: str):
    report = visible_report(request, pk)
    code = request.POST.get("code", "")
    field = request.POST.get("field", "raw")
    prefix = "n:" if field == "note" else "v:"
    text = request.POST.get("text", request.POST.get(f"{prefix}{code}", ""))
    version = _int_or_none(request.POST.get("version", request.POST.get(f"ver:{code}")))
    change = {code: (text, version)}
    refused = ""
    try:
        result = saving.save_values(
            user=request.user,
            report=report,
            form=form,
            changes={} if field == "note" else change,
            notes=change if field == "note" else None,
        )
    except InvalidInput as exc:  # answered in the cell, like a conflict: nothing was saved
        result, refused = saving.SaveResult(), str(exc)
    context = _rows(report, form)
    row = next(r for r in context["rows"] if r.ind.code == code)
    conflict = result.conflicts.get((form, code))
    return render(
        request,
        "cchc/_cell_saved.html",
        {
            **context,
            "row": row,
            "conflict": conflict,
            "refused": refused,
            "mine": text,
            "field": field,
        },
    )


def _narrative(report, code: str, text: str) -> dict:
    """The section's narrative findings and its text cut so each quoted sentence is marked."""
    findings = [f for f in check_narrative_of(report).findings if f.values.get("section") == code]
    segments, at = [], 0
    for n, f in enumerate(sorted(findings, key=lambda f: f.values["start"]), start=1):
        start, end = f.values["start"], f.values["end"]
        if start < at or end > len(text):
            continue  # two findings on one sentence: it is marked once
        segments += [{"text": text[at:start]}, {"text": text[start:end], "n": n, "finding": f}]
        at = end
    segments.append({"text": text[at:]})
    return {"narrative_findings": findings, "segments": segments}


@login_required
@refusals_as_403
def section_edit(request, pk: int, code: str):
    report = visible_report(request, pk)
    template = store.template_of(report.round.template)
    section = next((s for s in template.all_sections() if s.code == code), None)
    if section is None:
        raise Http404("Không có mục này.")
    stored = SectionText.objects.filter(report=report, code=code).first()
    text = stored.text if stored else ""
    return render(
        request,
        "cchc/section_edit.html",
        {
            **_narrative(report, code, text),
            "report": report,
            "section": section,
            "text": text,
            "version": stored.version if stored else 0,
            "can_edit": permissions.can_edit_part(request.user, report, PartKind.SECTION, code),
            "assignment": Assignment.objects.filter(
                report=report, kind=PartKind.SECTION, code=code
            ).first(),
        },
    )


@require_POST
@login_required
@refusals_as_403
def save_section_view(request, pk: int, code: str):
    report = visible_report(request, pk)
    text = request.POST.get("text", "")
    try:
        result = saving.save_section(
            user=request.user,
            report=report,
            code=code,
            text=text,
            base_version=_int_or_none(request.POST.get("version")),
        )
    except InvalidInput as exc:
        if request.htmx:
            return render(request, "cchc/_section_saved.html", {"refused": str(exc)})
        messages.error(request, f"{exc} Nội dung chưa được lưu.")
        return redirect("section-edit", pk=pk, code=code)
    conflict = result.conflicts.get(("", code))
    version = result.versions.get(("", code))
    if not request.htmx:
        if conflict:
            messages.error(request, "Người khác vừa lưu mục này; nội dung của bạn chưa được lưu.")
        else:
            messages.success(request, "Đã lưu nội dung mục.")
        return redirect("section-edit", pk=pk, code=code)
    return render(
        request,
        "cchc/_section_saved.html",
        {
            **({} if conflict else _narrative(report, code, text)),
            "conflict": conflict,
            "version": version,
            "report": report,
            "code": code,
            "mine": text,
        },
    )


@require_POST
@login_required
@refusals_as_403
def mark_done_view(request, pk: int):
    report = visible_report(request, pk)
    kind, code = request.POST.get("kind", ""), request.POST.get("code", "")
    if kind not in (PartKind.SECTION, PartKind.FORM):
        raise PermissionDenied("Phần việc không hợp lệ.")
    done = request.POST.get("done", "1") == "1"
    reason = request.POST.get("reason", "")
    try:
        services.mark_done(
            user=request.user, report=report, kind=kind, code=code, done=done, reason=reason
        )
    except Incomplete as exc:
        fields = {"kind": kind, "code": code, "done": "1"}
        action = reverse("mark-done", args=[pk])
        return ask_reason(request, report, exc, action=action, fields=fields, title="Đánh dấu xong")
    messages.success(request, "Đã đánh dấu hoàn thành." if done else "Đã mở lại phần việc.")
    return redirect("report-detail", pk=pk)
