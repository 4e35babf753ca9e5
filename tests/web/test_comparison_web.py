"""So sánh: ranking, values to review and a unit's trend across earlier rounds; files; CLI.

History, worked by hand (Biểu mẫu 1; 2 = 2.2 / 2.1 × 100):

| round   | Xã An: 1, 2.1, 2.2 → 2 | Xã Bình: 1, 2.1, 2.2 → 2 |
|---------|------------------------|--------------------------|
| 2025-H1 | 3, 2, 1 → 50%          | —                        |
| 2025-H2 | 4, 4, 4 → 100%         | —                        |
| 2026-H1 | 5, 4, 2 → 50%          | —                        |
| 2026-H2 | 20, 4, 3 → 75%         | 6, 10, 9 → 90%           |
"""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType
from cchc.web.organisation.models import Membership, Role
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import TemplateVersion
from cchc.web.reporting.workflow import services
from tests.csv_files import read_csv

HISTORY = {
    (2025, 1): {"1": "3", "2.1": "2", "2.2": "1"},
    (2025, 2): {"1": "4", "2.1": "4", "2.2": "4"},
    (2026, 1): {"1": "5", "2.1": "4", "2.2": "2"},
}


def _submit(report, user, leader, values) -> None:
    saving.save_values(
        user=user, report=report, form="BM1", changes={c: (v, None) for c, v in values.items()}
    )
    services.approve_report(user=leader, report=report, reason="x")
    services.submit_report(user=leader, report=report)


@pytest.fixture
def history(world):
    """Three earlier half-years for Xã An, then this round's figures for both communes."""
    Membership.objects.create(user=world.outsider, unit=world.commune_b, role=Role.LEADER)
    for (year, half), values in HISTORY.items():
        rnd = services.open_round(
            user=world.reviewer,
            issuer=world.province,
            template=TemplateVersion.objects.get(template_id="xa-2022"),
            period=Period(PeriodType.HALF_YEAR, year, half),
            units=[world.commune_a, world.commune_b],
            deadline=timezone.now() + timezone.timedelta(days=1),
        )
        _submit(rnd.reports.get(unit=world.commune_a), world.officer, world.leader, values)
    _submit(world.report_a, world.officer, world.leader, {"1": "20", "2.1": "4", "2.2": "3"})
    _submit(world.report_b, world.outsider, world.outsider, {"1": "6", "2.1": "10", "2.2": "9"})
    return world


def _page(client, world, **params):
    return client.get(reverse("round-comparison", args=[world.round.pk]), params)


def _rows(response, name):
    return response.context["tables"][name][1]


def test_units_are_ranked_on_the_rate_with_the_change_from_their_last_period(
    history, login
) -> None:
    response = _page(login(history.reviewer), history, **{"chi-tieu": "BM1.2"})
    assert _rows(response, "xep-hang") == [
        ["1", "Xã Bình", "90,00%", "", "", ""],
        ["2", "Xã An", "75,00%", "50,00%", "+25,00 điểm %", ""],
    ]


def test_a_units_trend_runs_over_the_earlier_rounds(history, login) -> None:
    response = _page(login(history.reviewer), history, **{"chi-tieu": "BM1.2", "don-vi": "XA"})
    assert _rows(response, "xu-huong") == [
        ["6 tháng đầu năm 2025", "50,00%", "", ""],
        ["6 tháng cuối năm 2025", "100,00%", "+50,00 điểm %", ""],
        ["6 tháng đầu năm 2026", "50,00%", "-50,00 điểm %", ""],
        ["6 tháng cuối năm 2026", "75,00%", "+25,00 điểm %", ""],
    ]
    # Theil–Sen: slopes 50, 0, 25/3, -50, -12,5, 25 → median (0 + 25/3) / 2 > 0
    assert response.context["c"].series.trend.value == "tăng"
    body = response.content.decode()
    assert ">75,00%</text>" in body and "6 tháng đầu năm 2025</text>" in body
    assert 'id="comparison-link"' not in body  # the link is on the consolidation page


