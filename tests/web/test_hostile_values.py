"""No value can break a report: a figure of 29 digits, a NUL byte, a text too long.

Values beyond what a report holds are refused where they are typed (cell,
API, section editor, import review) with a Vietnamese message; one already in
the database (written by older code) is shown as written and flagged, and every
page and file of the report still opens. SQLite and PostgreSQL answer the same.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from cchc.core.limits import MAX_NOTE_CHARS, MAX_RAW_CHARS
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import AuditEvent, ReportState, ReportValue, SectionText

HUGE = "12345678901234567890123456789"  # 29 digits, under the rate BM1 2 = 2.2 / 2.1 * 100


def _store_directly(world, raw: str, code: str = "2.2", note: str = "") -> None:
    """What older code let through: the row as it sits in the database."""
    ReportValue.objects.create(report=world.report_a, form="BM1", code="2.1", raw="19")
    ReportValue.objects.create(report=world.report_a, form="BM1", code=code, raw=raw, note=note)


def _findings(world, client) -> list[dict]:
    response = client.get(reverse("api-report", args=[world.report_a.pk]))
    assert response.status_code == 200
    return response.json()["findings"]


def test_a_stored_29_digit_value_leaves_every_page_and_file_of_the_report_open(
    world, login
) -> None:
    _store_directly(world, HUGE)
    client = login(world.leader)
    pk = world.report_a.pk
    pages = [
        reverse("form-entry", args=[pk, "BM1"]),
        reverse("report-detail", args=[pk]),
        reverse("api-report", args=[pk]),
        reverse("report-export", args=[pk, "docx"]),
        reverse("report-export", args=[pk, "xlsx"]),
        reverse("report-audit", args=[pk]),
    ]
    assert [client.get(p).status_code for p in pages] == [200] * len(pages)
    assert HUGE in client.get(pages[0]).content.decode()  # shown as written
    flagged = [f for f in _findings(world, client) if f["rule"] == "number-too-long"]
    assert [(f["form"], f["codes"], f["values"]) for f in flagged] == [
        ("BM1", ["2.2"], {"2.2": HUGE})
    ]
    assert flagged[0]["message"] == (
        "Biểu mẫu 1, chỉ tiêu 2.2 «Số nhiệm vụ đã hoàn thành»: «12345678901234567890123456789» "
        "có 29 chữ số phần nguyên, vượt giới hạn của một số liệu "
        "(tối đa 18 chữ số phần nguyên và 15 chữ số thập phân)."
    )
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(pages[4]).content)).worksheets[0]
    assert HUGE in [c.value for row in sheet.iter_rows() for c in row]  # kept as text


# What older code stored: PostgreSQL refused a NUL or more than 200 characters (with a 500),
# SQLite kept them.
OLD_ROWS = [
    ("9" * 5000, "number-too-long", False),
    ("1" * 250, "number-too-long", False),
    ("1\x005", "unreadable-value", False),
    ("1" * 40, "number-too-long", True),
]


@pytest.mark.parametrize(("raw", "rule", "everywhere"), OLD_ROWS)
def test_any_value_stored_by_older_code_is_flagged_and_the_report_still_opens(
    world, login, raw, rule, everywhere
) -> None:
    if connection.vendor != "sqlite" and not everywhere:
        pytest.skip("PostgreSQL never stored this value")
    _store_directly(world, raw)
    client = login(world.leader)
    pk = world.report_a.pk
    pages = [
        reverse("form-entry", args=[pk, "BM1"]),
        reverse("report-detail", args=[pk]),
        reverse("report-export", args=[pk, "docx"]),
        reverse("report-export", args=[pk, "xlsx"]),
    ]
    assert [client.get(p).status_code for p in pages] == [200] * len(pages)
    assert [(f["rule"], f["codes"]) for f in _findings(world, client)] == [(rule, ["2.2"])]


def test_a_report_with_a_stored_29_digit_value_can_be_approved_submitted_and_consolidated(
    world, login
) -> None:
    _store_directly(world, HUGE)
    client = login(world.leader)
    url = reverse("report-transition", args=[world.report_a.pk])
    approved = client.post(url, {"action": "approve", "reason": "Số liệu sẽ sửa sau."})
    submitted = client.post(url, {"action": "submit"})
    assert (approved.status_code, submitted.status_code) == (302, 302)
    world.report_a.refresh_from_db()
    assert world.report_a.state == ReportState.SUBMITTED
    reviewer = login(world.reviewer)
    consolidation = reviewer.get(reverse("round-consolidation", args=[world.round.pk]))
    assert consolidation.status_code == 200


def test_a_29_digit_value_typed_in_a_cell_is_refused_in_the_cell_and_18_digits_are_saved(
    world, login
) -> None:
    client = login(world.officer)
    response = client.post(
        reverse("save-cell", args=[world.report_a.pk, "BM1"]),
        {"code": "2.2", "field": "raw", "text": HUGE, "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert (
        "Biểu mẫu 1, chỉ tiêu 2.2: giá trị «12345678901234567890123456789» có 29 chữ số "
        "phần nguyên" in response.content.decode()
    )
    assert ReportValue.objects.filter(report=world.report_a).count() == 0
    assert AuditEvent.objects.filter(report=world.report_a, action="value-saved").count() == 0
    largest = client.post(
        reverse("save-cell", args=[world.report_a.pk, "BM1"]),
        {"code": "2.2", "field": "raw", "text": "999.999.999.999.999.999", "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert "Đã lưu" in largest.content.decode()
    assert ReportValue.objects.get(report=world.report_a, code="2.2").raw == (
        "999.999.999.999.999.999"
    )


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"raw": HUGE}, "có 29 chữ số phần nguyên"),
        ({"raw": "1\x002"}, "có ký tự rỗng (NUL) (mã 0) ở vị trí 2"),
        ({"raw": "1" * 300}, "dài 300 ký tự"),
        ({"raw": "x" * (MAX_RAW_CHARS + 1)}, f"vượt giới hạn {MAX_RAW_CHARS} ký tự"),
        ({"note": "ghi chú\x00"}, "ghi chú có ký tự rỗng (NUL)"),
        ({"note": "n" * (MAX_NOTE_CHARS + 1)}, "ghi chú dài 2.001 ký tự, vượt giới hạn 2.000"),
    ],
)
def test_the_api_refuses_a_value_no_report_holds_with_400_and_saves_nothing(
    world, login, item, problem
) -> None:
    client = login(world.officer)
    response = client.put(
        reverse("api-values", args=[world.report_a.pk]),
        json.dumps({"form": "BM1", "values": {"2.1": {"raw": "19"}, "2.2": item}}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN="x",
        HTTP_AUTHORIZATION="",
    )
    assert response.status_code == 400
    body = response.json()
    assert list(body["problems"]) == ["2.2"]
    assert problem in body["problems"]["2.2"]
    assert body["error"].endswith("Chưa lưu gì.")
    assert ReportValue.objects.filter(report=world.report_a).count() == 0


def test_a_section_text_with_a_nul_byte_is_refused_in_the_editor(world, login) -> None:
    client = login(world.officer)
    url = reverse("save-section", args=[world.report_a.pk, "I"])
    htmx = client.post(url, {"text": "Đầu\x00cuối", "version": "0"}, HTTP_HX_REQUEST="true")
    plain = client.post(url, {"text": "Đầu\x00cuối", "version": "0"})
    assert htmx.status_code == 200
    assert "Nội dung mục I có ký tự rỗng (NUL) (mã 0) ở vị trí 4" in htmx.content.decode()
    assert plain.status_code == 400
    assert "ký tự rỗng (NUL)" in plain.content.decode()
    assert SectionText.objects.filter(report=world.report_a).count() == 0


def test_a_section_text_of_many_pages_is_saved_and_one_beyond_the_limit_is_refused(
    world, login
) -> None:
    client = login(world.officer)
    url = reverse("api-section", args=[world.report_a.pk, "I"])
    pages = ("Kết quả thực hiện nhiệm vụ cải cách hành chính. " * 60 + "\n") * 60  # ~60 pages
    saved = client.put(url, json.dumps({"text": pages}), content_type="application/json")
    assert saved.status_code == 200
    too_long = client.put(
        url, json.dumps({"text": "x" * 200_001, "version": 1}), content_type="application/json"
    )
    assert too_long.status_code == 400
    assert too_long.json()["problems"] == {
        "I": "Nội dung mục I dài 200.001 ký tự, vượt giới hạn 200.000 ký tự."
    }
    assert SectionText.objects.get(report=world.report_a, code="I").text == pages


def test_the_import_review_marks_a_29_digit_value_as_not_importable(world, login) -> None:
    saving.save_values(
        user=world.officer, report=world.report_a, form="BM1", changes={"2.1": ("19", None)}
    )
    client = login(world.officer)
    workbook = client.get(reverse("report-export", args=[world.report_a.pk, "xlsx"])).content
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows() if str(r[0].value or "").rstrip(".") == "2.2")
    row[3].value = HUGE
    buffer = io.BytesIO()
    book.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "bieu.xlsx"
    review = client.post(reverse("report-upload", args=[world.report_a.pk]), {"file": upload})
    assert review.status_code == 200
    refused = [(r["key"], r["may_edit"]) for r in review.context["rows"] if r["refused"]]
    assert refused == [("BM1|2.2", False)]
    assert "có 29 chữ số phần nguyên" in review.content.decode()
    forged = client.post(
        reverse("report-upload-confirm", args=[world.report_a.pk]),
        {"token": review.context["token"], "key": ["BM1|2.2"], "raw:BM1|2.2": HUGE},
        follow=True,
    )
    assert forged.status_code == 200
    assert not ReportValue.objects.filter(report=world.report_a, code="2.2").exists()


def test_a_nul_byte_in_a_posted_form_or_query_is_a_400_on_every_database(world, login) -> None:
    client = login(world.leader)
    pk = world.report_a.pk
    transition = client.post(
        reverse("report-transition", args=[pk]), {"action": "approve", "reason": "a\x00b"}
    )
    query = client.get(reverse("round-dashboard", args=[world.round.pk]), {"trang-thai": "\x00"})
    api = client.get(reverse("api-section", args=[pk, "I"]).replace("/I/", "/I%00/"))
    assert (transition.status_code, query.status_code, api.status_code) == (400, 400, 400)
    assert "Trường «reason» có ký tự rỗng (NUL)" in transition.content.decode()
    assert api.json() == {"error": "Địa chỉ có ký tự rỗng (NUL), không hợp lệ."}
    world.report_a.refresh_from_db()
    assert world.report_a.state == ReportState.DRAFT
    client.logout()
    login_page = client.post(reverse("login"), {"username": "leader\x00", "password": "x"})
    assert login_page.status_code == 400


def test_a_stored_note_with_control_characters_still_exports(world, login) -> None:
    # PostgreSQL never stored a NUL (it refused with a 500); SQLite kept it silently.
    nul = "\x00" if connection.vendor == "sqlite" else ""
    _store_directly(world, "15", note=f"ghi{nul}chú\x0bcũ")
    client = login(world.leader)
    pk = world.report_a.pk
    for fmt in ("docx", "xlsx"):
        assert client.get(reverse("report-export", args=[pk, fmt])).status_code == 200


def test_save_all_without_scripts_refuses_the_form_naming_the_indicator(world, login) -> None:
    client = login(world.officer)
    response = client.post(
        reverse("form-entry", args=[world.report_a.pk, "BM1"]),
        {"v:2.1": "19", "ver:2.1": "0", "v:2.2": HUGE, "ver:2.2": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Biểu mẫu 1, chỉ tiêu 2.2: giá trị «12345678901234567890123456789» có 29 chữ số "
        "phần nguyên, vượt giới hạn của một số liệu (tối đa 18 chữ số phần nguyên và 15 chữ "
        "số thập phân). Chưa lưu giá trị nào của biểu."
    ]
    assert ReportValue.objects.filter(report=world.report_a).count() == 0
