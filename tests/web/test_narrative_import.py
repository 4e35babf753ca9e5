"""An old report's narrative comes in with its figures: each part into its section of the
outline, shown on the review screen first, saved only on «Nhập», written to the log.

Seeds 001 (pl-2024, as text) and 002 (ha-trung-9t-2022, rebuilt as a Word file) are
real reports: 002 numbers the parts of its section 2.3 as «3.1.» and «3.2.».
"""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType, Window
from cchc.importers.report_file import import_report
from cchc.web.reporting.audit.history import describe
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import (
    Assignment,
    AuditEvent,
    PartKind,
    SectionText,
    TemplateVersion,
)
from cchc.web.reporting.workflow import services
from tests.seed_docx import seed_as_docx
from tests.seeds import SEED_001, SEED_002


def _report(world, template_id: str, year: int):
    rnd = services.open_round(
        user=world.reviewer,
        issuer=world.province,
        template=TemplateVersion.objects.get(template_id=template_id),
        period=Period(PeriodType.HALF_YEAR, year, 1),
        units=[world.commune_a],
        window_override=Window(date(year - 1, 12, 15), date(year, 6, 14)),
        deadline=timezone.make_aware(datetime(2099, 6, 16, 17, 0)),
    )
    return rnd.reports.get()


def _upload(client, report, name: str, data: bytes):
    upload = io.BytesIO(data)
    upload.name = name
    response = client.post(reverse("report-upload", args=[report.pk]), {"file": upload})
    assert response.status_code == 200, response.content[:400]
    return response


def _ticked(review) -> dict[str, str]:
    """What the review screen sends as it is shown: ticked parts and their sections, and
    the first reading of each figure that reads two ways."""
    data = {"token": review.context["token"], "section": [], "key": []}
    for s in review.context["sections"]:
        data[f"target:{s['n']}"] = s["target"]
        if s["checked"]:
            data["section"].append(str(s["n"]))
    data["key"] = [r["key"] for r in review.context["rows"] if r["may_edit"] and not r["same"]]
    for r in review.context["rows"]:  # a figure that reads two ways waits for a choice
        if r["may_edit"] and r.get("ambiguous"):
            data[f"reading:{r['key']}"] = r["readings"][0][0]
    return data


def _texts(report) -> dict[str, str]:
    return dict(SectionText.objects.filter(report=report).values_list("code", "text"))


@pytest.fixture
def pl_report(world):
    return _report(world, "pl-2024", 2024)


def test_seed_001_narrative_is_reviewed_then_saved_into_its_sections(world, login, pl_report):
    client = login(world.leader)
    review = _upload(client, pl_report, "bao-cao-huong-son.txt", SEED_001.read_bytes())
    sections = review.context["sections"]
    assert review.context["sections_matched"] == (22, 21)  # the opening matches no section
    assert [s["target"] for s in sections][:3] == ["", "I.1", "I.2"]
    assert sections[0]["checked"] is False
    assert all(s["checked"] for s in sections[1:])
    html = review.content.decode()
    assert "Phần mở đầu (trước mục đầu tiên)" in html
    assert "1. Xây dựng, ban hành chương trình kế hoạch CCHC" in html
    assert "Căn cứ Quyết định số 06/QĐ-UBND ngày 03" in html  # the text's preview
    assert _texts(pl_report) == {}  # nothing saved by the review

    done = client.post(reverse("report-upload-confirm", args=[pl_report.pk]), _ticked(review))
    assert done.status_code == 302
    texts = _texts(pl_report)
    expected = {p.code: p.text for p in import_report(SEED_001).document.narrative if p.code}
    assert len(texts) == 21
    assert texts["I.3"] == expected["I.3"]
    assert texts["IV.7"] == expected["IV.7"]
    assert texts["V"].startswith("Không có\n\nTrên đây là Báo cáo")  # the heading's own words
    assert _figures(pl_report) == 55  # six rates the file only had as computed
    events = AuditEvent.objects.filter(report=pl_report)
    assert events.filter(action="section-saved").count() == 21
    entry = events.get(action="file-imported")
    assert (entry.user, entry.after["values"], len(entry.after["sections"])) == (
        world.leader,
        55,
        21,
    )
    assert describe(entry) == (
        "Nhập từ tệp «bao-cao-huong-son.txt»: 55 giá trị và 21 mục đề cương."
    )
    page = client.get(reverse("report-detail", args=[pl_report.pk]), follow=True)
    assert (
        "Đã nhập 55 giá trị và 21 mục đề cương từ bao-cao-huong-son.txt." in page.content.decode()
    )


def _figures(report) -> int:
    return report.values.exclude(raw="").count()


