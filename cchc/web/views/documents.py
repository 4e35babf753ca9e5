"""A report as Word, Excel or PDF; and an old or offline-filled file brought into a report.

Uploads are read by the same importers as the CLI, mapped onto the report's own
template, and shown on a review screen, figures and section texts alike (see
reporting/entry/narrative_import.py); nothing is saved until the person confirms, and
each value and text is then saved through the same service (and checks) as
typing it in.
"""

from __future__ import annotations

import secrets
import tempfile
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from cchc.core.limits import value_problem
from cchc.core.numbers import format_number
from cchc.core.reading import read_report
from cchc.documents import writer_for
from cchc.importers.errors import ImportError_, NoTablesError
from cchc.importers.report_file import import_report
from cchc.web.jobs.runner import start
from cchc.web.reporting.entry import narrative_import, saving
from cchc.web.reporting.entry.saving import InvalidInput
from cchc.web.reporting.models import PartKind, ReportValue
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import permissions
from cchc.web.views.common import attachment, refusals_as_403, visible_report
from cchc.web.views.jobs import file_or_progress

UPLOAD_SUFFIXES = (".xlsx", ".docx", ".txt")


@login_required
def report_export(request, pk: int, fmt: str):
    report = visible_report(request, pk)

    if fmt == "pdf":  # LibreOffice takes seconds: on the job queue, with a page to wait on
        title = f"Tạo bản PDF: báo cáo {report.unit.name}, {report.round.title}"
        job = start("report-pdf", user=request.user, title=title, report=report.pk)
        return file_or_progress(job)
    try:
        writer = writer_for(fmt)
        data = writer.render(
            store.template_of(report.round.template), saving.report_content(report)
        )
    except (ValueError, RuntimeError) as exc:  # unknown format, LibreOffice missing or failing
        messages.error(request, str(exc))
        return redirect("report-detail", pk=pk)
    name = slugify(f"bao-cao-{report.unit.name}-{report.round.period_key}", allow_unicode=False)
    return attachment(data, writer, name)


@login_required
@refusals_as_403
def report_upload(request, pk: int):
    report = visible_report(request, pk)
    if not report.editable:
        raise PermissionDenied(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}», không nhập được."
        )
    template = store.template_of(report.round.template)
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            messages.error(request, f"{upload.name}: chỉ nhận tệp .xlsx, .docx hoặc .txt.")
            return redirect("report-upload", pk=pk)
        if upload.size > settings.UPLOAD_MAX_BYTES:
            messages.error(
                request,
                f"{upload.name}: tệp quá lớn (tối đa "
                f"{settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB).",
            )
            return redirect("report-upload", pk=pk)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"tai-len{suffix}"
            with path.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            try:
                imported, document = import_report(path, template), None
            except NoTablesError as exc:  # a narrative only: its sections can still come in
                imported, document = None, exc.document
            except ImportError_ as exc:
                messages.error(
                    request,
                    str(exc).replace(str(path), upload.name).replace(path.name, upload.name),
                )
                return redirect("report-upload", pk=pk)
        if imported is not None:
            rows, pending = _review_rows(request, report, template, imported)
            document = imported.document
        else:
            rows, pending = [], {}
        sections, kept = (
            narrative_import.review_sections(request.user, report, template, document)
            if document is not None
            else ([], {})
        )
        token = secrets.token_urlsafe(12)
        request.session[f"upload-{token}"] = {
            "report": report.pk,
            "values": pending,
            "sections": kept,
            "file": upload.name,
        }
        return render(
            request,
            "cchc/report_upload_review.html",
            {
                "report": report,
                "rows": rows,
                "token": token,
                "file": upload.name,
                "problems": [
                    f
                    for f in (imported.findings if imported else [])
                    if f.rule in ("unmatched-row", "ambiguous-number")
                ],
                "score": round(imported.score * 100, 1) if imported else None,
                "sections": sections,
                "sections_matched": narrative_import.matched_summary(sections),
            },
        )
    return render(request, "cchc/report_upload.html", {"report": report})


