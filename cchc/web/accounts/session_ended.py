"""A request whose session has ended is answered as such, not with the login page.

The browser follows a redirect inside a background request without telling the
page: an htmx autosave that meets `login_required` used to receive the whole
login page and swap it into the cell's status, saving nothing. Here such a
redirect becomes a 401 with a Vietnamese message and the login address that
returns to the page; htmx swaps nothing on a 401, and the page's script
(static/cchc/keep.js) keeps what was typed and shows the notice. Whole pages
still redirect to the login form, and a button's plain POST comes back, after
the login, to the page it was on rather than to its POST-only address.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

SESSION_ENDED = (
    "Chưa đăng nhập, hoặc phiên đăng nhập đã hết (đã đăng xuất ở cửa sổ khác, hoặc quá hạn): "
    "không có gì được lưu từ yêu cầu này. Đăng nhập lại rồi gửi lại "
    "(kịch bản, máy chủ khác thì dùng mã API)."
)


def _same_site_page(request: HttpRequest, url: str) -> str | None:
    """The path (and query) of `url` if it is a page of this site, else None."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _page_of(request: HttpRequest) -> str:
    """The page the person is on (htmx's `HX-Current-URL`), if it is one of ours."""
    current = _same_site_page(request, request.headers.get("HX-Current-URL", ""))
    return current or request.get_full_path()


def session_ended_response(request: HttpRequest) -> JsonResponse:
    """401: what happened, and where to log in so as to come back to the same page."""
    login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': _page_of(request)})}"
    return JsonResponse(
        {"error": SESSION_ENDED, "login_url": login_url},
        status=401,
        json_dumps_params={"ensure_ascii": False},
    )


def _is_login_redirect(response: HttpResponse) -> bool:
    if response.status_code != 302:
        return False
    return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)


class SessionEndedMiddleware:
    """htmx requests sent to the login form by `login_required` get the 401 instead."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or not _is_login_redirect(response):
            return response
        if request.headers.get("HX-Request") == "true":
            return session_ended_response(request)
        if request.method == "POST":  # back to the page the button was on, not to a POST-only URL
            page = _same_site_page(request, request.headers.get("Referer", ""))
            if page:
                return redirect_to_login(page)
        return response