def test_seed_002_as_a_word_file_puts_misnumbered_parts_under_their_titles(world, login):
    report = _report(world, "ha-trung-9t-2022", 2022)
    client = login(world.leader)
    review = _upload(client, report, "bao-cao-ha-vinh.docx", seed_as_docx(SEED_002))
    rows = {s["match"].heading[:4]: s for s in review.context["sections"]}
    assert (rows["3.1."]["target"], rows["3.1."]["match"].how) == ("2.3.1", "title")
    assert (rows["3.2."]["target"], rows["3.2."]["match"].how) == ("2.3.2", "title")
    assert "khớp theo tên đề mục (số thứ tự khác)" in review.content.decode()
    client.post(reverse("report-upload-confirm", args=[report.pk]), _ticked(review))
    texts = _texts(report)
    assert texts["2.3.1"].startswith("Hiện tại UBND xã Hà Vinh đang được bố trí")
    assert texts["2.3.2"].startswith("Căn cứ Quyết định của UBND tỉnh giao chỉ")
    assert len(texts) == 16


def test_unticked_parts_stay_out_and_the_opening_goes_where_the_person_puts_it(
    world, login, pl_report
) -> None:
    client = login(world.leader)
    review = _upload(client, pl_report, "bc.txt", SEED_001.read_bytes())
    data = {"token": review.context["token"], "section": ["0", "2"], "target:0": "I.1"}
    data["target:2"] = "I.2"
    client.post(reverse("report-upload-confirm", args=[pl_report.pk]), data)
    texts = _texts(pl_report)
    assert set(texts) == {"I.1", "I.2"}
    assert texts["I.1"].startswith("Thực hiện Chương trình cải cách hành chính")
    assert pl_report.values.count() == 0  # no figure was ticked


def test_a_section_with_text_is_not_replaced_unless_ticked_nor_after_someone_changed_it(
    world, login, pl_report
) -> None:
    saving.save_section(
        user=world.leader, report=pl_report, code="I.1", text="Bản đang viết.", base_version=None
    )
    client = login(world.leader)
    review = _upload(client, pl_report, "bc.txt", SEED_001.read_bytes())
    row = next(s for s in review.context["sections"] if s["target"] == "I.1")
    assert (row["checked"], row["replaces"]) == (False, True)
    assert "Mục đã có 14 ký tự («Bản đang viết.»): đánh dấu để thay." in review.content.decode()
    saving.save_section(
        user=world.leader, report=pl_report, code="I.1", text="Sửa lần hai.", base_version=1
    )
    data = {"token": review.context["token"], "section": [str(row["n"])]}
    data[f"target:{row['n']}"] = "I.1"
    done = client.post(reverse("report-upload-confirm", args=[pl_report.pk]), data, follow=True)
    assert _texts(pl_report)["I.1"] == "Sửa lần hai."
    assert "1 mục không nhập vì người khác vừa sửa (I.1); hãy xem lại." in done.content.decode()


def test_an_official_imports_only_the_sections_assigned_to_her(world, login, pl_report) -> None:
    Assignment.objects.filter(report=pl_report, kind=PartKind.SECTION).delete()
    services.assign_part(
        user=world.unit_admin,
        report=pl_report,
        kind=PartKind.SECTION,
        code="I.3",
        assignee=world.officer,
    )
    client = login(world.officer)
    review = _upload(client, pl_report, "bc.txt", SEED_001.read_bytes())
    rows = {s["target"]: s for s in review.context["sections"]}
    assert rows["I.3"]["checked"] and not rows["I.2"]["may_edit"]
    assert [code for code, _ in rows["I.3"]["choices"]] == ["I.3"]
    forged = {"token": review.context["token"], "section": ["1", "3"]}
    forged |= {"target:1": "I.1", "target:3": "I.3"}
    done = client.post(reverse("report-upload-confirm", args=[pl_report.pk]), forged, follow=True)
    assert set(_texts(pl_report)) == {"I.3"}
    assert "Mục 1. Xây dựng, ban hành chương trình kế hoạch CCHC: " in done.content.decode()


def test_a_report_without_any_table_still_brings_its_sections(world, login, pl_report) -> None:
    text = "BÁO CÁO\n\nKính gửi: UBND huyện\n\nI. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH\n\n"
    text += "1. Xây dựng, ban hành chương trình kế hoạch CCHC\n\nĐã ban hành kế hoạch năm.\n"
    client = login(world.leader)
    review = _upload(client, pl_report, "chi-co-loi-van.txt", text.encode())
    assert "Tệp không có bảng số liệu: chỉ nhập được nội dung các mục." in review.content.decode()
    client.post(reverse("report-upload-confirm", args=[pl_report.pk]), _ticked(review))
    assert _texts(pl_report) == {"I.1": "Đã ban hành kế hoạch năm."}
