"""Error answers in Vietnamese: a page for people, JSON with an `error` under /api/."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

_TITLES = {
    400: "Yêu cầu không hợp lệ",
    404: "Không tìm thấy",
    413: "Nội dung quá lớn",
}


def error_response(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": message}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    return render(
        request,
        "error.html",
        {"title": _TITLES.get(status, "Không thực hiện được"), "message": message},
        status=status,
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Unknown addresses and ids; the message of an Http404 raised by a view is kept."""
    detail = exception.args[0] if exception and exception.args else ""
    # Our views say what is missing in Vietnamese; Django's own text is English.
    ours = isinstance(detail, str) and detail and "matches the given query" not in detail
    shown = detail if ours else ""
    return error_response(request, 404, shown or "Không tìm thấy trang hoặc mục này.")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400, "Yêu cầu không hợp lệ.")
