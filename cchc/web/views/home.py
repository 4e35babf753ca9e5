"""Việc của tôi: every role's work — parts to fill, reports to approve, assign or review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from cchc.web.notices.work import work_of


@login_required
def my_work(request):
    now = timezone.now()
    return render(request, "cchc/my_work.html", {"work": work_of(request.user, now), "now": now})
