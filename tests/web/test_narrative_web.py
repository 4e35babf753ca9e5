"""Narrative findings in the web: the section editor marks the sentence, the report
page lists them with the table's findings; what is shown is the core's own check."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.core.narrative import check_report_narrative
from cchc.web.reporting.entry import saving
from cchc.web.reporting.template_versions.store import template_of

pytestmark = pytest.mark.django_db

BAD = (
    "Trong kỳ đã tiếp nhận 120 hồ sơ.\n"
    "Đã giải quyết 100 hồ sơ, trong đó đúng hạn 90 hồ sơ, quá hạn 5 hồ sơ."
)
MESSAGE = (
    "Mục II.2 «Cải cách thủ tục hành chính (TTHC)»: «Đã giải quyết 100 hồ sơ, trong đó đúng "
    "hạn 90 hồ sơ, quá hạn 5 hồ sơ.» — các phần 90 + 5 = 95, không bằng tổng 100 nêu cùng câu "
    "(các phần này phải cộng đúng bằng tổng)."
)


def _write(world, text: str) -> None:
    saving.save_section(
        user=world.unit_admin, report=world.report_a, code="II.2", text=text, base_version=None
    )


def test_the_section_editor_marks_the_sentence_whose_parts_do_not_add_up(world, login) -> None:
    _write(world, BAD)
    page = login(world.officer).get(reverse("section-edit", args=[world.report_a.pk, "II.2"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<li class="sev-error" id="nf-1">Dòng 2: {MESSAGE}</li>' in html
    assert '<mark class="sev-error" id="nm-1" title="' in html
    assert ">Đã giải quyết 100 hồ sơ, trong đó đúng hạn 90 hồ sơ, quá hạn 5 hồ sơ.</mark>" in html


def test_saving_a_corrected_section_clears_its_narrative_findings(world, login) -> None:
    _write(world, BAD)
    client = login(world.unit_admin)
    version = world.report_a.sections.get(code="II.2").version
    fixed = BAD.replace("quá hạn 5", "quá hạn 10")
    response = client.post(
        reverse("save-section", args=[world.report_a.pk, "II.2"]),
        {"text": fixed, "version": version},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'id="narrative-findings" hx-swap-oob="true"' in html
    assert "Không thấy con số nào mâu thuẫn trong nội dung mục này." in html


def test_the_report_page_lists_narrative_findings_with_a_link_to_the_section(world, login) -> None:
    _write(world, BAD)
    page = login(world.leader).get(reverse("report-detail", args=[world.report_a.pk]))
    html = page.content.decode()
    link = reverse("section-edit", args=[world.report_a.pk, "II.2"])
    assert (
        f'<li class="sev-error">{MESSAGE} <a href="{link}#narrative-findings">Sửa mục II.2</a></li>'
        in html
    )


def test_a_sibling_communes_officer_sees_no_narrative_of_another_commune(world, login) -> None:
    _write(world, BAD)
    page = login(world.outsider).get(reverse("section-edit", args=[world.report_a.pk, "II.2"]))
    assert page.status_code in (403, 404)
    assert MESSAGE not in page.content.decode()


def test_the_api_gives_the_narrative_findings_with_the_sentence_offsets(world, login) -> None:
    _write(world, BAD)
    data = login(world.officer).get(reverse("api-report", args=[world.report_a.pk])).json()
    (f,) = data["narrative_findings"]
    start, end = f["values"]["start"], f["values"]["end"]
    assert (f["rule"], f["severity"], f["line"], f["message"]) == (
        "narrative-parts-sum",
        "error",
        2,
        MESSAGE,
    )
    assert BAD[start:end] == f["values"]["sentence"]


def test_the_narrative_check_reads_the_texts_only_and_finds_what_the_whole_report_does(
    world, monkeypatch
) -> None:
    """Every API save answers with the narrative findings: they come from the section
    texts alone, equal to those of the whole report the writers get."""
    _write(world, BAD)
    template = template_of(world.report_a.round.template)
    values = saving.check_report(world.report_a).values
    whole = check_report_narrative(saving.report_content(world.report_a), template, values)
    monkeypatch.setattr(saving, "details_of", lambda *a: pytest.fail("details were read"))
    found = saving.check_narrative_of(world.report_a)
    assert [f.message for f in found.findings] == [f.message for f in whole.findings]
    assert MESSAGE in [f.message for f in found.findings]
