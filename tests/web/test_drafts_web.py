"""«Gợi ý nội dung» in the section editor: a draft from the report's figures, used
only on a click; an upper unit's draft gathers what its communes sent."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType, Window
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import AuditEvent, SectionText, TemplateVersion
from cchc.web.reporting.workflow import services

pytestmark = pytest.mark.django_db

SENTENCE = (
    "Trong kỳ, tổng số hồ sơ TTHC đã giải quyết xong là 1.230 hồ sơ, "
    "số hồ sơ TTHC giải quyết đúng hạn là 1.226 hồ sơ (đạt 99,67%)."
)


def _figures(world, report=None) -> None:
    saving.save_values(
        user=world.unit_admin,
        report=report or world.report_a,
        form="BM3",
        changes={"3.3.1": ("1230", None), "3.3.2": ("1226", None)},
    )


def _draft_url(report, code="II.2.3.3") -> str:
    return reverse("section-draft", args=[report.pk, code])


def test_the_draft_is_shown_with_its_figures_and_nothing_is_saved(world, login) -> None:
    _figures(world)
    client = login(world.unit_admin)
    editor = client.get(reverse("section-edit", args=[world.report_a.pk, "II.2.3.3"]))
    assert f'hx-get="{_draft_url(world.report_a)}"' in editor.content.decode()
    html = client.get(_draft_url(world.report_a), HTTP_HX_REQUEST="true").content.decode()
    assert f">{SENTENCE}</textarea>" in html
    row = '<td>3.3.1. Tổng số hồ sơ TTHC đã giải quyết xong</td><td class="num">1.230 hồ sơ</td>'
    assert row in html
    assert "Dùng gợi ý này" in html and "Thêm vào cuối" not in html
    assert not world.report_a.sections.filter(code="II.2.3.3").exists()
    page = client.get(_draft_url(world.report_a))  # without htmx: a page of its own
    assert "<h1>Gợi ý nội dung: " in page.content.decode()


def test_using_the_edited_draft_saves_it_through_the_editor(world, login) -> None:
    _figures(world)
    client = login(world.unit_admin)
    edited = SENTENCE + " Không có hồ sơ quá hạn."
    response = client.post(
        reverse("use-section-draft", args=[world.report_a.pk, "II.2.3.3"]),
        {"draft": edited, "mode": "replace", "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.headers["HX-Redirect"] == reverse(
        "section-edit", args=[world.report_a.pk, "II.2.3.3"]
    )
    row = world.report_a.sections.get(code="II.2.3.3")
    assert (row.text, row.version) == (edited, 1)
    assert AuditEvent.objects.filter(report=world.report_a).exists()
    html = client.get(_draft_url(world.report_a), HTTP_HX_REQUEST="true").content.decode()
    assert "Thay nội dung hiện có bằng gợi ý" in html and "Thêm vào cuối nội dung hiện có" in html
    client.post(
        reverse("use-section-draft", args=[world.report_a.pk, "II.2.3.3"]),
        {"draft": "Câu thêm.", "mode": "append", "draft_version": "1"},
    )
    assert world.report_a.sections.get(code="II.2.3.3").text == f"{edited}\n\nCâu thêm."


def test_a_stale_draft_does_not_overwrite_a_newer_text(world, login) -> None:
    _figures(world)
    saving.save_section(
        user=world.unit_admin,
        report=world.report_a,
        code="II.2.3.3",
        text="Mới.",
        base_version=None,
    )
    client = login(world.unit_admin)
    response = client.post(
        reverse("use-section-draft", args=[world.report_a.pk, "II.2.3.3"]),
        {"draft": SENTENCE, "mode": "replace", "draft_version": "0"},
        follow=True,
    )
    assert "Người khác vừa lưu mục này; gợi ý chưa được đưa vào." in response.content.decode()
    assert world.report_a.sections.get(code="II.2.3.3").text == "Mới."


def test_refusals_are_clear_and_save_nothing(world, login) -> None:
    _figures(world)
    outsider = login(world.outsider)
    assert outsider.get(_draft_url(world.report_a)).status_code in (403, 404)
    response = outsider.post(
        reverse("use-section-draft", args=[world.report_a.pk, "II.2.3.3"]),
        {"draft": SENTENCE, "mode": "replace"},
    )
    assert response.status_code in (403, 404)
    officer = login(world.officer)  # sees the report, is not assigned the section
    assert "Dùng gợi ý này" not in officer.get(_draft_url(world.report_a)).content.decode()
    refused = officer.post(
        reverse("use-section-draft", args=[world.report_a.pk, "II.2.3.3"]),
        {"draft": SENTENCE, "mode": "replace"},
    )
    assert refused.status_code == 403
    client = login(world.unit_admin)
    assert client.get(_draft_url(world.report_a, "KHONG-CO")).status_code == 404
    empty = client.post(
        reverse("use-section-draft", args=[world.report_a.pk, "II.2.3.3"]),
        {"draft": "  ", "mode": "replace"},
        follow=True,
    )
    assert "Gợi ý trống" in empty.content.decode()
    assert not world.report_a.sections.filter(code="II.2.3.3").exists()
    plan = client.get(_draft_url(world.report_a, "IV"), HTTP_HX_REQUEST="true")
    assert 'id="draft-empty"' in plan.content.decode()


def test_the_province_draft_gathers_what_its_communes_sent(world, login) -> None:
    upper = services.open_round(
        user=world.ministry_reviewer,
        issuer=world.ministry,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, 2026, 2),
        units=[world.province],
        window_override=Window(date(2026, 6, 15), date(2026, 12, 14)),
        deadline=timezone.make_aware(datetime(2099, 12, 20, 17, 0)),
    )
    province_report = upper.reports.get()
    _figures(world)
    saving.save_section(
        user=world.unit_admin,
        report=world.report_a,
        code="II.2.3.3",
        text="Tổng số hồ sơ TTHC đã giải quyết xong là 1.230 hồ sơ. Trả kết quả đúng hẹn.",
        base_version=None,
    )
    SectionText.objects.create(report=world.report_b, code="II.2.3.3", text="Chưa gửi: không gom.")
    services.approve_report(user=world.leader, report=world.report_a, reason="như bản giấy")
    services.submit_report(user=world.leader, report=world.report_a)
    html = login(world.reviewer).get(_draft_url(province_report), HTTP_HX_REQUEST="true")
    text = html.content.decode()
    assert "Xã An: Trả kết quả đúng hẹn." in text
    assert "Chưa gửi" not in text and "1.230" not in text
    assert "Nội dung gom từ: Xã An." in text
