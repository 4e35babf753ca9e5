"""Server-side paging of long lists, with a Vietnamese 400 for a page that is not there."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from cchc.web.views.errors import error_response


class BadPage(ValueError):
    def response(self, request):
        return error_response(request, 400, str(self))


def page_of(paginator: Paginator, raw: str | None) -> Page:
    """`?page=3` → that page; no parameter → the first; anything else is refused by name."""
    if raw in (None, ""):
        return paginator.page(1)
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= paginator.num_pages:
        raise BadPage(
            f"Trang «{raw[:20]}» không có: danh sách có {paginator.num_pages} trang "
            f"(từ 1 đến {paginator.num_pages})."
        )
    return paginator.page(int(raw))
