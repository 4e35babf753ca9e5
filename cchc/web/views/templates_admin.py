"""Template versions: list them, and add one by uploading its YAML (checked, never edited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from cchc.templates import TemplateFileError
from cchc.web.reporting.models import TemplateVersion
from cchc.web.reporting.services import add_template_version, template_of
from cchc.web.views.common import refusals_as_403


@login_required
@refusals_as_403
def template_list(request):
    problems: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = ["Hãy chọn tệp mẫu (.yaml)."]
        else:
            try:
                text = upload.read().decode("utf-8")
                version = add_template_version(yaml_text=text, user=request.user, name=upload.name)
            except UnicodeDecodeError:
                problems = [f"{upload.name}: không phải văn bản UTF-8."]
            except TemplateFileError as exc:
                problems = [str(p) for p in exc.problems]
            else:
                messages.success(request, f"Đã thêm mẫu «{version.template_id}».")
                return redirect("template-list")
    versions = [(v, template_of(v)) for v in TemplateVersion.objects.all()]
    return render(request, "cchc/templates.html", {"versions": versions, "problems": problems})
