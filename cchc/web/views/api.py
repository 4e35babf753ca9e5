"""JSON API: read a report, write values and section texts with the same checks as the pages.

Authentication: the browser session (send the CSRF token in `X-CSRFToken`)
or `Authorization: Bearer <token>` with one of the user's API tokens (see
accounts/tokens.py; wrong tokens count towards the address's lockout). HTTP
Basic is refused: a password sent with every request is a password to guess.
No login (or a session that has ended) is a 401 with a Vietnamese `error` and
the `login_url`; refusals are 403 with a Vietnamese `error`; a value changed by someone else
since `version` is a 409.
"""

from __future__ import annotations

import json
from functools import wraps

from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from cchc.core.numbers import json_float
from cchc.core.validation import validate_report
from cchc.web.accounts.lockout import LoginRefused, bearer_login
from cchc.web.accounts.session_ended import session_ended_response
from cchc.web.reporting import permissions, template_store
from cchc.web.reporting.entries import (
    InvalidInput,
    check_narrative_of,
    read_values,
    save_section,
    save_values,
)
from cchc.web.reporting.models import Report, SectionText
from cchc.web.views.common import report_or_404


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse(
        {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def api_view(view):
    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Bearer "):
            try:
                request.user = bearer_login(request, header[7:].strip())
            except LoginRefused as exc:
                return _error(exc.status, str(exc))
        elif header:
            return _error(
                401,
                "API chỉ nhận mã API (tiêu đề Authorization: Bearer <mã>), không nhận mật khẩu "
                "(HTTP Basic); tạo mã ở trang «Mã API».",
            )
        elif not request.user.is_authenticated:
            return session_ended_response(request)
        elif request.method not in ("GET", "HEAD", "OPTIONS"):
            rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if rejected is not None:
                return _error(403, "Thiếu hoặc sai mã CSRF (gửi trong tiêu đề X-CSRFToken).")
        try:
            return view(request, *args, **kwargs)
        except InvalidInput as exc:  # nothing of the request was saved
            body = {"error": f"{exc} Chưa lưu gì.", "problems": exc.problems}
            return _json(body, 400)
        except permissions.Refused as exc:
            return _error(403, str(exc))

    return wrapper


def _report(request, pk: int) -> Report:
    report = report_or_404(pk)
    permissions.require_view(request.user, report)
    return report


def _body(request) -> dict:
    try:
        data = json.loads(request.body.decode("utf-8") or "{}")
    except ValueError as exc:  # not UTF-8, not JSON, an integer of thousands of digits
        raise permissions.Refused(f"Nội dung gửi lên không phải JSON hợp lệ: {exc}") from exc
    if not isinstance(data, dict):
        raise permissions.Refused("Nội dung gửi lên phải là một đối tượng JSON.")
    return data


def _report_json(report: Report) -> dict:
    entries, stored = read_values(report)
    result = validate_report(template_store.template_of(report.round.template), entries)
    values = {
        form: {
            code: {"raw": raw, "note": note, "version": version}
            for code, (raw, note, version) in codes.items()
        }
        for form, codes in stored.items()
    }
    computed: dict = {}
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
        "sections": {
            s.code: {"text": s.text, "version": s.version}
            for s in SectionText.objects.filter(report=report)
        },
        "computed": computed,
        "findings": [f.to_json() for f in result.findings],
        "narrative_findings": [f.to_json() for f in check_narrative_of(report, result).findings],
    }


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


@api_view
def report_api(request, pk: int):
    if request.method != "GET":
        return _error(405, "Chỉ hỗ trợ GET.")
    return _json(_report_json(_report(request, pk)))


@api_view
def values_api(request, pk: int):
    if request.method not in ("POST", "PUT", "PATCH"):
        return _error(405, "Dùng POST/PUT/PATCH để ghi số liệu.")
    report = _report(request, pk)
    data = _body(request)
    form = str(data.get("form", ""))
    raw_values = data.get("values")
    if not form or not isinstance(raw_values, dict):
        return _error(400, "Cần «form» (mã biểu) và «values» {mã chỉ tiêu: {raw, note, version}}.")
    template_form = template_store.template_of(report.round.template).form(form)
    if template_form is None:
        return _error(404, f"Mẫu của báo cáo không có biểu «{form[:40]}».")
    unknown = [str(c) for c in raw_values if template_form.get(str(c)) is None]
    if unknown:
        return _error(
            400, f"{template_form.label or form} không có chỉ tiêu mã «{unknown[0][:40]}»."
        )
    changes, notes = {}, {}
    for code, item in raw_values.items():
        if not isinstance(item, dict):
            return _error(400, f"Giá trị của chỉ tiêu «{code}» phải là {{raw, note, version}}.")
        version = item.get("version")
        if "raw" in item:
            changes[str(code)] = (str(item["raw"] if item["raw"] is not None else ""), version)
        if "note" in item:
            notes[str(code)] = (str(item["note"] or ""), version)
    result = save_values(user=request.user, report=report, form=form, changes=changes, notes=notes)
    body = _report_json(report)
    body["saved"] = {code: v for (_, code), v in result.versions.items()}
    body["conflicts"] = {
        code: {"current": c.current, "version": c.version, "by": c.by}
        for (_, code), c in result.conflicts.items()
    }
    return _json(body, 409 if result.conflicts else 200)


@api_view
def section_api(request, pk: int, code: str):
    report = _report(request, pk)
    sections = template_store.template_of(report.round.template).all_sections()
    if code not in {s.code for s in sections}:
        return _error(404, f"Đề cương của báo cáo không có mục «{code[:40]}».")
    if request.method == "GET":
        s = SectionText.objects.filter(report=report, code=code).first()
        return _json({"code": code, "text": s.text if s else "", "version": s.version if s else 0})
    if request.method not in ("POST", "PUT"):
        return _error(405, "Dùng GET để đọc, PUT để ghi.")
    data = _body(request)
    result = save_section(
        user=request.user,
        report=report,
        code=code,
        text=str(data.get("text", "")),
        base_version=data.get("version"),
    )
    conflict = result.conflicts.get(("", code))
    if conflict:
        return _json(
            {
                "conflict": {
                    "current": conflict.current,
                    "version": conflict.version,
                    "by": conflict.by,
                }
            },
            409,
        )
    return _json({"code": code, "version": result.versions[("", code)]})


def openapi(request):
    from cchc.web.openapi import SPEC  # noqa: PLC0415 — the spec is built on first request

    return _json(SPEC)
