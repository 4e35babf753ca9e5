"""Who calls the API: an API token first, else the browser session (with its CSRF token).

A refusal is raised, not returned, so that the API's exception handlers answer
it in Vietnamese (see `endpoints`); ninja would otherwise answer a bare 401.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from ninja.security import APIKeyCookie, HttpBearer

from cchc.web.accounts.lockout import LoginRefused, bearer_login
from cchc.web.reporting.workflow.permissions import Refused

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _no_view(request: HttpRequest) -> HttpResponse:
    """What the CSRF check is run for: nothing of its own (the operation runs after)."""
    return HttpResponse()


class SessionEnded(Exception):
    """No token and no live session: answered with the login address (accounts.session_ended)."""


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <mã>`; no header at all leaves the call to the session."""

    openapi_description = (
        "Mã API tạo ở trang «Mã API» (/ma-api/) hoặc bằng `cchc manage create_api_token`; "
        "sai nhiều lần thì địa chỉ máy bị khóa tạm thời (429)."
    )

    def __call__(self, request: HttpRequest) -> Any:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        if not header.startswith("Bearer "):
            raise LoginRefused(
                401,
                "API chỉ nhận mã API (tiêu đề Authorization: Bearer <mã>), không nhận mật khẩu "
                "(HTTP Basic); tạo mã ở trang «Mã API».",
            )
        return self.authenticate(request, header[7:].strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = bearer_login(request, token)  # counts a wrong token towards the lockout
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session; a write also needs the CSRF token in `X-CSRFToken`."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "Phiên đăng nhập của trình duyệt; khi ghi gửi kèm tiêu đề X-CSRFToken."

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            raise SessionEnded()
        if request.method not in _SAFE_METHODS:
            rejected = CsrfViewMiddleware(_no_view).process_view(request, _no_view, (), {})
            if rejected is not None:
                raise Refused("Thiếu hoặc sai mã CSRF (gửi trong tiêu đề X-CSRFToken).")
        return request.user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


AUTH = [TokenAuth(), SessionAuth()]
