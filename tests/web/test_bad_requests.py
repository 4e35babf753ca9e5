"""Unknown ids, bad query parameters and oversized bodies: 404/400/413 with a Vietnamese
message (JSON with an `error` under /api/), never a 500, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse

HUGE_ID = "9" * 25  # beyond a 64-bit key


@pytest.mark.parametrize("bad", ["999999", HUGE_ID, "abc"])
def test_an_unknown_or_malformed_id_under_the_api_is_a_json_404(world, login, bad) -> None:
    client = login(world.officer)
    body = json.dumps({"form": "BM1", "values": {"1": {"raw": "3"}}})
    answers = [
        client.get(f"/api/bao-cao/{bad}/"),
        client.put(f"/api/bao-cao/{bad}/so-lieu/", body, content_type="application/json"),
        client.get(f"/api/bao-cao/{bad}/muc/I/"),
    ]
    assert [(r.status_code, r["Content-Type"]) for r in answers] == [(404, "application/json")] * 3
    assert [r.json() for r in answers] == [{"error": "Không tìm thấy trang hoặc mục này."}] * 3


def test_an_unknown_form_or_section_is_a_404_naming_nothing_else(world, login) -> None:
    client = login(world.officer)
    pk = world.report_a.pk
    form = client.get(reverse("form-entry", args=[pk, "BM99"]))
    section = client.get(reverse("section-edit", args=[pk, "IX.9"]))
    assert (form.status_code, section.status_code) == (404, 404)
    assert "Không có biểu này." in form.content.decode()
    assert "Không có mục này." in section.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "Năm «abc» không hợp lệ: cần một số như 2026."),
        ({"year": "99999"}, "Năm «99999» không hợp lệ: cần một số như 2026."),
        ({"year": "1900"}, "Năm 1900 nằm ngoài khoảng 2000–2099."),
        ({"year": "２０２６"}, "Năm «２０２６» không hợp lệ: cần một số như 2026."),
        ({"period": "abc"}, "Kỳ báo cáo «abc» không có trong danh sách."),
    ],
)
def test_a_bad_query_parameter_on_the_round_form_is_a_400_saying_why(
    world, login, query, message
) -> None:
    response = login(world.reviewer).get(reverse("round-create"), query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_json_body_with_an_integer_of_thousands_of_digits_is_refused(world, login) -> None:
    body = '{"form": "BM1", "values": {"2.1": {"raw": ' + "9" * 5000 + "}}}"
    response = login(world.officer).put(
        reverse("api-values", args=[world.report_a.pk]), body, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"].startswith("Nội dung gửi lên không phải JSON hợp lệ")


def test_an_upload_declared_too_large_is_refused_before_it_is_read(world, login, settings) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    client = login(world.officer)
    upload = io.BytesIO(b"x" * 100)
    upload.name = "bao-cao.txt"
    response = client.post(
        reverse("report-upload", args=[world.report_a.pk]),
        {"file": upload},
        CONTENT_LENGTH=str(50 * 1024 * 1024),  # what the client says it will send
    )
    assert response.status_code == 413
    assert "Nội dung gửi lên quá lớn (50 MB); cchc chỉ nhận tệp đến 1 MB." in (
        response.content.decode()
    )


def test_an_api_body_declared_too_large_is_a_json_413(world, login, settings) -> None:
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    response = login(world.officer).put(
        reverse("api-values", args=[world.report_a.pk]),
        json.dumps({"form": "BM1", "values": {}}),
        content_type="application/json",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": "Nội dung gửi lên quá lớn (3 MB); cchc chỉ nhận tệp đến 1 MB."
    }


def test_a_token_with_a_nul_byte_is_a_401_on_every_database(world, client) -> None:
    response = client.get(
        reverse("api-report", args=[world.report_a.pk]),
        HTTP_AUTHORIZATION="Bearer cchc_abcde\x00012345_secret",
    )
    assert response.status_code == 401
    assert response.json()["error"].startswith("Mã API không")


def test_an_unknown_form_indicator_or_section_under_the_api_is_a_404_or_400(world, login) -> None:
    client = login(world.officer)
    pk = world.report_a.pk

    def put(form: str, code: str):
        body = json.dumps({"form": form, "values": {code: {"raw": "1"}}})
        return client.put(reverse("api-values", args=[pk]), body, content_type="application/json")

    answers = [
        put("BM99", "1"),
        put("BM1", "9.9.9"),
        client.get(reverse("api-section", args=[pk, "IX.9"])),
        client.put(
            reverse("api-section", args=[pk, "IX.9"]),
            json.dumps({"text": "…"}),
            content_type="application/json",
        ),
    ]
    assert [(r.status_code, r.json()) for r in answers] == [
        (404, {"error": "Mẫu của báo cáo không có biểu «BM99»."}),
        (400, {"error": "Biểu mẫu 1 không có chỉ tiêu mã «9.9.9»."}),
        (404, {"error": "Đề cương của báo cáo không có mục «IX.9»."}),
        (404, {"error": "Đề cương của báo cáo không có mục «IX.9»."}),
    ]
