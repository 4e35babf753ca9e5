"""Download a report as Word/Excel; upload a filled workbook, review it, then save."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import ReportValue, TemplateVersion
from cchc.web.reporting.template_versions import store


def _fill(world) -> None:
    saving.save_values(
        user=world.officer,
        report=world.report_a,
        form="BM1",
        changes={"2.1": ("19", None), "2.2": ("15", None)},
    )


@pytest.mark.parametrize(("fmt", "magic"), [("docx", b"PK"), ("xlsx", b"PK")])
def test_a_report_downloads_as_an_office_file(world, login, fmt, magic) -> None:
    _fill(world)
    response = login(world.leader).get(reverse("report-export", args=[world.report_a.pk, fmt]))
    assert response.status_code == 200
    assert response.content[:2] == magic
    assert re.fullmatch(
        rf'attachment; filename="bao-cao-xa-an-2026-h2\.{fmt}"', response["Content-Disposition"]
    )


def test_another_commune_cannot_download_the_report(world, login) -> None:
    response = login(world.outsider).get(reverse("report-export", args=[world.report_a.pk, "xlsx"]))
    assert response.status_code == 403


def test_an_uploaded_workbook_is_reviewed_before_anything_is_saved(world, login) -> None:
    _fill(world)
    client = login(world.officer)
    workbook = client.get(reverse("report-export", args=[world.report_a.pk, "xlsx"])).content
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows() if str(r[0].value or "").rstrip(".") == "1")
    row[3].value = 7  # Số văn bản chỉ đạo CCHC đã ban hành
    buffer = io.BytesIO()
    book.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "bieu-mau-da-dien.xlsx"
    review = client.post(reverse("report-upload", args=[world.report_a.pk]), {"file": upload})
    assert review.status_code == 200
    assert ReportValue.objects.filter(report=world.report_a, code="1").count() == 0  # nothing yet
    keys = [r["key"] for r in review.context["rows"] if not r["same"]]
    assert keys == ["BM1|1"]
    done = client.post(
        reverse("report-upload-confirm", args=[world.report_a.pk]),
        {"token": review.context["token"], "key": keys},
    )
    assert done.status_code == 302
    assert ReportValue.objects.get(report=world.report_a, form="BM1", code="1").raw == "7"


def test_a_file_that_is_not_an_office_file_is_refused_with_its_name(world, login) -> None:
    client = login(world.officer)
    upload = io.BytesIO(b"not a zip at all")
    upload.name = "hong.xlsx"
    response = client.post(
        reverse("report-upload", args=[world.report_a.pk]), {"file": upload}, follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "hong.xlsx" in text
    assert ReportValue.objects.filter(report=world.report_a).count() == 0


def test_a_template_inferred_from_an_uploaded_report_is_reviewed_then_published(
    world, login
) -> None:
    from django.contrib.auth import get_user_model

    from cchc.web.reporting.models import TemplateDraft
    from tests.seeds import SEED_002

    admin = get_user_model().objects.create_superuser("root", password="x")
    client = login(admin)
    upload = io.BytesIO(SEED_002.read_bytes())
    upload.name = "ha-vinh-9-thang.txt"
    shown = client.post(reverse("template-list"), {"report_file": upload})
    draft = TemplateDraft.objects.get(source="inferred")
    assert shown.url == reverse("template-draft", args=[draft.pk])
    assert draft.title == "Mẫu suy ra từ ha-vinh-9-thang.txt" and "kind: shares_le_100" in (
        draft.yaml_text
    )
    saved = client.post(reverse("template-draft-publish", args=[draft.pk]))
    assert saved.status_code == 302
    version = TemplateVersion.objects.get(source="inferred")
    assert (
        version.template_id.startswith("suy-ra-")
        and store.template_of(version).indicator_count == 81
    )
