"""The national lists of rounds: the round list, and the round dashboard's list, filtered
(state, unit name, province) and paged on the server.

Query parameters `trang-thai`, `ten`, `tinh` and `page`, so a filtered page can be
linked and reloaded; a value no filter knows is a Vietnamese 400 that names it.
"""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.http import urlencode

from cchc.web.organisation.models import OrgUnit
from cchc.web.organisation.services import children_map, descendant_ids
from cchc.web.reporting.models import ReportingRound
from cchc.web.reporting.rounds.dashboard import dashboard_counts, dashboard_rows
from cchc.web.reporting.workflow import permissions
from cchc.web.reporting.workflow.services import STATUS_LABELS
from cchc.web.views.paging import page_of

PER_PAGE = 100
ROUNDS_PER_PAGE = 50


def listed_rounds(user) -> QuerySet[ReportingRound]:
    """The rounds the person sees (each on its own tree, `permissions.visible_rounds`),
    newest deadline first, reading none of the template's text."""
    return (
        permissions.visible_rounds(user)
        .select_related("issuer")
        .only("pk", "title", "window_start", "window_end", "deadline", "closed_at", "issuer__name")
        .order_by("-deadline", "-pk")
    )


class BadFilter(ValueError):
    """A filter value the dashboard cannot use; the message names it (a 400)."""


def dashboard_page(request, rnd: ReportingRound, visible: set[int] | None, day: date) -> dict:
    """The page's context: counts over the whole round, one page of the filtered list."""
    chosen = {k: request.GET.get(k, "").strip() for k in ("trang-thai", "ten", "tinh")}
    if chosen["trang-thai"] and chosen["trang-thai"] not in STATUS_LABELS:
        raise BadFilter(f"Tình trạng «{chosen['trang-thai'][:30]}» không có trong danh sách.")
    if len(chosen["ten"]) > 100:
        raise BadFilter("Tên đơn vị cần tìm dài quá 100 ký tự.")
    tree = children_map(day)
    provinces = list(
        OrgUnit.objects.filter(id__in=tree.get(rnd.issuer_id, ()), level="tinh")
        .only("pk", "name")
        .order_by("name")
    )
    # Those of the issuing unit (or above it) see every unit of the round.
    units = None if visible is None or rnd.issuer_id in visible else visible
    if chosen["tinh"]:
        province = next((p for p in provinces if str(p.pk) == chosen["tinh"]), None)
        if province is None:
            raise BadFilter(f"Tỉnh «{chosen['tinh'][:20]}» không có trong đợt báo cáo này.")
        below = descendant_ids({province.pk}, day, tree)
        units = below if units is None else units & below
    rows = dashboard_rows(rnd, units=units, status=chosen["trang-thai"], name=chosen["ten"])
    page = page_of(Paginator(rows, PER_PAGE), request.GET.get("page"))
    counts = dashboard_counts(rnd)
    kept = {k: v for k, v in chosen.items() if v}
    return {
        "page": page,
        "rows": [(r, r.status) for r in page.object_list],
        "counts": counts,
        "labels": STATUS_LABELS,
        "wanted": chosen["trang-thai"],
        "chosen": chosen,
        "provinces": provinces,
        "total": sum(counts.values()),
        "query": urlencode(kept) + "&" if kept else "",
        "others": urlencode({k: v for k, v in kept.items() if k != "trang-thai"}),
    }
