"""An uploaded figure that reads two ways («3,887»: 3,887 or 3.887) is shown for
confirmation on the review screen and never saved until a reading is chosen."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from cchc.web.reporting.models import ReportValue

pytestmark = pytest.mark.django_db


def _review(world, client):
    workbook = client.get(reverse("report-export", args=[world.report_a.pk, "xlsx"])).content
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = next(
        s
        for s in book.worksheets
        if any("Kế hoạch được giao" in str(c.value) for r in s.iter_rows() for c in r)
    )
    row = next(
        r for r in sheet.iter_rows() if str(r[1].value or "").startswith("Kế hoạch được giao")
    )
    row[3].value = "3,887"  # Triệu đồng: three million and more, or three thousand and more
    buffer = io.BytesIO()
    book.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "tai-chinh.xlsx"
    return client.post(reverse("report-upload", args=[world.report_a.pk]), {"file": upload})


def test_the_review_offers_both_readings_and_saves_the_chosen_one(world, login) -> None:
    client = login(world.unit_admin)
    review = _review(world, client)
    html = review.content.decode()
    assert 'name="reading:BM6|1.1" value="3,8870"> 3,887</label>' in html
    assert 'name="reading:BM6|1.1" value="3887"> 3.887</label>' in html
    assert "checked" not in html.split('name="reading:BM6|1.1"')[1].split("</td>")[0]
    client.post(
        reverse("report-upload-confirm", args=[world.report_a.pk]),
        {"token": review.context["token"], "key": ["BM6|1.1"], "reading:BM6|1.1": "3887"},
    )
    assert ReportValue.objects.get(report=world.report_a, form="BM6", code="1.1").raw == "3887"


def test_an_unchosen_reading_is_not_settled_silently(world, login) -> None:
    client = login(world.unit_admin)
    review = _review(world, client)
    done = client.post(
        reverse("report-upload-confirm", args=[world.report_a.pk]),
        {"token": review.context["token"], "key": ["BM6|1.1"]},
        follow=True,
    )
    assert "«3,887» đọc được hai cách; hãy chọn một cách đọc" in done.content.decode()
    assert not ReportValue.objects.filter(report=world.report_a, form="BM6", code="1.1").exists()
    again = _review(world, client)  # a value typed over it on the review screen is the choice
    client.post(
        reverse("report-upload-confirm", args=[world.report_a.pk]),
        {"token": again.context["token"], "key": ["BM6|1.1"], "raw:BM6|1.1": "3,9"},
    )
    assert ReportValue.objects.get(report=world.report_a, form="BM6", code="1.1").raw == "3,9"
