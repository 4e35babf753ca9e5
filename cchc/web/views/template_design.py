"""Designing a template in the browser: a version read as the paper form, a new version
copied and edited part by part with a live check, previewed, published; the blank
forms downloaded for units that still work on paper.

Only those who may add a template (reviewers, system administrators) reach these
pages. The checks are the core's; the YAML stays what is stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cchc.core.report import ReportContent
from cchc.core.template_editing import (
    check_data,
    choices_text,
    flat_sections,
    form_from_fields,
    header_from_fields,
    rest_of,
    rules_from_fields,
    sections_from_fields,
)
from cchc.core.template_model import RULE_KINDS, Kind, Severity
from cchc.core.template_words import (
    KIND_WORDS,
    RULE_KIND_WORDS,
    SEVERITY_WORDS,
    indicator_formula_words,
    rule_words,
)
from cchc.core.templates import ReportTemplate, build_template
from cchc.documents import writer_for
from cchc.templates import TemplateFileError
from cchc.web.reporting.models import TemplateDraft, TemplateVersion
from cchc.web.reporting.permissions import Refused
from cchc.web.reporting.template_drafts import (
    copy_version,
    draft_data,
    draft_for,
    publish_draft,
    save_draft,
)
from cchc.web.reporting.template_store import require_add_templates, template_of
from cchc.web.views.common import refusals_as_403

ROW_SHOWN = ("code", "stt", "name", "note", "unit", "kind", "choices", "levels", "formula")
SECTION_SHOWN = ("code", "stt", "title", "guidance")
RULE_SHOWN = ("id", "kind", "form", "total", "parts", "check", "severity", "message")
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
                    "levels": ", ".join(ind.levels),
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
    }


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
    """The blank forms (no values) as the writers make them, to send to a unit on paper."""
    require_add_templates(request.user)
    if fmt not in ("docx", "xlsx"):
        raise Http404("Không có định dạng này.")
    version = get_object_or_404(TemplateVersion, template_id=template_id)
    return _blank(template_of(version), fmt)


def _blank(template: ReportTemplate, fmt: str) -> HttpResponse:
    writer = writer_for(f".{fmt}")
    content = ReportContent(template_id=template.id, values={}, unit="", period="")
    response = HttpResponse(writer.render(template, content), content_type=writer.media_type)
    response["Content-Disposition"] = f'attachment; filename="bieu-mau-trong-{template.id}.{fmt}"'
    return response


# ---------------------------------------------------------------- the editor


def _parts(data: dict) -> list[tuple[str, str]]:
    forms = data.get("forms") if isinstance(data.get("forms"), list) else []
    out = [("chung", "Thông tin chung"), ("de-cuong", "Đề cương")]
    out += [
        (f"bieu-{i}", str(f.get("label") or f.get("code") or f"Biểu {i + 1}"))
        for i, f in enumerate(forms)
        if isinstance(f, dict)
    ]
    return [*out, ("quy-tac", "Quy tắc kiểm tra")]


def _form_index(data: dict, part: str) -> int:
    forms = data.get("forms") if isinstance(data.get("forms"), list) else []
    try:
        i = int(part.removeprefix("bieu-"))
    except ValueError:
        raise Http404("Không có phần này.") from None
    if not 0 <= i < len(forms) or not isinstance(forms[i], dict):
        raise Http404("Không có biểu này.")
    return i


def _merged(data: dict, part: str, fields) -> dict:
    """The draft's data with one part replaced by what its page posted."""
    data = dict(data)
    if part == "chung":
        return header_from_fields(fields, data)
    if part == "de-cuong":
        data["sections"] = sections_from_fields(fields)
    elif part == "quy-tac":
        data["rules"] = rules_from_fields(fields)
    elif part.startswith("bieu-"):
        i = _form_index(data, part)
        forms = list(data["forms"])
        forms[i] = form_from_fields(fields, forms[i])
        data["forms"] = forms
    else:
        raise Http404("Không có phần này.")
    return data


_NEW_ROW = {"code": "", "name": "", "unit": ""}


def _apply(data: dict, part: str, action: str) -> tuple[dict, str]:
    """An «add» button: a blank row, section, form or rule, placed where it was asked."""
    verb, _, at = action.partition(":")
    where = int(at) if at.isdigit() else None
    if verb == "add-row" and part.startswith("bieu-"):
        i = _form_index(data, part)
        rows = list(data["forms"][i].get("indicators") or [])
        n = len(rows) if where is None else where + 1
        rows.insert(n, dict(_NEW_ROW))
        data["forms"][i] = {**data["forms"][i], "indicators": rows}
        return data, f"r-{n}"
    if verb == "add-section" and part == "de-cuong":
        data["sections"] = [*(data.get("sections") or []), {"code": "", "title": ""}]
        return data, f"s-{len(flat_sections(data['sections'])) - 1}"
    if verb == "add-rule" and part == "quy-tac":
        data["rules"] = [*(data.get("rules") or []), {"id": "", "kind": "parts_le_total"}]
        return data, f"u-{len(data['rules']) - 1}"
    if verb == "add-form":
        forms = list(data.get("forms") or [])
        code = f"BM{len(forms) + 1}"
        forms.append(
            {
                "code": code,
                "label": f"Biểu mẫu {len(forms) + 1}",
                "title": "",
                "indicators": [dict(_NEW_ROW)],
            }
        )
        data["forms"] = forms
        return data, ""
    return data, ""


