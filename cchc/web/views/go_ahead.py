"""The page that asks for a reason to go on when a part or a report is incomplete.

«Xong» and «Duyệt» answer an `Incomplete` refusal with this page: what is still
empty, what the checks found, and the same button again with a reason to give.
"""

from __future__ import annotations

from django.shortcuts import render

from cchc.web.reporting.workflow.readiness import Incomplete


def ask_reason(
    request, report, exc: Incomplete, *, action: str, fields: dict[str, str], title: str
):
    return render(
        request,
        "cchc/go_ahead.html",
        {
            "report": report,
            "title": title,
            "message": str(exc),
            "ready": exc.readiness,
            "action": action,
            "fields": fields,
        },
        status=409,
    )
