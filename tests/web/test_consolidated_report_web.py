"""«Tải báo cáo tổng hợp (.docx)» on the consolidation page, and `cchc consolidate -o FILE.docx`."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from docx import Document

from cchc.cli import main
from cchc.web.reporting.entry import saving
from cchc.web.reporting.workflow import services


def _send_commune_a(world) -> None:
    saving.save_values(
        user=world.officer,
        report=world.report_a,
        form="BM1",
        changes={"1": ("4", None), "2.1": ("4", None), "2.2": ("3", None)},
    )
    services.approve_report(user=world.leader, report=world.report_a, reason="Chỉ có Biểu mẫu 1.")
    services.submit_report(user=world.leader, report=world.report_a)


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_the_province_downloads_its_consolidated_report_with_charts(world, login) -> None:
    _send_commune_a(world)
    page = login(world.reviewer).get(reverse("round-consolidation", args=[world.round.pk]))
    url = reverse("round-report-docx", args=[world.round.pk])
    assert f'href="{url}"' in page.content.decode()
    response = login(world.reviewer).get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(BytesIO(response.content))
    texts = _texts(doc)
    assert (
        "Đã gửi 1/2 đơn vị (1 đúng hạn, 0 muộn). Số liệu tổng hợp chỉ gồm các báo cáo đã gửi; "
        "mỗi con số ghi rõ trên bao nhiêu đơn vị." in texts
    )
    assert "- Số văn bản chỉ đạo CCHC đã ban hành: 4 văn bản (trên 1/2 đơn vị)." in texts
    assert "- Tỷ lệ hoàn thành Kế hoạch CCHC năm: 75,00% (trên 1/2 đơn vị)." in texts
    # completeness by unit, and each unit's rate
    assert len(doc.inline_shapes) == 2


def test_a_commune_cannot_download_the_provinces_consolidated_report(world, login) -> None:
    response = login(world.outsider).get(reverse("round-report-docx", args=[world.round.pk]))
    assert response.status_code == 403


def test_the_command_line_writes_the_same_report(world, tmp_path, capsys) -> None:
    _send_commune_a(world)
    out = tmp_path / "tong-hop.docx"
    assert main(["consolidate", str(world.round.pk), "-o", str(out)]) == 0
    doc = Document(str(out))
    assert "- Số văn bản chỉ đạo CCHC đã ban hành: 4 văn bản (trên 1/2 đơn vị)." in _texts(doc)
    assert len(doc.inline_shapes) == 2


def test_the_report_of_a_round_with_earlier_rounds_charts_their_trend(db) -> None:
    """The demo's open round of Huế has three earlier rounds: their stored totals give
    the trend lines (a line chart per charted rate, beside the two of this round)."""
    from cchc.web.demo import load_demo
    from cchc.web.reporting.consolidation.word_report import round_report_docx
    from cchc.web.reporting.models import ReportingRound

    load_demo()
    rnd = ReportingRound.objects.filter(issuer__name__contains="Huế").latest("window_end")
    doc = Document(BytesIO(round_report_docx(rnd)))
    assert len(doc.inline_shapes) > 2
