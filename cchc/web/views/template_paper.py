"""Templates read before they are changed: a version (or a draft) as the paper form,
copied into a draft; the blank forms as Word and Excel; a draft's form previewed as
the entry form. Only those who may add a template reach these pages."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cchc.core.report_content import ReportContent
from cchc.core.template_words import (
    LEVEL_WORDS,
    SEVERITY_WORDS,
    indicator_formula_words,
    rule_words,
)
from cchc.core.templates import ReportTemplate, build_template
from cchc.documents import writer_for
from cchc.documents.page_images import page_pngs
from cchc.documents.pdf import PdfError, docx_to_pdf
from cchc.web.reporting.models import TemplateDraft, TemplateVersion
from cchc.web.reporting.template_versions.drafts import copy_version, draft_data, draft_for
from cchc.web.reporting.template_versions.store import require_add_templates, template_of
from cchc.web.reporting.workflow.permissions import Refused
from cchc.web.views.common import refusals_as_403

PERIOD_WORDS = {"quarter": "Quý", "half_year": "6 tháng", "nine_months": "9 tháng", "year": "Năm"}


# ---------------------------------------------------------------- the paper form


def _paper(template: ReportTemplate) -> dict:
    """What the paper view shows: the outline, each form with its rows and their formulas
    in words, the rules as sentences."""
    forms = [
        {
            "form": f,
            "rows": [
                {
                    "ind": ind,
                    "depth": min(ind.code.count("."), 6),
                    "formula": indicator_formula_words(template, f, ind),
                    "levels": _levels(ind.levels),
                }
                for ind in f.indicators
            ],
        }
        for f in template.forms
    ]
    sections = [(min(d, 6), s) for d, s in _walk(template.sections)]
    rules = [
        {"rule": r, "words": rule_words(template, r), "severity": SEVERITY_WORDS[r.severity]}
        for r in template.rules
    ]
    periods = ", ".join(PERIOD_WORDS.get(p, p) for p in template.period_types)
    return {
        "template": template,
        "forms": forms,
        "sections": sections,
        "rules": rules,
        "periods": periods,
        "levels": _levels(template.levels),
    }


def _levels(levels) -> str:
    return ", ".join(LEVEL_WORDS.get(lv, lv) for lv in levels)


def _walk(sections, depth: int = 0):
    for s in sections:
        yield depth, s
        yield from _walk(s.items, depth + 1)


@login_required
@refusals_as_403
def template_paper(request, template_id: str):
    require_add_templates(request.user)
    version = get_object_or_404(TemplateVersion, template_id=template_id)
    context = _paper(template_of(version))
    context.update(version=version, used=version.rounds.count())
    return render(request, "cchc/template_paper.html", context)


@login_required
@refusals_as_403
@require_POST
def template_copy(request, template_id: str):
    require_add_templates(request.user)
    version = get_object_or_404(TemplateVersion, template_id=template_id)
    draft = copy_version(version, request.user)
    messages.success(
        request,
        f"Đã tạo bản nháp «{draft.template_id}» từ mẫu «{version.template_id}». "
        "Mẫu cũ giữ nguyên; sửa bản nháp rồi công bố thành phiên bản mới.",
    )
    return redirect("template-draft", pk=draft.pk)


@login_required
@refusals_as_403
def blank_form(request, template_id: str, fmt: str):
    """The blank forms (no values) as the writers make them, to send to a unit on paper;
    or the stored YAML itself, for those who keep templates as files."""
    require_add_templates(request.user)
    if fmt not in ("docx", "xlsx", "yaml"):
        raise Http404("Không có định dạng này.")
    version = get_object_or_404(TemplateVersion, template_id=template_id)
    if fmt == "yaml":
        return _yaml(version.template_id, version.yaml_text)
    return _blank(template_of(version), fmt)


def _yaml(template_id: str, text: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{template_id}.yaml"'
    return response


def _blank(template: ReportTemplate, fmt: str) -> HttpResponse:
    writer = writer_for(f".{fmt}")
    content = ReportContent(template_id=template.id, values={}, unit="", period="")
    response = HttpResponse(writer.render(template, content), content_type=writer.media_type)
    response["Content-Disposition"] = f'attachment; filename="bieu-mau-trong-{template.id}.{fmt}"'
    return response


def form_index(data: dict, part: str) -> int:
    raw_forms = data.get("forms")
    forms: list = raw_forms if isinstance(raw_forms, list) else []
    try:
        i = int(part.removeprefix("bieu-"))
    except ValueError:
        raise Http404("Không có phần này.") from None
    if not 0 <= i < len(forms) or not isinstance(forms[i], dict):
        raise Http404("Không có biểu này.")
    return i


def _built_draft(draft: TemplateDraft) -> ReportTemplate:
    try:
        return build_template(draft_data(draft))
    except ValueError:
        raise Refused(
            "Bản nháp còn lỗi nên chưa xem trước được: hãy sửa theo danh sách «Kiểm tra»."
        ) from None


@login_required
@refusals_as_403
def draft_paper(request, pk: int):
    draft = draft_for(request.user, pk)
    context = _paper(_built_draft(draft))
    context.update(draft=draft)
    return render(request, "cchc/template_paper.html", context)


@login_required
@refusals_as_403
def draft_entry_preview(request, pk: int, part: str):
    """One form as a unit will see it to fill in: the same rows, the inputs inert."""
    draft = draft_for(request.user, pk)
    template = _built_draft(draft)
    i = form_index(draft_data(draft), part)
    form = template.forms[i]
    rows = [{"ind": ind, "depth": min(ind.code.count("."), 6)} for ind in form.indicators]
    context = {"draft": draft, "form": form, "rows": rows, "part": part, "template": template}
    return render(request, "cchc/template_entry_preview.html", context)


@login_required
@refusals_as_403
def draft_word_preview(request, pk: int):
    """The draft's blank forms as the Word file prints them, page by page: the .docx the
    writer makes, converted by LibreOffice. Slow (seconds), so only on request."""
    draft = draft_for(request.user, pk)
    template = _built_draft(draft)
    docx = writer_for(".docx").render(template, ReportContent(template_id=template.id, values={}))
    try:
        pages = [base64.b64encode(png).decode("ascii") for png in page_pngs(docx_to_pdf(docx))]
    except PdfError as exc:
        pages, problem = [], str(exc)
    else:
        problem = ""
    context = {"draft": draft, "template": template, "pages": pages, "problem": problem}
    return render(request, "cchc/template_word_preview.html", context)


@login_required
@refusals_as_403
def draft_blank(request, pk: int, fmt: str):
    """The draft's forms as the Word appendix (.docx) or the workbook (.xlsx); its YAML."""
    if fmt not in ("docx", "xlsx", "yaml"):
        raise Http404("Không có định dạng này.")
    draft = draft_for(request.user, pk)
    if fmt == "yaml":
        return _yaml(draft.template_id, draft.yaml_text)
    return _blank(_built_draft(draft), fmt)