def _review_rows(request, report, template, imported):
    current = {(v.form, v.code): v for v in ReportValue.objects.filter(report=report)}
    checked = imported.read or read_report(template, imported.values)
    computed = checked.computed
    rows, pending = [], {}
    for form_code, values in imported.values.items():
        form = template.form(form_code)
        may_edit = permissions.can_edit_part(request.user, report, PartKind.FORM, form_code)
        for code, entry in values.items():
            ind = form.get(code)
            if not entry.raw.strip() or ind is None:
                continue
            read = checked.read(form_code, ind, entry.raw)
            old = current.get((form_code, code))
            if old is None and _is_computed(read.value, computed.get((form_code, code))):
                continue  # a rate the file only carries as cchc computed it (an export)
            key = f"{form_code}|{code}"
            what = f"{form.label or form.code}, chỉ tiêu {code}: giá trị"
            refused = value_problem(ind, entry.raw.strip(), what=what) or ""
            rows.append(
                {
                    "key": key,
                    "form": form,
                    "ind": ind,
                    "new": entry.raw,
                    "old": old.raw if old else "",
                    "line": entry.source.line if entry.source else None,
                    "ambiguous": read.ambiguous,
                    "readings": [(unambiguous_raw(r), format_number(r)) for r in read.readings],
                    "may_edit": may_edit and not refused,
                    "refused": refused,
                    "same": old is not None and old.raw == entry.raw,
                }
            )
            if may_edit and not refused:
                readings = [unambiguous_raw(r) for r in read.readings] if read.ambiguous else []
                pending[key] = [entry.raw, old.version if old else 0, readings]
    return rows, pending


def unambiguous_raw(value: Decimal) -> str:
    """A reading written so that it reads one way only: `3887`, `3,8870`."""
    if value == value.to_integral():
        return str(int(value))
    whole, _, frac = f"{value:f}".partition(".")
    return f"{whole},{frac}{'0' if len(frac) == 3 else ''}"


def _is_computed(value: Decimal | None, computed: Decimal | None) -> bool:
    """A rate equal to its formula's result at two decimals, as every export prints it."""
    return value is not None and computed is not None and round(value, 2) == round(computed, 2)


@require_POST
@login_required
@refusals_as_403
def report_upload_confirm(request, pk: int):
    report = visible_report(request, pk)
    stored = request.session.pop(f"upload-{request.POST.get('token', '')}", None)
    if not stored or stored.get("report") != report.pk:
        messages.error(request, "Phiên nhập tệp đã hết hạn; hãy tải tệp lên lại.")
        return redirect("report-upload", pk=pk)
    chosen = set(request.POST.getlist("key"))
    by_form: dict[str, dict[str, tuple[str, int]]] = {}
    for key, (raw, version, readings) in stored["values"].items():
        if key in chosen:
            form, code = key.split("|", 1)
            typed = request.POST.get(f"raw:{key}", raw)
            reading = request.POST.get(f"reading:{key}", "")
            if readings and reading in readings:
                typed = reading
            elif readings and typed.strip() == raw.strip():
                messages.error(
                    request,
                    f"Biểu {form}, chỉ tiêu {code}: «{raw}» đọc được hai cách; hãy chọn một "
                    "cách đọc (hoặc sửa giá trị). Giá trị này chưa được nhập.",
                )
                continue  # never settled silently
            by_form.setdefault(form, {})[code] = (typed, version)
    saved = conflicts = 0
    for form, changes in by_form.items():
        try:
            result = saving.save_values(
                user=request.user, report=report, form=form, changes=changes
            )
        except InvalidInput as exc:  # a value edited on the review screen: that form waits
            for problem in exc.problems.values():
                messages.error(request, f"{problem} Các giá trị của biểu này chưa được nhập.")
            continue
        saved += len(result.versions)
        conflicts += len(result.conflicts)
    template = store.template_of(report.round.template)
    targets = {
        int(n): request.POST.get(f"target:{n}", "")
        for n in request.POST.getlist("section")
        if n.isdigit()
    }
    texts = narrative_import.save_sections(
        user=request.user,
        report=report,
        template=template,
        stored=stored.get("sections") or {},
        chosen=targets,
    )
    narrative_import.record_import(
        user=request.user, report=report, file=stored["file"], values=saved, sections=texts.saved
    )
    for problem in texts.problems:
        messages.error(request, problem)
    text = f"Đã nhập {saved} giá trị và {len(texts.saved)} mục đề cương từ {stored['file']}."
    if conflicts:
        text += f" {conflicts} giá trị không nhập vì người khác vừa sửa; hãy xem lại."
    if texts.conflicts:
        text += (
            f" {len(texts.conflicts)} mục không nhập vì người khác vừa sửa "
            f"({', '.join(texts.conflicts)}); hãy xem lại."
        )
    messages.success(request, text)
    return redirect("report-detail", pk=pk)
