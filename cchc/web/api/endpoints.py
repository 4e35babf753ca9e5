"""The API's operations and its Vietnamese error answers; served under /api/.

Each operation reads and writes through the same services as the pages, so
the same permission and entry rules apply. Failures are raised and answered
here as JSON `{"error": "…"}` with the status of the old hand-written views.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import NinjaAPI, Status
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from cchc.core.numbers import json_float
from cchc.core.reading import read_report
from cchc.web.accounts.lockout import LoginRefused
from cchc.web.accounts.session_ended import session_ended_response
from cchc.web.api.auth import AUTH, SessionEnded
from cchc.web.api.schemas import (
    ErrorOut,
    NotLoggedInOut,
    ReportOut,
    SavedReportOut,
    SectionConflictOut,
    SectionIn,
    SectionSavedOut,
    SectionTextOut,
    ValuesIn,
)
from cchc.web.reporting.entry.saving import (
    InvalidInput,
    check_narrative_of,
    read_values,
    save_section,
    save_values,
)
from cchc.web.reporting.models import Report, SectionText
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.workflow.permissions import Refused, require_view
from cchc.web.views.common import report_or_404
from cchc.web.views.errors import not_found


class _Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese as it is written


class _Api(NinjaAPI):
    """Its addresses are included without a namespace: `reverse("api-report")` as before."""

    def get_root_path(self, path_params: dict[str, Any]) -> str:
        return reverse("api-root", kwargs=path_params)


api = _Api(
    title="cchc API",
    version="1",
    description=(
        "Đọc, ghi số liệu và nội dung báo cáo CCHC với cùng quy tắc kiểm tra như trang web."
    ),
    auth=AUTH,
    renderer=_Renderer(),
    openapi_url="/openapi.json",
    docs_url=None,  # the description is read by programs; no page that loads scripts from afar
)

_ERRORS: dict[int, Any] = {401: NotLoggedInOut, 404: ErrorOut, 413: ErrorOut, 429: ErrorOut}


def _error(status: int, message: str, **more: Any) -> JsonResponse:
    return JsonResponse(
        {"error": message, **more}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@api.exception_handler(LoginRefused)
def _login_refused(request: HttpRequest, exc: LoginRefused) -> HttpResponse:
    return _error(exc.status, str(exc))


@api.exception_handler(SessionEnded)
def _session_ended(request: HttpRequest, exc: SessionEnded) -> HttpResponse:
    return session_ended_response(request)


@api.exception_handler(Refused)
def _refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    return _error(403, str(exc))


@api.exception_handler(InvalidInput)
def _invalid(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return _error(400, f"{exc} Chưa lưu gì.", problems=exc.problems)  # nothing was saved


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return not_found(request, exc)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.__cause__ is not None:  # the body: not UTF-8, not JSON, an integer of many digits
        return _error(403, f"Nội dung gửi lên không phải JSON hợp lệ: {exc.__cause__}")
    return _error(exc.status_code, str(exc))


@api.exception_handler(ValidationError)
def _badly_shaped(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A body of the wrong shape, said as the hand-written checks said it."""
    first = exc.errors[0] if exc.errors else {}
    loc = [str(part) for part in first.get("loc", ())][2:]  # after ("body", the parameter)
    if not loc and first.get("type") != "missing":
        return _error(403, "Nội dung gửi lên phải là một đối tượng JSON.")
    if loc and loc[0] in ("text", "version") and "/muc/" in request.path:
        return _error(400, "«text» phải là chuỗi, «version» là số nguyên.")
    if len(loc) >= 2 and loc[0] == "values":
        return _error(400, f"Giá trị của chỉ tiêu «{loc[1][:40]}» phải là {{raw, note, version}}.")
    return _error(400, "Cần «form» (mã biểu) và «values» {mã chỉ tiêu: {raw, note, version}}.")


def _report(request: HttpRequest, pk: int) -> Report:
    report = report_or_404(pk)
    require_view(request.user, report)
    return report


def _report_json(report: Report) -> dict[str, Any]:
    entries, stored = read_values(report)
    result = read_report(template_of(report.round.template), entries)
    values = {
        form: {
            code: {"raw": raw, "note": note, "version": version}
            for code, (raw, note, version) in codes.items()
        }
        for form, codes in stored.items()
    }
    sections = list(
        SectionText.objects.filter(report=report).values_list("code", "text", "version")
    )
    texts = {code: text for code, text, _ in sections}
    narrative = check_narrative_of(report, result, texts)
    computed: dict[str, dict[str, float | None]] = {}
    for (form, code), value in result.computed.items():
        computed.setdefault(form, {})[code] = None if value is None else json_float(value)
    return {
        "id": report.pk,
        "unit": report.unit.name,
        "round": report.round.title,
        "period": report.round.period_key,
        "template": report.round.template.template_id,
        "state": report.state,
        "values": values,
        "sections": {code: {"text": text, "version": version} for code, text, version in sections},
        "computed": computed,
        "findings": [f.to_json() for f in result.findings],
        "narrative_findings": [f.to_json() for f in narrative.findings],
    }


