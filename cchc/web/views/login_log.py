"""«Nhật ký đăng nhập»: logins, failures, lockouts and API tokens; one's own, or all for admins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from cchc.web.accounts.audit import ACTIONS
from cchc.web.reporting.audit.history import describe
from cchc.web.reporting.models import AuditEvent
from cchc.web.views.paging import BadPage, page_of

PER_PAGE = 100  # a page at a time: a national system logs thousands of logins a day


@login_required
def login_log(request):
    events = AuditEvent.objects.filter(action__in=ACTIONS).select_related("user")
    if not request.user.is_superuser:
        events = events.filter(user=request.user)
    try:
        page = page_of(Paginator(events.order_by("-at", "-pk"), PER_PAGE), request.GET.get("page"))
    except BadPage as exc:
        return exc.response(request)
    rows = [
        {
            "event": e,
            "what": describe(e),
            "ip": (e.after or {}).get("ip") or "",
            "via": (e.after or {}).get("via", ""),
        }
        for e in page.object_list
    ]
    return render(
        request,
        "cchc/login_log.html",
        {"rows": rows, "page": page, "everyone": request.user.is_superuser},
    )