def test_a_count_far_above_the_units_own_history_is_flagged_and_nothing_else(
    history, login
) -> None:
    response = _page(login(history.reviewer), history)
    # Xã An, 1: history 3, 4, 5 → median 4, MAD 1; 0,6745 × (20 − 4) / 1 = 10,79.
    # 2.1 (2, 4, 4 → 4), 2.2 (1, 4, 2 → 3) and 2 (50, 100, 50 → 75%) stay within 3,5;
    # two communes are too few to compare as peers.
    assert _rows(response, "canh-bao") == [
        [
            "Xã An",
            "BM1",
            "1",
            "20",
            "các kỳ trước của đơn vị",
            "Xã An, Biểu mẫu 1, chỉ tiêu 1 «Số văn bản chỉ đạo CCHC đã ban hành»: 20 cao bất "
            "thường so với các kỳ trước của chính đơn vị (6 tháng đầu năm 2025: 3; 6 tháng "
            "cuối năm 2025: 4; 6 tháng đầu năm 2026: 5; trung vị 4; điểm lệch chuẩn hóa 10,8, "
            "vượt ngưỡng ±3,5).",
        ]
    ]


def test_the_ranking_of_overdue_work_puts_the_lowest_first(history, login) -> None:
    response = _page(login(history.reviewer), history, **{"chi-tieu": "BM1.4.3"})
    assert response.context["c"].higher_is_better is False
    assert [r[:2] for r in _rows(response, "xep-hang")] == [["", "Xã An"], ["", "Xã Bình"]]
    assert [r[-1] for r in _rows(response, "xep-hang")] == ["chưa có số liệu"] * 2


def test_the_consolidation_page_links_to_the_comparison(history, login) -> None:
    body = (
        login(history.reviewer)
        .get(reverse("round-consolidation", args=[history.round.pk]))
        .content.decode()
    )
    assert f'href="{reverse("round-comparison", args=[history.round.pk])}"' in body


@pytest.mark.parametrize("persona", ["officer", "colleague", "leader", "unit_admin", "outsider"])
def test_only_the_issuing_unit_and_above_see_the_comparison(history, login, persona) -> None:
    response = _page(login(getattr(history, persona)), history)
    assert response.status_code == 403
    assert "Chỉ cán bộ của Tỉnh Thử được xem so sánh của đợt này." in response.content.decode()
    csv_response = _page(login(getattr(history, persona)), history, tep="csv")
    assert csv_response.status_code == 403


def test_an_unknown_indicator_is_not_found(history, login) -> None:
    response = _page(login(history.reviewer), history, **{"chi-tieu": "BM1.5"})  # a coded answer
    assert response.status_code == 404


