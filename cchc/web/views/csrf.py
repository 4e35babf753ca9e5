"""The page a refused form post shows (CSRF_FAILURE_VIEW): what happened, what to do."""

from __future__ import annotations

from django.shortcuts import render


def csrf_failure(request, reason: str = ""):
    return render(request, "403_csrf.html", status=403)
