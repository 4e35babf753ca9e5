"""What every view needs: the report the user may see, refusals as clear 403 pages, files
to download."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from cchc.documents import Output
from cchc.web.reporting.entry.saving import InvalidInput
from cchc.web.reporting.models import Report
from cchc.web.reporting.workflow.permissions import Refused, can_view
from cchc.web.views.errors import error_response


def report_or_404(pk: int) -> Report:
    """The report with its unit, round and template version, for a page or the API."""
    reports = Report.objects.select_related("unit", "round", "round__template")
    # The template's YAML is only read when its built form is not in memory yet.
    return get_object_or_404(reports.defer("round__template__yaml_text"), pk=pk)


def visible_report(request, pk: int) -> Report:
    report = report_or_404(pk)
    if not can_view(request.user, report):
        raise PermissionDenied(f"Bạn không có quyền xem báo cáo của {report.unit.name}.")
    return report


def refusals_as_403(view):
    """A `Refused` from the services becomes a 403 page carrying its Vietnamese message;
    values no report can hold (`InvalidInput`) a 400 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except InvalidInput as exc:
            return error_response(request, 400, f"{exc} Chưa lưu gì.")
        except Refused as exc:
            raise PermissionDenied(str(exc)) from exc

    return wrapper


def attachment(data: bytes, output: Output, stem: str) -> HttpResponse:
    """A file to download, named `stem` with the writer's extension, of its media type."""
    response = HttpResponse(data, content_type=output.media_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}{output.extension}"'
    return response
