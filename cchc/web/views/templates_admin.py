"""Template versions: list them; add one from a YAML file, or start a draft from a
template inferred from an uploaded blank form or report (reviewed in the editor,
`template_design`). A stored version is never changed."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from cchc.bundled_templates import TemplateFileError, check_template_size
from cchc.importers.errors import ImportError_
from cchc.importers.report_file import import_report
from cchc.web.reporting.models import TemplateDraft, TemplateVersion
from cchc.web.reporting.template_versions.drafts import draft_from_data
from cchc.web.reporting.template_versions.store import (
    add_template_version,
    can_add_templates,
    require_add_templates,
    template_of,
)
from cchc.web.views.common import refusals_as_403


def _save(request, text: str, name: str, source: str) -> list[str]:
    try:
        version = add_template_version(yaml_text=text, user=request.user, name=name, source=source)
    except TemplateFileError as exc:
        return [str(p) for p in exc.problems]
    messages.success(request, f"Đã thêm mẫu «{version.template_id}».")
    return []


def _save_upload(request, upload) -> list[str]:
    """A YAML file: refused by its declared size before it is read."""
    try:
        check_template_size(upload.size, upload.name)
        text = upload.read().decode("utf-8")
    except TemplateFileError as exc:
        return [str(p) for p in exc.problems]
    except UnicodeDecodeError:
        return [f"{upload.name}: không phải văn bản UTF-8."]
    return _save(request, text, upload.name, "upload")


def _inferred_data(upload) -> tuple[dict, list[str]]:
    suffix = Path(upload.name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"bao-cao{suffix}"
        path.write_bytes(upload.read())
        try:
            imported = import_report(path, "infer")
        except ImportError_ as exc:
            return {}, [str(exc).replace(str(path), upload.name)]
    data = dict(imported.template_data or {})
    data["title"] = f"Mẫu suy ra từ {upload.name}"
    data["source"] = upload.name
    return data, []


@login_required
@refusals_as_403
def template_list(request):
    problems: list[str] = []
    draft = ""
    if request.method == "POST":
        require_add_templates(request.user)  # before any upload is read
        upload = request.FILES.get("file")
        report_file = request.FILES.get("report_file")
        if request.POST.get("yaml_text"):
            draft = request.POST["yaml_text"]
            problems = _save(request, draft, "mau-suy-ra.yaml", "inferred")
        elif report_file is not None:
            data, problems = _inferred_data(report_file)
            if not problems:
                made = draft_from_data(data, user=request.user, based_on=None, source="inferred")
                messages.info(
                    request,
                    "Đã suy ra mẫu từ bảng của tệp. Hãy xem lại từng biểu, đặt mã và tên, "
                    "rồi công bố.",
                )
                return redirect("template-draft", pk=made.pk)
        elif upload is None:
            problems = ["Hãy chọn tệp mẫu (.yaml)."]
        else:
            problems = _save_upload(request, upload)
        if not problems:
            return redirect("template-list")
    versions = [(v, template_of(v)) for v in TemplateVersion.objects.all()]
    return render(
        request,
        "cchc/templates.html",
        {
            "versions": versions,
            "problems": problems,
            "draft": draft,
            "can_add": can_add_templates(request.user),
            "drafts": TemplateDraft.objects.filter(created_by=request.user).defer("yaml_text"),
        },
    )
