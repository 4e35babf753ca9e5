"""A strict Content-Security-Policy on every page, and pages that need nothing inline to work.

The policy allows our own script and style files only; these tests render the
pages each persona opens (and an htmx fragment) and find no inline script,
style attribute or event handler the browser would then refuse. The e2e test
(test_e2e_csp.py) proves in Chromium that htmx still works under the policy.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from cchc.web.views import errors

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle\s*=|\son[a-z]+\s*=", re.I)


def _policy(response) -> dict[str, str]:
    parts = (p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";"))
    return {name: value for name, value in parts}


def _pages(world) -> list[tuple[object, str]]:
    report, rnd = world.report_a.pk, world.round.pk
    return [
        (world.officer, reverse("my-work")),
        (world.officer, reverse("report-detail", args=[report])),
        (world.officer, reverse("form-entry", args=[report, "BM1"])),
        (world.officer, reverse("section-edit", args=[report, "I"])),
        (world.officer, reverse("report-audit", args=[report])),
        (world.officer, reverse("api-tokens")),
        (world.officer, reverse("login-log")),
        (world.officer, reverse("notices")),
        (world.officer, reverse("password-change")),
        (world.unit_admin, reverse("report-assign", args=[report])),
        (world.reviewer, reverse("round-list")),
        (world.reviewer, reverse("round-dashboard", args=[rnd])),
        (world.reviewer, reverse("round-consolidation", args=[rnd])),
        (world.reviewer, reverse("round-comparison", args=[rnd])),
        (world.reviewer, reverse("template-list")),
        (world.unit_admin, reverse("people-list")),
        (world.unit_admin, reverse("person-add")),
        (world.unit_admin, reverse("people-import")),
        (world.unit_admin, reverse("person-edit", args=[world.colleague.pk])),
        (world.unit_admin, reverse("unit-tree")),
        (world.unit_admin, reverse("unit-detail", args=[world.commune_a.pk])),
    ]


def test_every_page_carries_the_policy_and_nothing_inline(world, login) -> None:
    seen = {}
    for user, url in _pages(world):
        response = login(user).get(url)
        body = response.content.decode()
        seen[url] = (response.status_code, _policy(response), INLINE.findall(body))
    assert seen == {url: (200, POLICY, []) for _, url in _pages(world)}


def test_the_login_page_and_a_missing_page_carry_the_policy(world, client) -> None:
    login_page, missing = client.get(reverse("login")), client.get("/khong-co/")
    assert (login_page.status_code, _policy(login_page)) == (200, POLICY)
    assert (missing.status_code, _policy(missing)) == (404, POLICY)


def test_the_rate_fragment_htmx_swaps_in_has_nothing_inline(world, login) -> None:
    client = login(world.officer)
    url = reverse("save-cell", args=[world.report_a.pk, "BM1"])
    client.post(url, {"code": "2.1", "field": "raw", "text": "19", "version": ""})
    response = client.post(url, {"code": "2.2", "field": "raw", "text": "15", "version": ""})
    body = response.content.decode()
    assert "78,95" in body and INLINE.findall(body) == []


def test_the_page_tells_htmx_not_to_add_its_inline_indicator_style(world, client) -> None:
    body = client.get(reverse("login")).content.decode()
    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles": false, """
        """"allowEval": false, "allowScriptTags": false}'>"""
    ) in body


def _h1(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode()).group(1)


def test_a_form_posted_without_its_csrf_token_gets_a_vietnamese_page(world) -> None:
    response = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "officer", "password": "x"}
    )
    assert (response.status_code, _h1(response)) == (403, "Không gửi được biểu mẫu")
    assert "Không có gì được lưu từ lần gửi này." in response.content.decode()


@pytest.mark.parametrize(
    ("handler", "status", "heading"),
    [
        (errors.bad_request, 400, "Yêu cầu không hợp lệ"),
        (defaults.server_error, 500, "Máy chủ gặp lỗi"),
    ],
)
def test_the_error_pages_are_vietnamese(db, handler, status, heading) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = handler(request) if handler is defaults.server_error else handler(request, None)
    assert (response.status_code, _h1(response)) == (status, heading)


def test_a_missing_page_is_vietnamese(db, client) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert (response.status_code, _h1(response)) == (404, "Không tìm thấy")
