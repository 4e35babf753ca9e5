"""A person still on a password someone else set is sent to «Đổi mật khẩu» from every page.

Checked at login (one query) and kept in the session, so other requests cost
nothing; while the mark is there each request looks again, and it goes away as
soon as the password has been changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.shortcuts import redirect
from django.urls import reverse

from cchc.web.organisation.people import must_change_password

SESSION_KEY = "cchc_temporary_password"
_ALLOWED = ("password-change", "logout")


def mark_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session") and must_change_password(user):
        request.session[SESSION_KEY] = True


class TemporaryPasswordMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY) and request.user.is_authenticated:
            if not must_change_password(request.user):
                del session[SESSION_KEY]
            elif request.path not in {reverse(name) for name in _ALLOWED}:
                messages.warning(
                    request,
                    "Bạn đang dùng mật khẩu tạm thời do quản trị cấp. Hãy đặt mật khẩu của "
                    "riêng mình trước khi làm việc khác.",
                )
                return redirect("password-change")
        return self.get_response(request)


def connect() -> None:
    user_logged_in.connect(mark_on_login, dispatch_uid="cchc-temporary-password")