_REPORT = "/bao-cao/{int:pk}/"
_VALUES = "/bao-cao/{int:pk}/so-lieu/"
_SECTION = "/bao-cao/{int:pk}/muc/{code}/"


@api.get(
    _REPORT,
    response={200: ReportOut, 403: ErrorOut, **_ERRORS},
    url_name="api-report",
    summary="Báo cáo: số liệu, nội dung, tỷ lệ tính được và kết quả kiểm tra",
)
def report_api(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _report_json(_report(request, pk))


@api.put(
    _VALUES,
    response={200: SavedReportOut, 400: ErrorOut, 403: ErrorOut, 409: SavedReportOut, **_ERRORS},
    url_name="api-values",
    summary="Ghi số liệu một biểu (409: người khác vừa sửa, giá trị đó không bị ghi đè)",
)
def values_api(request: HttpRequest, pk: int, payload: ValuesIn) -> HttpResponse:
    report = _report(request, pk)
    form = payload.form
    template_form = template_of(report.round.template).form(form)
    if template_form is None:
        raise HttpError(404, f"Mẫu của báo cáo không có biểu «{form[:40]}».")
    unknown = [code for code in payload.values if template_form.get(code) is None]
    if unknown:
        raise HttpError(
            400, f"{template_form.label or form} không có chỉ tiêu mã «{unknown[0][:40]}»."
        )
    changes, notes = {}, {}
    for code, item in payload.values.items():
        sent = item.model_fields_set
        if "raw" in sent:
            changes[code] = ("" if item.raw is None else str(item.raw), item.version)
        if "note" in sent:
            notes[code] = (item.note or "", item.version)
    result = save_values(user=request.user, report=report, form=form, changes=changes, notes=notes)
    body = _report_json(report)
    body["saved"] = {code: v for (_, code), v in result.versions.items()}
    body["conflicts"] = {
        code: {"current": c.current, "version": c.version, "by": c.by}
        for (_, code), c in result.conflicts.items()
    }
    return _answer(request, 409 if result.conflicts else 200, body)


def _answer(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    """The answer of a save, rendered as it is built. `_report_json` builds it to the
    schema (a test holds it to it), so it is not validated again: every save of a form
    answers with the whole report, and validating it cost a twentieth of the save."""
    renderer = api.renderer
    return HttpResponse(
        renderer.render(request, body, response_status=status),
        status=status,
        content_type=f"{renderer.media_type}; charset={renderer.charset}",
    )


# The same writes under POST and PATCH, as before; the description names PUT only.
api.api_operation(
    ["POST", "PATCH"],
    _VALUES,
    response={200: SavedReportOut, 409: SavedReportOut},
    include_in_schema=False,
)(values_api)


def _section_code(report: Report, code: str) -> str:
    sections = template_of(report.round.template).all_sections()
    if code not in {s.code for s in sections}:
        raise HttpError(404, f"Đề cương của báo cáo không có mục «{code[:40]}».")
    return code


@api.get(
    _SECTION,
    response={200: SectionTextOut, 403: ErrorOut, **_ERRORS},
    url_name="api-section",
    summary="Nội dung một mục đề cương",
)
def section_api(request: HttpRequest, pk: int, code: str) -> dict[str, Any]:
    code = _section_code(_report(request, pk), code)
    s = SectionText.objects.filter(report_id=pk, code=code).first()
    return {"code": code, "text": s.text if s else "", "version": s.version if s else 0}


@api.put(
    _SECTION,
    response={200: SectionSavedOut, 400: ErrorOut, 403: ErrorOut, 409: SectionConflictOut}
    | _ERRORS,
    summary="Ghi nội dung một mục đề cương (409: người khác vừa sửa)",
)
def section_save_api(
    request: HttpRequest, pk: int, code: str, payload: SectionIn | None = None
) -> Status:
    report = _report(request, pk)
    code = _section_code(report, code)
    payload = payload or SectionIn()
    result = save_section(
        user=request.user, report=report, code=code, text=payload.text, base_version=payload.version
    )
    conflict = result.conflicts.get(("", code))
    if conflict:
        c = {"current": conflict.current, "version": conflict.version, "by": conflict.by}
        return Status(409, {"conflict": c})
    return Status(200, {"code": code, "version": result.versions[("", code)]})


api.api_operation(
    ["POST"],
    _SECTION,
    response={200: SectionSavedOut, 409: SectionConflictOut},
    include_in_schema=False,
)(section_save_api)


# Other methods: a 405 that says which ones to use.
@api.api_operation(["POST", "PUT", "PATCH", "DELETE"], _REPORT, include_in_schema=False)
def report_not_allowed(request: HttpRequest, pk: int) -> HttpResponse:
    return _error(405, "Chỉ hỗ trợ GET.")


@api.api_operation(["GET", "DELETE"], _VALUES, include_in_schema=False)
def values_not_allowed(request: HttpRequest, pk: int) -> HttpResponse:
    return _error(405, "Dùng POST/PUT/PATCH để ghi số liệu.")


@api.api_operation(["PATCH", "DELETE"], _SECTION, include_in_schema=False)
def section_not_allowed(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    return _error(405, "Dùng GET để đọc, PUT để ghi.")
