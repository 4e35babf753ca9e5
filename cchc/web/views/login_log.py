"""«Nhật ký đăng nhập»: logins, failures, lockouts and API tokens; one's own, or all for admins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cchc.web.accounts.audit import ACTIONS
from cchc.web.reporting.history import describe
from cchc.web.reporting.models import AuditEvent

SHOWN = 500


@login_required
def login_log(request):
    events = AuditEvent.objects.filter(action__in=ACTIONS).select_related("user")
    if not request.user.is_superuser:
        events = events.filter(user=request.user)
    rows = [
        {
            "event": e,
            "what": describe(e),
            "ip": (e.after or {}).get("ip") or "",
            "via": (e.after or {}).get("via", ""),
        }
        for e in events[:SHOWN]
    ]
    return render(
        request,
        "cchc/login_log.html",
        {"rows": rows, "everyone": request.user.is_superuser, "shown": SHOWN},
    )
