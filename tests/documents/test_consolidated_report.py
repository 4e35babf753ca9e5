"""The consolidated report as Word: figures per level, filled appendices, charts as pictures."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from docx import Document

from cchc.core.templates import Kind
from cchc.documents.charts import bars, submissions_by_branch
from cchc.documents.charts.png import png
from cchc.documents.consolidated_report import render_consolidated_report
from tests.documents.province import province

PNG = b"\x89PNG\r\n\x1a\n"


def _docx(**kwargs) -> Document:
    template, result, names = province()
    data = render_consolidated_report(
        template,
        result,
        names,
        issuer="UBND Tỉnh Thử",
        title="Báo cáo 6 tháng",
        period="2024-H1",
        **kwargs,
    )
    return Document(BytesIO(data))


def test_the_body_states_the_total_with_each_level() -> None:
    text = "\n".join(p.text for p in _docx().paragraphs)
    assert (
        "- Tổng số hồ sơ TTHC đã giải quyết xong: 213.936 hồ sơ: cấp tỉnh 35.186, "
        "cấp huyện 11.406, cấp xã 167.344 (số liệu cấp xã trên 1/2 đơn vị)." in text
    )
    assert "Đã gửi 3/4 đơn vị (3 đúng hạn, 0 muộn)." in text
    assert "Chưa gửi: Xã Hai." in text
    # a coded answer counted per option, never summed
    assert "- Khảo sát sự hài lòng của người dân, tổ chức: Không 0; Có 1 (1/4 đơn vị)." in text


def test_the_charts_are_embedded_as_pictures_in_place_of_their_markers() -> None:
    doc = _docx()
    # completeness by branch, then the on-time rate of each level's row (3.1, 3.2, 3.3)
    assert len(doc.inline_shapes) == 4
    assert not any("[[biểu đồ" in p.text for p in doc.paragraphs)
    assert "Biểu đồ 1. Tình hình gửi báo cáo theo đơn vị." in [p.text for p in doc.paragraphs]


def test_the_appendices_hold_the_figures_and_the_recomputed_rate() -> None:
    doc = _docx()
    rows = {}
    for table in doc.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if len(cells) == 5:
                rows.setdefault(cells[1], []).append(cells[3:])
    done = rows["Tổng số hồ sơ TTHC đã giải quyết xong"]
    assert done == [
        ["35.186", ""],
        ["11.406", ""],
        ["167.344", "Tổng hợp 1/2 đơn vị; chưa có: Xã Hai."],
    ]
    rate = rows["Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn"]
    assert rate == [["95,61", "1/4 đơn vị"]]  # 160.000 / 167.344, over every unit of the round


def test_charts_are_png_with_vietnamese_labels() -> None:
    _, result, _ = province()
    done = png(submissions_by_branch(result, {"H": "Xã Hương Sơn"}))
    rate = png(bars("Tỷ lệ đúng hạn", [("Xã Thượng Quảng", None)], kind=Kind.RATE))
    assert done.startswith(PNG) and rate.startswith(PNG)


def test_earlier_periods_give_a_trend_sentence_and_chart_per_charted_rate() -> None:
    _, result, _ = province()
    now = {key: total.value for key, total in result.totals.items()}
    key = ("PL4", "3.3")  # the communes' on-time rate: 160.000 / 167.344 = 95,61 %
    assert round(now[key], 2) == Decimal("95.61")
    history = [
        ("6 tháng đầu năm 2023", {key: Decimal("90")}),
        ("6 tháng cuối năm 2023", {}),
        ("6 tháng đầu năm 2024", now),
    ]
    doc = _docx(history=history)
    text = [p.text for p in doc.paragraphs]
    assert "IV. XU HƯỚNG QUA CÁC KỲ" in text
    trends = text[text.index("IV. XU HƯỚNG QUA CÁC KỲ") :]
    line = next(t for t in trends if t.startswith("- Tỷ lệ hồ sơ TTHC do UBND cấp xã"))
    assert line.endswith(
        ": 6 tháng đầu năm 2023: 90,00%; 6 tháng cuối năm 2023: chưa có số liệu; "
        "6 tháng đầu năm 2024: 95,61%."  # two periods with figures: too few for a trend
    )
    # one more picture: the other two rates have a single period with figures
    assert len(doc.inline_shapes) == 5


def test_one_period_alone_gives_no_trend_section() -> None:
    _, result, _ = province()
    now = {key: total.value for key, total in result.totals.items()}
    doc = _docx(history=[("6 tháng đầu năm 2024", now)])
    assert not any("XU HƯỚNG" in p.text for p in doc.paragraphs)
    assert len(doc.inline_shapes) == 4
