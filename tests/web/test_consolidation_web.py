"""The upper unit's consolidated figures: sums, rates from summed parts, coverage, files."""

from __future__ import annotations

import re

from django.urls import reverse

from cchc.web.reporting.entry import saving
from cchc.web.reporting.workflow import services
from tests.csv_files import read_csv


def _submit(world, report, user, values) -> None:
    saving.save_values(
        user=user, report=report, form="BM1", changes={c: (v, None) for c, v in values.items()}
    )
    services.approve_report(
        user=world.leader if report == world.report_a else user, report=report, reason="x"
    )
    services.submit_report(user=world.leader if report == world.report_a else user, report=report)


def test_two_communes_consolidate_with_the_rate_from_summed_parts(world, login) -> None:
    from cchc.web.organisation.models import Membership, Role

    Membership.objects.create(user=world.outsider, unit=world.commune_b, role=Role.LEADER)
    _submit(world, world.report_a, world.officer, {"2.1": "2", "2.2": "1", "1": "4"})
    _submit(world, world.report_b, world.outsider, {"2.1": "100", "2.2": "99", "1": "6"})
    response = login(world.reviewer).get(reverse("round-consolidation", args=[world.round.pk]))
    rows = {r.ind.code: r for r in response.context["rows"]}
    assert (rows["1"].shown, rows["1"].coverage) == ("10", "2/2 đơn vị")
    assert (rows["2.1"].shown, rows["2.2"].shown) == ("102", "100")
    assert rows["2"].shown == "98,04%"  # 100/102, never the average of 50% and 99%


def test_the_per_unit_table_shows_counts_whole_and_rates_with_two_decimals(world, login) -> None:
    from cchc.web.organisation.models import Membership, Role

    Membership.objects.create(user=world.outsider, unit=world.commune_b, role=Role.LEADER)
    _submit(world, world.report_a, world.officer, {"2.1": "2", "2.2": "1", "1": "5"})
    _submit(world, world.report_b, world.outsider, {"2.1": "4", "2.2": "4", "1": "6"})
    response = login(world.reviewer).get(reverse("round-consolidation", args=[world.round.pk]))
    html = response.content.decode()
    table = html[html.index('id="per-unit"') : html.index("</table>", html.index('id="per-unit"'))]
    cells = [re.findall(r"<td>([^<]*)</td>", row) for row in table.split("<tr>")[2:]]
    by_name = {row[0].split(" ", 1)[1]: row[1:] for row in cells}
    assert by_name["Số văn bản chỉ đạo CCHC đã ban hành"] == ["5", "6"]  # never "5,00"
    assert by_name["Số nhiệm vụ đề ra trong kế hoạch"] == ["2", "4"]
    assert by_name["Tỷ lệ hoàn thành Kế hoạch CCHC năm"] == ["50,00%", "100,00%"]


def test_a_unit_that_has_not_submitted_is_named_as_missing(world, login) -> None:
    _submit(world, world.report_a, world.officer, {"1": "4"})
    response = login(world.reviewer).get(reverse("round-consolidation", args=[world.round.pk]))
    rows = {r.ind.code: r for r in response.context["rows"]}
    assert (rows["1"].shown, rows["1"].coverage, rows["1"].missing) == (
        "4",
        "1/2 đơn vị",
        ["Xã Bình"],
    )
    assert response.context["not_submitted"] == ["Xã Bình"]


def test_the_consolidated_table_downloads_as_csv(world, login) -> None:
    _submit(world, world.report_a, world.officer, {"1": "4"})
    response = login(world.reviewer).get(
        reverse("round-consolidation", args=[world.round.pk]) + "?tep=csv"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbfBi\xe1\xbb\x83u;STT;")  # BOM, then `;`
    rows = read_csv(response.content)
    assert rows[0] == [
        "Biểu",
        "STT",
        "Chỉ tiêu thống kê",
        "Đơn vị tính",
        "Tổng hợp",
        "Số đơn vị có số liệu",
        "Đơn vị chưa có số liệu",
    ]
    assert [
        "Biểu mẫu 1",
        "1.",
        "Số văn bản chỉ đạo CCHC đã ban hành",
        "Văn bản",
        "4",
        "1/2 đơn vị",
        "Xã Bình",
    ] in rows


def test_a_commune_cannot_see_the_consolidation_of_the_province(world, login) -> None:
    response = login(world.outsider).get(reverse("round-consolidation", args=[world.round.pk]))
    assert response.status_code == 403
    assert "Chỉ cán bộ của Tỉnh Thử được xem số liệu tổng hợp" in response.content.decode()


def test_the_command_line_consolidation_equals_the_web_page(world, login, capsys) -> None:
    import json

    from cchc.cli import main

    _submit(world, world.report_a, world.officer, {"2.1": "2", "2.2": "1", "1": "4"})
    page = login(world.reviewer).get(reverse("round-consolidation", args=[world.round.pk]))
    web = {
        (r.form.code, r.ind.code): (r.shown, r.coverage)
        for r in page.context["rows"]
        if not r.heading
    }
    assert main(["consolidate", str(world.round.pk), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cli = {
        (i["form"], i["code"]): (i["shown"], i["coverage"])
        for i in data["indicators"]
        if i["form"] == "BM1"
    }
    assert cli == web and cli[("BM1", "2")] == ("50,00%", "1/2 đơn vị")


def test_the_page_draws_completeness_and_each_units_rate(world, login) -> None:
    _submit(world, world.report_a, world.officer, {"2.1": "4", "2.2": "3"})
    body = (
        login(world.reviewer)
        .get(reverse("round-consolidation", args=[world.round.pk]))
        .content.decode()
    )
    assert '<text x="14" y="39">Đúng hạn: 1</text>' in body
    # Xã An: 3 of 4; Xã Bình: blank
    assert ">75,00%</text>" in body and ">chưa có số liệu</text>" in body
