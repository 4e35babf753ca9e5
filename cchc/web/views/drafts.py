"""«Gợi ý nội dung» in the section editor: show a draft, then use it as the person
edited it — replacing the section's text or added after it — through the same
save as typing (versions, permissions, audit). Nothing is saved without the click.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from cchc.web.reporting.entry import saving
from cchc.web.reporting.entry.saving import InvalidInput
from cchc.web.reporting.entry.section_drafts import section_draft
from cchc.web.reporting.models import PartKind, SectionText
from cchc.web.reporting.workflow import permissions, services
from cchc.web.views.common import refusals_as_403, visible_report

_MODES = {"replace", "append"}


def _section(report, code: str):
    template = services.template_of(report.round.template)
    section = next((s for s in template.all_sections() if s.code == code), None)
    if section is None:
        raise Http404("Không có mục này.")
    return section


@login_required
@refusals_as_403
def section_draft_view(request, pk: int, code: str):
    report = visible_report(request, pk)
    section = _section(report, code)
    draft, upper = section_draft(report, code)
    stored = SectionText.objects.filter(report=report, code=code).first()
    context = {
        "report": report,
        "section": section,
        "draft": draft,
        "upper": upper,
        "has_text": bool(stored and stored.text.strip()),
        "version": stored.version if stored else 0,
        "can_edit": permissions.can_edit_part(request.user, report, PartKind.SECTION, code),
    }
    page = "cchc/_section_draft.html" if request.htmx else "cchc/section_draft.html"
    return render(request, page, context)


@require_POST
@login_required
@refusals_as_403
def use_section_draft(request, pk: int, code: str):
    report = visible_report(request, pk)
    _section(report, code)
    draft = request.POST.get("draft", "").strip()
    mode = request.POST.get("mode", "replace")
    if not draft or mode not in _MODES:
        messages.error(request, "Gợi ý trống: chưa có gì để đưa vào mục.")
        return redirect("section-edit", pk=pk, code=code)
    stored = SectionText.objects.filter(report=report, code=code).first()
    current = stored.text.rstrip() if stored else ""
    text = f"{current}\n\n{draft}" if mode == "append" and current else draft
    try:
        # The editor's current version when sent from it (htmx), else the draft's own.
        version = request.POST.get("version") or request.POST.get("draft_version", "")
        result = saving.save_section(
            user=request.user,
            report=report,
            code=code,
            text=text,
            base_version=int(version) if version.isdigit() else None,
        )
    except InvalidInput as exc:
        messages.error(request, f"{exc} Nội dung chưa được lưu.")
        return redirect("section-edit", pk=pk, code=code)
    if result.conflicts.get(("", code)):
        messages.error(request, "Người khác vừa lưu mục này; gợi ý chưa được đưa vào. Hãy xem lại.")
    else:
        messages.success(request, "Đã đưa gợi ý vào nội dung mục và lưu lại.")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("section-edit", args=[pk, code]))
    return redirect("section-edit", pk=pk, code=code)
