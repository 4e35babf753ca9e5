"""Every login in the audit log: success, wrong password or token, lockout, refusal while locked.

Entries have no report: `target` is the login name typed, `after` says from where
(`ip`), through what (`via`: the login page or an API token) and, for a
lockout, after how many failures and for how long. `reporting.audit.history.describe`
says it in a sentence for the login log page.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed

from cchc.web.reporting.audit.office import LOGIN_ACTIONS
from cchc.web.reporting.models import AuditEvent

ACTIONS = LOGIN_ACTIONS  # their sentences are in reporting/audit/office.py


def _where(request) -> dict:
    if request is None:
        return {"ip": None, "via": "lệnh"}
    ip = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    via = "mã API" if request.path.startswith("/api/") else "trang đăng nhập"
    return {"ip": ip, "via": via}


def _user_named(username: str | None):
    if not username:
        return None
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()


def _record(action: str, username: str | None, request, user=None, **more) -> None:
    AuditEvent.objects.create(
        user=user if user is not None else _user_named(username),
        action=action,
        target=(username or "")[:64],
        after={**_where(request), **more},
    )


def on_login(sender, request, user, **kwargs) -> None:
    _record("login", user.get_username(), request, user=user)


def on_login_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    """A wrong password or token; the one that reaches the limit is followed by the lockout.

    Runs after django-axes's receiver (axes comes first in INSTALLED_APPS), which has
    counted this failure and marked the request if it locks the account or address.
    """
    locked = request is not None and getattr(request, "axes_locked_out", False)
    failures = getattr(request, "axes_failures_since_start", None)
    if locked and failures is None:
        return  # refused while locked, unchecked: `on_locked_out` records it
    more = {"token": credentials["token"]} if "token" in credentials else {}
    username = credentials.get("username")
    _record("login-failed", username, request, **more)
    if locked:
        _record(
            "login-locked",
            username,
            request,
            failures=failures,
            minutes=settings.LOCKOUT_MINUTES,
        )


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    if getattr(request, "axes_failures_since_start", None) is None:
        _record("login-refused", username, request)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="cchc-audit-login")
    user_login_failed.connect(on_login_failed, dispatch_uid="cchc-audit-login-failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="cchc-audit-locked-out")