def test_the_ranking_downloads_as_csv_and_the_trend_as_excel(history, login) -> None:
    client = login(history.reviewer)
    response = _page(client, history, **{"chi-tieu": "BM1.2", "bang": "xep-hang", "tep": "csv"})
    assert response["Content-Disposition"].endswith('so-sanh-xep-hang-2026-H2-BM1-2.csv"')
    rows = read_csv(response.content)
    assert rows == [
        ["Hạng", "Đơn vị", "Giá trị", "Kỳ trước", "Thay đổi", "Ghi chú"],
        ["1", "Xã Bình", "90,00%", "", "", ""],
        ["2", "Xã An", "75,00%", "50,00%", "'+25,00 điểm %", ""],  # text that starts like a formula
    ]
    from openpyxl import load_workbook

    response = _page(
        client, history, **{"chi-tieu": "BM1.2", "don-vi": "XA", "bang": "xu-huong", "tep": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["Kỳ báo cáo", "Giá trị", "Thay đổi", "Thay đổi (%)"],
        ["6 tháng đầu năm 2025", 50.0, None, None],
        ["6 tháng cuối năm 2025", 100.0, "+50,00 điểm %", None],
        ["6 tháng đầu năm 2026", 50.0, "-50,00 điểm %", None],
        ["6 tháng cuối năm 2026", 75.0, "+25,00 điểm %", None],
    ]


def test_the_flags_download_as_csv(history, login) -> None:
    response = _page(login(history.reviewer), history, bang="canh-bao", tep="csv")
    rows = read_csv(response.content)
    assert [r[:4] for r in rows] == [
        ["Đơn vị", "Biểu", "Chỉ tiêu", "Giá trị"],
        ["Xã An", "BM1", "1", "20"],
    ]


def test_the_command_line_comparison_equals_the_web_page(history, login, capsys) -> None:
    from cchc.cli import main

    page = _page(login(history.reviewer), history, **{"chi-tieu": "BM1.2", "don-vi": "XA"})
    web = {name: rows for name, (_, rows) in page.context["tables"].items()}
    args = ["compare", str(history.round.pk), "--indicator", "BM1.2", "--unit", "XA", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert {name: t["rows"] for name, t in data["tables"].items()} == web
    assert data["tables"]["xep-hang"]["rows"][1][2] == "75,00%" and data["trend"] == "tăng"


def test_the_command_writes_one_table_to_a_file(history, tmp_path, capsys) -> None:
    from cchc.cli import main

    out = tmp_path / "canh-bao.csv"
    assert main(["compare", str(history.round.pk), "--table", "canh-bao", "-o", str(out)]) == 0
    assert read_csv(out.read_bytes())[1][:4] == ["Xã An", "BM1", "1", "20"]
    assert main(["compare", str(history.round.pk), "--indicator", "BM9.9"]) == 2
    assert "không có chỉ tiêu số liệu «BM9.9»" in capsys.readouterr().err


def test_the_demo_round_shows_trends_and_a_value_to_review(db, client) -> None:
    from cchc.web.demo import load_demo
    from cchc.web.reporting.models import ReportingRound

    load_demo()
    rnd = ReportingRound.objects.get(period_key="2026-H2")
    client.force_login(get_user_model().objects.get(username="hue.noivu"))
    response = client.get(
        reverse("round-comparison", args=[rnd.pk]), {"chi-tieu": "BM1.2", "don-vi": "X-HUONG-SON"}
    )
    # Hương Sơn: 2024-H1 from seed 001 (template pl-2024, joined by indicator name), then
    # 10/18, 13/18, 12/19; its 2026-H2 report is still a draft.
    assert [row[:2] for row in _rows(response, "xu-huong")] == [
        ["6 tháng đầu năm 2024", "78,95%"],
        ["6 tháng đầu năm 2025", "55,56%"],
        ["6 tháng cuối năm 2025", "72,22%"],
        ["6 tháng đầu năm 2026", "63,16%"],
        ["6 tháng cuối năm 2026", ""],
    ]
    flags = _rows(response, "canh-bao")
    assert [(f[0], f[2], f[3]) for f in flags] == [("Xã Thượng Quảng", "5.1", "120")]


def test_the_trend_chart_breaks_its_line_at_a_blank_period() -> None:
    from decimal import Decimal

    from cchc.core.templates import Kind
    from cchc.documents.charts import svg as draw
    from cchc.documents.charts import trend

    points = [("Kỳ 1", Decimal(10)), ("Kỳ 2", None), ("Kỳ 3", Decimal(20)), ("Kỳ 4", Decimal(5))]
    svg = draw(trend("Xã <An>", points, kind=Kind.COUNT))
    # Axis 0..20 over y 160..34; x every 160 px from 80: one segment, Kỳ 3 → Kỳ 4 only.
    assert svg.count("<circle") == 3 and svg.count('stroke-width="2"') == 1
    assert '<line x1="400.0" y1="34.0" x2="560.0" y2="128.5"' in svg
    assert ">chưa có số liệu</text>" in svg and "Xã &lt;An&gt;" in svg


def test_a_quarter_is_not_compared_with_the_half_years_unless_the_figure_is_cumulative(
    history,
) -> None:
    """2027-Q3 counts three months (15/6 → 14/9); the half-years before it count six. The
    count «1» (documents issued in the period) of a quarter is not a fall from a half-year;
    the rate «2» (lũy kế: tasks done of the year's plan) is compared as before."""
    from cchc.web.reporting.comparison import compare_round

    w = history
    q3 = services.open_round(
        user=w.reviewer,
        issuer=w.province,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.QUARTER, 2027, 3),
        units=[w.commune_a, w.commune_b],
        deadline=timezone.now() + timezone.timedelta(days=1),
    )
    assert q3.window_end.month == 9 and q3.window_start.month == 6
    values = {"1": "1", "2.1": "4", "2.2": "1"}
    _submit(q3.reports.get(unit=w.commune_a), w.officer, w.leader, values)

    count = compare_round(q3, indicator="BM1.1", unit="XA")
    assert count.previous["XA"] is None
    assert [p.period for p in count.series.points] == ["Quý III năm 2027"]
    assert not [f for f in count.flags if f.basis == "history" and f.code == "1"]

    rate = compare_round(q3, indicator="BM1.2", unit="XA")
    assert rate.previous["XA"] == 75
    assert len(rate.series.points) == 5
