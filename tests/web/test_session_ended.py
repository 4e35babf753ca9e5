"""A save whose session has ended is answered 401 with a Vietnamese message, never the login page.

htmx autosaves (a form cell, a section text) and the JSON API get the 401 and the
login address that returns to the page the person was on; whole pages still
redirect to the login form.
"""

from __future__ import annotations

import json

from django.urls import reverse

from cchc.web.accounts.session_ended import SESSION_ENDED
from cchc.web.reporting.models import ReportValue, SectionText

HTMX = {"HTTP_HX_REQUEST": "true"}


def _ended(client, user) -> None:
    """Log in, then end the session as a logout in another window does."""
    client.force_login(user)
    client.post(reverse("logout"))


def _page(world, name: str, code: str) -> str:
    return reverse(name, args=[world.report_a.pk, code])


def test_a_cell_autosave_after_logout_is_a_401_with_the_way_back_to_the_form(world, client):
    _ended(client, world.officer)
    form_page = _page(world, "form-entry", "BM1")
    response = client.post(
        _page(world, "save-cell", "BM1"),
        {"code": "2.1", "field": "raw", "v:2.1": "19", "ver:2.1": "0"},
        HTTP_HX_CURRENT_URL=f"http://testserver{form_page}",
        **HTMX,
    )
    assert (response.status_code, json.loads(response.content)) == (
        401,
        {"error": SESSION_ENDED, "login_url": f"/dang-nhap/?next={form_page.replace('/', '%2F')}"},
    )
    assert ReportValue.objects.filter(report=world.report_a).count() == 0


def test_a_section_autosave_after_logout_is_a_401_and_saves_nothing(world, client):
    _ended(client, world.officer)
    response = client.post(
        _page(world, "save-section", "I"), {"text": "Nội dung", "version": "0"}, **HTMX
    )
    assert (response.status_code, json.loads(response.content)["error"]) == (401, SESSION_ENDED)
    assert SectionText.objects.filter(report=world.report_a).count() == 0


def test_the_login_address_never_points_to_another_site(world, client):
    _ended(client, world.officer)
    response = client.post(
        _page(world, "save-section", "I"),
        {"text": "x"},
        HTTP_HX_CURRENT_URL="https://ke-gian.example/bao-cao/1/",
        **HTMX,
    )
    next_page = _page(world, "save-section", "I").replace("/", "%2F")
    assert json.loads(response.content)["login_url"] == f"/dang-nhap/?next={next_page}"


def test_the_api_after_logout_is_a_401_with_the_vietnamese_message(world, client):
    _ended(client, world.officer)
    response = client.put(
        reverse("api-section", args=[world.report_a.pk, "I"]),
        json.dumps({"text": "x", "version": 0}),
        content_type="application/json",
    )
    assert (response.status_code, json.loads(response.content)["error"]) == (401, SESSION_ENDED)


def test_pages_and_plain_form_posts_still_go_to_the_login_form_and_back_to_the_page(world, client):
    _ended(client, world.officer)
    form_page, section_page = _page(world, "form-entry", "BM1"), _page(world, "section-edit", "I")
    page = client.get(form_page)
    post = client.post(
        _page(world, "save-section", "I"),
        {"text": "x"},
        HTTP_REFERER=f"http://testserver{section_page}",
    )
    elsewhere = client.post(
        reverse("mark-done", args=[world.report_a.pk]), HTTP_REFERER="https://ke-gian.example/"
    )
    assert [(r.status_code, r["Location"]) for r in (page, post, elsewhere)] == [
        (302, f"/dang-nhap/?next={form_page}"),
        (302, f"/dang-nhap/?next={section_page}"),
        (302, f"/dang-nhap/?next=/bao-cao/{world.report_a.pk}/xong/"),
    ]


def test_a_refusal_to_a_logged_in_person_is_not_taken_for_an_ended_session(world, login):
    response = login(world.outsider).post(
        _page(world, "save-cell", "BM1"), {"code": "2.1", "field": "raw", "text": "1"}, **HTMX
    )
    assert response.status_code == 403


def test_the_form_page_carries_the_notice_and_its_scripts_only_for_those_who_may_edit(world, login):
    own = login(world.officer).get(_page(world, "form-entry", "BM1")).content.decode()
    other = login(world.colleague).get(_page(world, "form-entry", "BM1")).content.decode()
    assert [("session-ended" in body, "cchc/keep.js" in body) for body in (own, other)] == [
        (True, True),
        (False, False),
    ]