def _part_context(draft: TemplateDraft, data: dict, part: str) -> dict:
    context = {
        "draft": draft,
        "part": part,
        "parts": _parts(data),
        "problems": check_data(data),
        "levels": " ".join(str(x) for x in data.get("levels") or []),
        "data": data,
        "kinds": [("", "Tự nhận theo đơn vị tính")] + [(k.value, KIND_WORDS[k]) for k in Kind],
    }
    if part == "de-cuong":
        context["sections"] = [
            {"n": n, "depth": d, "s": s, "rest": rest_of(s, SECTION_SHOWN)}
            for n, (d, s) in enumerate(flat_sections(data.get("sections")))
        ]
    elif part == "quy-tac":
        forms = [f.get("code", "") for f in data.get("forms") or [] if isinstance(f, dict)]
        context.update(
            rule_kinds=[(k, RULE_KIND_WORDS[k]) for k in RULE_KINDS],
            severities=[(s.value, SEVERITY_WORDS[s]) for s in Severity],
            form_codes=forms,
            rules=[
                {
                    "n": k,
                    "r": r,
                    "parts": ", ".join(str(p) for p in r.get("parts") or []),
                    "rest": rest_of(r, RULE_SHOWN),
                }
                for k, r in enumerate(data.get("rules") or [])
                if isinstance(r, dict)
            ],
        )
    elif part.startswith("bieu-"):
        i = _form_index(data, part)
        form = data["forms"][i]
        context.update(
            form=form,
            form_index=i,
            rows=[
                {
                    "n": j,
                    "r": r,
                    "choices": choices_text(r.get("choices")),
                    "levels": " ".join(str(x) for x in r.get("levels") or []),
                    "rest": rest_of(r, ROW_SHOWN),
                }
                for j, r in enumerate(form.get("indicators") or [])
                if isinstance(r, dict)
            ],
        )
    return context


@login_required
@refusals_as_403
def draft_edit(request, pk: int, part: str = "chung"):
    draft = draft_for(request.user, pk)
    data = draft_data(draft)
    if part not in dict(_parts(data)):
        raise Http404("Không có phần này.")
    if request.method == "POST":
        data = _merged(data, part, request.POST)
        action = request.POST.get("action", "save")
        data, anchor = _apply(data, part, action)
        if problems := save_draft(draft, data):
            for p in problems:
                messages.error(request, f"Chưa lưu: {p}")
        elif action == "save":
            messages.success(request, "Đã lưu bản nháp.")
        if action == "add-form":
            part = f"bieu-{len(data['forms']) - 1}"
        url = redirect("template-draft-part", pk=draft.pk, part=part).url
        return redirect(f"{url}#{anchor}" if anchor else url)
    return render(request, "cchc/template_draft.html", _part_context(draft, data, part))


@login_required
@refusals_as_403
@require_POST
def draft_check(request, pk: int, part: str):
    """The live check (htmx): what the page holds now, checked with the rest of the draft,
    nothing saved."""
    draft = draft_for(request.user, pk)
    data = _merged(draft_data(draft), part, request.POST)
    return render(
        request, "cchc/_template_check.html", {"problems": check_data(data), "draft": draft}
    )


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
    i = _form_index(draft_data(draft), part)
    form = template.forms[i]
    rows = [{"ind": ind, "depth": min(ind.code.count("."), 6)} for ind in form.indicators]
    context = {"draft": draft, "form": form, "rows": rows, "part": part, "template": template}
    return render(request, "cchc/template_entry_preview.html", context)


@login_required
@refusals_as_403
def draft_blank(request, pk: int, fmt: str):
    """The draft's forms as the Word appendix (.docx) or the workbook (.xlsx)."""
    if fmt not in ("docx", "xlsx"):
        raise Http404("Không có định dạng này.")
    return _blank(_built_draft(draft_for(request.user, pk)), fmt)


@login_required
@refusals_as_403
@require_POST
def draft_publish(request, pk: int):
    draft = draft_for(request.user, pk)
    try:
        version = publish_draft(draft, request.user)
    except Refused as exc:  # a problem left, an id already stored: back to the editor
        messages.error(request, str(exc))
        return redirect("template-draft", pk=draft.pk)
    except TemplateFileError as exc:
        messages.error(request, "Chưa công bố được: " + "; ".join(map(str, exc.problems[:5])))
        return redirect("template-draft", pk=draft.pk)
    messages.success(
        request,
        f"Đã công bố mẫu «{version.template_id}». Từ nay mẫu này chọn được khi mở đợt báo cáo "
        "và không bao giờ bị sửa; muốn thay đổi, hãy sao chép thành phiên bản mới.",
    )
    return redirect("template-paper", template_id=version.template_id)


@login_required
@refusals_as_403
@require_POST
def draft_delete(request, pk: int):
    draft = draft_for(request.user, pk)
    messages.success(request, f"Đã bỏ bản nháp «{draft.template_id}».")
    draft.delete()
    return redirect("template-list")


__all__ = [
    "blank_form",
    "draft_blank",
    "draft_check",
    "draft_delete",
    "draft_edit",
    "draft_entry_preview",
    "draft_paper",
    "draft_publish",
    "template_copy",
    "template_paper",
]
