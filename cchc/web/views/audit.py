"""«Nhật ký thay đổi» of a report: each entry as a Vietnamese sentence, filtered, paged.

Filters are query parameters (`person`, `form`, `kind`, `from`, `to` as yyyy-mm-dd,
`page`), so a filtered page can be linked and reloaded; a value no filter knows is a
Vietnamese 400 that names it, not an empty page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from cchc.web.reporting.audit.history import KINDS, describe, wording_for
from cchc.web.reporting.models import AuditEvent, PartKind
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.wording import person_name
from cchc.web.views.common import visible_report
from cchc.web.views.errors import error_response
from cchc.web.views.paging import BadPage, page_of

PER_PAGE = 50


class BadFilter(ValueError):
    """A filter value the page cannot use; the message names it (a 400)."""


def _day(raw: str, what: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise BadFilter(f"{what} «{raw[:20]}» không phải ngày (cần dạng 2026-12-01).") from exc


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(events, request, people: Mapping[int, object], forms: list) -> tuple:
    """The entries the filters keep, and the filters as chosen (for the form and the pager)."""
    chosen = {k: request.GET.get(k, "").strip() for k in ("person", "form", "kind", "from", "to")}
    if chosen["person"]:
        pk = int(chosen["person"]) if chosen["person"].isdigit() else None
        if pk not in people:
            raise BadFilter(f"Người «{chosen['person'][:20]}» không có trong nhật ký này.")
        events = events.filter(user_id=pk)
    if chosen["form"]:
        if chosen["form"] not in {f.code for f in forms}:
            raise BadFilter(f"Mẫu báo cáo không có biểu «{chosen['form'][:20]}».")
        code = chosen["form"]
        events = events.filter(
            Q(action="value-saved", target__startswith=f"{code}.")
            | Q(target=f"{PartKind.FORM}:{code}")
        )
    if chosen["kind"]:
        if chosen["kind"] not in KINDS:
            raise BadFilter(f"Loại việc «{chosen['kind'][:20]}» không có trong danh sách.")
        events = events.filter(action__in=KINDS[chosen["kind"]][1])
    start, end = _day(chosen["from"], "Từ ngày"), _day(chosen["to"], "Đến ngày")
    if start and end and end < start:
        raise BadFilter("«Đến ngày» phải sau «Từ ngày».")
    if start:
        events = events.filter(at__gte=_start_of(start))
    if end:
        events = events.filter(at__lt=_start_of(end + timedelta(days=1)))
    return events, chosen


@login_required
def report_audit(request, pk: int):
    report = visible_report(request, pk)
    template = template_of(report.round.template)
    events = AuditEvent.objects.filter(report=report)
    ids = events.exclude(user=None).values_list("user_id", flat=True).distinct()
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)}
    try:
        kept, chosen = _filtered(events, request, people, list(template.forms))
        page = page_of(Paginator(kept.select_related("user"), PER_PAGE), request.GET.get("page"))
    except (BadFilter, BadPage) as exc:
        return error_response(request, 400, str(exc))
    entries = list(page.object_list)
    wording = wording_for(entries, template)
    rows = [{"event": e, "who": person_name(e.user), "what": describe(e, wording)} for e in entries]
    return render(
        request,
        "cchc/report_audit.html",
        {
            "report": report,
            "rows": rows,
            "page": page,
            "chosen": chosen,
            "query": urlencode({k: v for k, v in chosen.items() if v}) + "&"
            if any(chosen.values())
            else "",
            "people": sorted(people.values(), key=person_name),
            "forms": template.forms,
            "kinds": [(key, label) for key, (label, _) in KINDS.items()],
        },
    )
