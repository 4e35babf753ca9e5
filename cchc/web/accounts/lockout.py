"""How django-axes counts guessed logins here, and how a refusal reads.

Attempts are counted per account and per client address; a token attempt names
no account, so it counts for its address only. The address is REMOTE_ADDR, or,
behind CCHC_PROXY_COUNT proxies, the entry those proxies appended to
X-Forwarded-For (entries further left are whatever the client sent, and can't
be trusted). The refusal is a Vietnamese page, or JSON under /api/.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cchc.web.accounts.tokens import key_id_of, user_for_token

STATUS = 429


class LoginRefused(Exception):
    """An API login that is refused; `status` and the Vietnamese message go to the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list:
    if credentials is not None:
        username = credentials.get("username")
    else:
        username = getattr(request_or_attempt, "username", None)
    return ["username", "ip_address"] if username else ["ip_address"]


def client_address(request: HttpRequest) -> str | None:
    count = settings.PROXY_COUNT
    if count:
        chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [a for a in chain if a]
        if len(chain) >= count:
            return chain[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_message() -> str:
    return (
        f"Đăng nhập tạm thời bị khóa sau {settings.AXES_FAILURE_LIMIT} lần sai mật khẩu hoặc "
        f"mã API (cho tài khoản này hoặc từ địa chỉ máy này). Thử lại sau "
        f"{settings.LOCKOUT_MINUTES} phút; cần gấp thì nhờ quản trị hệ thống."
    )


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": lockout_message()}, status=STATUS, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "cchc/locked_out.html", {"message": lockout_message()}, status=STATUS)


def bearer_login(request: HttpRequest, token: str):
    """The user an `Authorization: Bearer` token names; a wrong one counts as a failed login."""
    credentials = {"username": None, "token": key_id_of(token) or "?"}
    if AxesProxyHandler.is_locked(request, credentials):
        raise LoginRefused(STATUS, lockout_message())
    user = user_for_token(token)
    if user is None:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        raise LoginRefused(
            401,
            "Mã API không đúng, đã bị thu hồi, hoặc tài khoản đã bị khóa "
            "(tạo mã mới ở trang «Mã API»).",
        )
    return user
