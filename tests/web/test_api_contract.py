"""The API's description is made from its code, and bodies of the wrong shape are
answered in Vietnamese with the status of each case, saving nothing."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from cchc.core.limits import MAX_RAW_CHARS
from cchc.web.reporting.models import ReportValue, SectionText


def test_the_openapi_description_lists_every_operation_with_its_schemas(client) -> None:
    spec = client.get("/api/openapi.json").json()
    operations = {(path, method) for path, methods in spec["paths"].items() for method in methods}
    assert operations == {
        ("/api/bao-cao/{pk}/", "get"),
        ("/api/bao-cao/{pk}/so-lieu/", "put"),
        ("/api/bao-cao/{pk}/muc/{code}/", "get"),
        ("/api/bao-cao/{pk}/muc/{code}/", "put"),
    }
    schemas = spec["components"]["schemas"]
    assert set(schemas["ReportOut"]["properties"]) >= {"values", "computed", "narrative_findings"}
    assert schemas["ValueIn"]["properties"]["raw"]["maxLength"] == MAX_RAW_CHARS
    put = spec["paths"]["/api/bao-cao/{pk}/so-lieu/"]["put"]
    assert {"200", "400", "401", "403", "404", "409", "413"} <= set(put["responses"])
    assert {next(iter(s)) for s in put["security"]} == {"TokenAuth", "SessionAuth"}


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ("[1, 2]", 403, "Nội dung gửi lên phải là một đối tượng JSON."),
        ("{}", 400, "Cần «form» (mã biểu) và «values» {mã chỉ tiêu: {raw, note, version}}."),
        ('{"form": "BM1", "values": []}', 400, "Cần «form» (mã biểu)"),
        ('{"form": "BM1", "values": {"2.1": "19"}}', 400, "Giá trị của chỉ tiêu «2.1» phải là"),
        ('{"form": "BM1", "values": {"2.1": {"version": "x"}}}', 400, "Giá trị của chỉ tiêu «2.1»"),
        ("{'form': 1}", 403, "Nội dung gửi lên không phải JSON hợp lệ"),
    ],
)
def test_a_values_body_of_the_wrong_shape_is_refused_saying_why(
    world, login, body, status, error
) -> None:
    url = reverse("api-values", args=[world.report_a.pk])
    response = login(world.officer).put(url, body, content_type="application/json")
    assert (response.status_code, response.json()["error"][: len(error)]) == (status, error)
    assert not ReportValue.objects.filter(report=world.report_a).exists()


def test_post_and_patch_write_as_put_does_and_other_methods_say_which_to_use(world, login) -> None:
    client = login(world.officer)
    pk = world.report_a.pk
    body = json.dumps({"form": "BM1", "values": {"2.1": {"raw": 19}}})
    saved = client.post(reverse("api-values", args=[pk]), body, content_type="application/json")
    assert (saved.status_code, saved.json()["values"]["BM1"]["2.1"]["raw"]) == (200, "19")
    again = {
        "form": "BM1",
        "values": {"2.1": {"raw": "20", "version": saved.json()["saved"]["2.1"]}},
    }
    patched = client.patch(reverse("api-values", args=[pk]), again, content_type="application/json")
    assert patched.status_code == 200
    refused = [
        client.delete(reverse("api-report", args=[pk])),
        client.get(reverse("api-values", args=[pk])),
        client.delete(reverse("api-section", args=[pk, "I"])),
    ]
    assert [(r.status_code, r.json()["error"]) for r in refused] == [
        (405, "Chỉ hỗ trợ GET."),
        (405, "Dùng POST/PUT/PATCH để ghi số liệu."),
        (405, "Dùng GET để đọc, PUT để ghi."),
    ]


def test_a_section_written_with_an_empty_body_is_emptied_and_a_stale_version_is_a_409(
    world, login
) -> None:
    client = login(world.officer)
    url = reverse("api-section", args=[world.report_a.pk, "I"])
    first = client.put(url, {"text": "Đầu"}, content_type="application/json")
    assert first.json() == {"code": "I", "version": 1}
    stale = client.put(url, {"text": "Khác", "version": 0}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["conflict"]["current"] == "Đầu"
    emptied = client.put(url, "", content_type="application/json")
    assert emptied.status_code in (200, 409)
    assert client.get(url).json()["text"] == SectionText.objects.get(code="I").text


def test_a_save_answers_exactly_what_its_schema_describes(world, login) -> None:
    """The save's answer is rendered as built, not validated again: it must be its schema's."""
    from cchc.web.api.schemas import SavedReportOut

    SectionText.objects.create(
        report=world.report_a,
        code="I.1",
        text="Đã giải quyết 10 hồ sơ, trong đó đúng hạn 8 hồ sơ, quá hạn 1 hồ sơ.",
    )
    client = login(world.officer)
    url = reverse("api-values", args=[world.report_a.pk])
    body = {"form": "BM1", "values": {"2.1": {"raw": "4"}, "2.2": {"raw": "5", "note": "ghi"}}}
    saved = client.put(url, json.dumps(body), content_type="application/json")
    stale = {"form": "BM1", "values": {"2.1": {"raw": "6", "version": 0}}}
    conflict = client.put(url, json.dumps(stale), content_type="application/json")
    assert (saved.status_code, conflict.status_code) == (200, 409)
    assert saved["Content-Type"] == "application/json; charset=utf-8"
    for response in (saved, conflict):
        answer = response.json()
        assert answer["findings"] and answer["narrative_findings"] and answer["sections"]
        assert answer == SavedReportOut.model_validate(answer).model_dump(mode="json")
    assert saved.json()["computed"]["BM1"]["2"] == 125.0
    assert conflict.json()["conflicts"] == {
        "2.1": {"current": "4", "version": 1, "by": world.officer.get_full_name() or "officer"}
    }
    assert "Đã giải quyết 10 hồ sơ" in saved.content.decode("utf-8")  # Vietnamese as written
