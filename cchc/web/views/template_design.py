"""Designing a template in the browser: a draft edited part by part (the general
information, the outline, each form, the rules) with a live check, then published
as a new version or discarded. Reading and previews are in `template_paper`.

Only those who may add a template (reviewers, system administrators) reach these
pages. The checks are the core's; the YAML stays what is stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc.bundled_templates import TemplateFileError
from cchc.core.template_editing import (
    check_data,
    choices_text,
    flat_sections,
    form_from_fields,
    header_from_fields,
    insert_section,
    rest_of,
    rules_from_fields,
    sections_from_fields,
)
from cchc.core.template_model import RULE_KINDS, Kind, Severity
from cchc.core.template_words import (
    KIND_WORDS,
    LEVEL_WORDS,
    RULE_KIND_WORDS,
    SEVERITY_WORDS,
    indicator_formula_words,
    rule_words,
)
from cchc.core.templates import build_template
from cchc.web.reporting.models import TemplateDraft
from cchc.web.reporting.template_versions.drafts import (
    draft_data,
    draft_for,
    publish_draft,
    save_draft,
)
from cchc.web.reporting.workflow.permissions import Refused
from cchc.web.views.common import refusals_as_403
from cchc.web.views.template_paper import form_index

ROW_SHOWN = ("code", "stt", "name", "note", "unit", "kind", "choices", "levels", "formula")
SECTION_SHOWN = ("code", "stt", "title", "guidance")
RULE_SHOWN = ("id", "kind", "form", "total", "parts", "check", "severity", "message")


# ---------------------------------------------------------------- the editor


def _parts(data: dict) -> list[tuple[str, str]]:
    raw_forms = data.get("forms")
    forms: list = raw_forms if isinstance(raw_forms, list) else []
    out = [("chung", "Thông tin chung"), ("de-cuong", "Đề cương")]
    out += [
        (f"bieu-{i}", str(f.get("label") or f.get("code") or f"Biểu {i + 1}"))
        for i, f in enumerate(forms)
        if isinstance(f, dict)
    ]
    return [*out, ("quy-tac", "Quy tắc kiểm tra")]


def _merged(data: dict, part: str, post) -> dict:
    """The draft's data with one part replaced by what its page posted (a row's ticked
    levels joined into one field)."""
    data = dict(data)
    fields = {k: " ".join(v) for k, v in post.lists()} if hasattr(post, "lists") else post
    if part == "chung":
        return header_from_fields(fields, data)
    if part == "de-cuong":
        data["sections"] = sections_from_fields(fields)
    elif part == "quy-tac":
        data["rules"] = rules_from_fields(fields)
    elif part.startswith("bieu-"):
        i = form_index(data, part)
        forms = list(data["forms"])
        forms[i] = form_from_fields(fields, forms[i], data.get("levels") or [])
        data["forms"] = forms
    else:
        raise Http404("Không có phần này.")
    return data


_NEW_ROW: dict = {}  # blank: the check then says what is still to fill in


def _apply(data: dict, part: str, action: str) -> tuple[dict, str]:
    """An «add» button: a blank row, section, form or rule, placed where it was asked."""
    verb, _, at = action.partition(":")
    where = int(at) if at.isdigit() else None
    if verb == "add-row" and part.startswith("bieu-"):
        i = form_index(data, part)
        rows = list(data["forms"][i].get("indicators") or [])
        n = len(rows) if where is None else where + 1
        rows.insert(n, dict(_NEW_ROW))
        data["forms"][i] = {**data["forms"][i], "indicators": rows}
        return data, f"r-{n}"
    if verb in ("add-section", "add-sub") and part == "de-cuong":
        data["sections"], n = insert_section(data.get("sections"), where, verb == "add-sub")
        return data, f"s-{n}"
    if verb == "add-rule" and part == "quy-tac":
        data["rules"] = [*(data.get("rules") or []), {"kind": "parts_le_total"}]
        return data, f"u-{len(data['rules']) - 1}"
    if verb == "add-form":
        forms = list(data.get("forms") or [])
        code = f"BM{len(forms) + 1}"
        forms.append(
            {
                "code": code,
                "label": f"Biểu mẫu {len(forms) + 1}",
                "indicators": [dict(_NEW_ROW)],
            }
        )
        data["forms"] = forms
        return data, ""
    return data, ""


def _part_context(draft: TemplateDraft, data: dict, part: str) -> dict:
    context: dict[str, Any] = {
        "draft": draft,
        "part": part,
        "parts": _parts(data),
        "problems": check_data(data),
        "levels": " ".join(str(x) for x in data.get("levels") or []),
        "data": data,
        "kinds": [("", "Loại: theo đơn vị tính")] + [(k.value, KIND_WORDS[k]) for k in Kind],
    }
    bad = {p.anchor for p in context["problems"] if p.part == part}
    if part == "de-cuong":
        context["sections"] = [
            {"n": n, "depth": d, "s": s, "rest": rest_of(s, SECTION_SHOWN), "bad": f"s-{n}" in bad}
            for n, (d, s) in enumerate(flat_sections(data.get("sections")))
        ]
    elif part == "quy-tac":
        words = _rule_words(data) if not context["problems"] else []
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
                    "bad": f"u-{k}" in bad,
                    "words": words[k] if k < len(words) else "",
                }
                for k, r in enumerate(data.get("rules") or [])
                if isinstance(r, dict)
            ],
        )
    elif part.startswith("bieu-"):
        i = form_index(data, part)
        form = data["forms"][i]
        formulas = _formula_words(data, i) if not context["problems"] else {}
        all_levels = [str(x) for x in data.get("levels") or []]
        context["level_words"] = [(lv, LEVEL_WORDS.get(lv, lv)) for lv in all_levels]
        context.update(
            form=form,
            form_index=i,
            rows=[
                {
                    "n": j,
                    "r": r,
                    "choices": choices_text(r.get("choices")),
                    "level_set": {str(x) for x in r.get("levels") or all_levels},
                    "rest": rest_of(r, ROW_SHOWN),
                    "bad": f"r-{j}" in bad,
                    "words": formulas.get(str(r.get("code", ""))),
                }
                for j, r in enumerate(form.get("indicators") or [])
                if isinstance(r, dict)
            ],
        )
    return context


def _formula_words(data: dict, i: int) -> dict[str, str]:
    """The form's formulas in words, code by code, once the draft builds."""
    template = build_template(data)
    form = template.forms[i]
    return {ind.code: indicator_formula_words(template, form, ind) for ind in form.indicators}


def _rule_words(data: dict) -> list[str]:
    template = build_template(data)
    return [rule_words(template, r) for r in template.rules]


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
