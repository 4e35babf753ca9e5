"""So sánh of a national round: the provinces compared by their summed figures.

A round of more than `KEEP_EVERY_UNIT` reports keeps only its provinces' sums; the
limit is lowered to 3 here, so a round over five communes is "national". Worked by
hand (Biểu mẫu 1; 2 = 2.2 / 2.1 × 100, recomputed from the province's sums):

| round   | Tỉnh Thử (XA + XB)            | Tỉnh Hà (HA + HB)             | Tỉnh Kim (KA) |
|---------|-------------------------------|-------------------------------|---------------|
| 2025-H1 | 1: 2+2=4; 2.2/2.1: 2/4 → 50%  | 1: 1+1=2; 2/4 → 50%           | —             |
| 2025-H2 | 1: 3+2=5; 4/4 → 100%          | 1: 1+2=3; 4/4 → 100%          | —             |
| 2026-H1 | 1: 3+3=6; 2/4 → 50%           | 1: 2+2=4; 2/4 → 50%           | —             |
| 2026-H2 | 1: 20+10=30; 4/10 → 40%       | 1: 2+2=4; 6/10 → 60%          | not submitted |

The communes' own rates in 2026-H2 (75% and 16,67%; 100% and 55,56%) average to
45,83% and 77,78%: a ranking that averaged them would show those, not 40% and 60%.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType
from cchc.web.organisation.services import create_unit
from cchc.web.reporting.consolidation import totals
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import TemplateVersion
from cchc.web.reporting.workflow import services
from tests.csv_files import read_csv

# round → commune → (1, 2.1, 2.2)
EARLIER = {
    (2025, 1): {"XA": (2, 2, 1), "XB": (2, 2, 1), "HA": (1, 2, 1), "HB": (1, 2, 1)},
    (2025, 2): {"XA": (3, 2, 2), "XB": (2, 2, 2), "HA": (1, 2, 2), "HB": (2, 2, 2)},
    (2026, 1): {"XA": (3, 2, 1), "XB": (3, 2, 1), "HA": (2, 2, 1), "HB": (2, 2, 1)},
}
NOW = {"XA": (20, 4, 3), "XB": (10, 6, 1), "HA": (2, 1, 1), "HB": (2, 9, 5)}


def _national_round(admin, nation, units, year, half):
    return services.open_round(
        user=admin,
        issuer=nation,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, year, half),
        units=units,
        deadline=timezone.make_aware(datetime(2099, 12, 16, 17, 0)),
    )


def _fill(rnd, admin, values) -> None:
    for code, (docs, planned, done) in values.items():
        report = rnd.reports.get(unit__code=code)
        figures = {"1": str(docs), "2.1": str(planned), "2.2": str(done)}
        saving.save_values(
            user=admin,
            report=report,
            form="BM1",
            changes={c: (v, None) for c, v in figures.items()},
        )
        services.approve_report(user=admin, report=report, reason="x")
        services.submit_report(user=admin, report=report)


@pytest.fixture
def nation(world, monkeypatch):
    """Three earlier national rounds and this one, over three provinces; Tỉnh Kim's only
    commune never submits."""
    monkeypatch.setattr(totals, "KEEP_EVERY_UNIT", 3)
    admin = get_user_model().objects.create_superuser("admin", "a@b.vn", "x")
    ha_noi = create_unit(code="H", name="Tỉnh Hà", level="tinh", parent=world.ministry)
    kim = create_unit(code="K", name="Tỉnh Kim", level="tinh", parent=world.ministry)
    units = [
        world.commune_a,
        world.commune_b,
        create_unit(code="HA", name="Xã Hà An", level="xa", parent=ha_noi),
        create_unit(code="HB", name="Xã Hà Bình", level="xa", parent=ha_noi),
        create_unit(code="KA", name="Xã Kim An", level="xa", parent=kim),
    ]
    for (year, half), values in EARLIER.items():
        _fill(_national_round(admin, world.ministry, units, year, half), admin, values)
    rnd = _national_round(admin, world.ministry, units, 2026, 2)
    _fill(rnd, admin, NOW)
    return rnd


def _page(client, rnd, **params):
    return client.get(reverse("round-comparison", args=[rnd.pk]), params)


def _rows(response, name):
    return response.context["tables"][name][1]


def test_a_national_round_ranks_its_provinces_on_rates_of_their_sums(nation, world, login) -> None:
    response = _page(login(world.ministry_reviewer), nation, **{"chi-tieu": "BM1.2"})
    assert response.status_code == 200
    assert _rows(response, "xep-hang") == [
        ["1", "Tỉnh Hà", "60,00%", "50,00%", "+10,00 điểm %", ""],
        ["2", "Tỉnh Thử", "40,00%", "50,00%", "-10,00 điểm %", ""],
        ["", "Tỉnh Kim", "", "", "", "chưa có số liệu"],
    ]
    c = response.context["c"]
    assert c.by_branch and c.units == ["H", "K", "T"]
    body = response.content.decode()
    assert "Đợt toàn quốc: so sánh theo tỉnh." in body
    assert "Từng xã được so sánh" in body
    assert '<option value="H"' in body and '<option value="XA"' not in body


def test_a_provinces_summed_count_is_ranked_and_flagged_against_its_own_history(
    nation, world, login
) -> None:
    response = _page(login(world.ministry_reviewer), nation, **{"chi-tieu": "BM1.1"})
    assert [row[:4] for row in _rows(response, "xep-hang")] == [
        ["1", "Tỉnh Thử", "30", "6"],
        ["2", "Tỉnh Hà", "4", "4"],
        ["", "Tỉnh Kim", "", ""],
    ]
    # Against each province's own three earlier national rounds (no peers: three
    # provinces are too few). Tỉnh Thử, 1: 4, 5, 6 → median 5, MAD 1;
    # 0,6745 × (30 − 5) / 1 = 16,86. 2.1 was 4 every time in both provinces, now 10.
    # Tỉnh Hà, 2.2: 2, 4, 2 → median 2, MAD 0, mean absolute deviation 2/3;
    # (6 − 2) / (1,253314 × 2/3) = 4,79. The rates (50, 100, 50 → 40%: −0,48; → 60%)
    # and Tỉnh Thử's 2.2 (2, 4, 2 → 4: 2,39) stay within 3,5.
    flags = _rows(response, "canh-bao")
    assert [row[:4] for row in flags] == [
        ["Tỉnh Thử", "BM1", "1", "30"],
        ["Tỉnh Thử", "BM1", "2.1", "10"],
        ["Tỉnh Hà", "BM1", "2.1", "10"],
        ["Tỉnh Hà", "BM1", "2.2", "6"],
    ]
    assert {row[4] for row in flags} == {"các kỳ trước của đơn vị"}
    assert (
        "(6 tháng đầu năm 2025: 4; 6 tháng cuối năm 2025: 5; 6 tháng đầu năm 2026: 6;"
        in (flags[0][5])
    )


def test_a_provinces_trend_runs_over_the_earlier_national_rounds(nation, world, login) -> None:
    client = login(world.ministry_reviewer)
    response = _page(client, nation, **{"chi-tieu": "BM1.2", "don-vi": "T"})
    assert _rows(response, "xu-huong") == [
        ["6 tháng đầu năm 2025", "50,00%", "", ""],
        ["6 tháng cuối năm 2025", "100,00%", "+50,00 điểm %", ""],
        ["6 tháng đầu năm 2026", "50,00%", "-50,00 điểm %", ""],
        ["6 tháng cuối năm 2026", "40,00%", "-10,00 điểm %", ""],
    ]
    assert "Tỉnh Thử: " in response.content.decode()
    # A commune is compared in its province's round, not here.
    assert _page(client, nation, **{"don-vi": "XA"}).status_code == 404


def test_the_files_carry_the_provinces(nation, world, login) -> None:
    client = login(world.ministry_reviewer)
    response = _page(client, nation, **{"chi-tieu": "BM1.2", "bang": "xep-hang", "tep": "csv"})
    rows = read_csv(response.content)
    assert [row[1] for row in rows[1:]] == ["Tỉnh Hà", "Tỉnh Thử", "Tỉnh Kim"]
    response = _page(client, nation, **{"chi-tieu": "BM1.1", "bang": "canh-bao", "tep": "xlsx"})
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_a_round_within_the_limit_still_ranks_its_communes(
    nation, world, login, monkeypatch
) -> None:
    monkeypatch.setattr(totals, "KEEP_EVERY_UNIT", 1_000)
    response = _page(login(world.ministry_reviewer), nation, **{"chi-tieu": "BM1.2"})
    c = response.context["c"]
    assert not c.by_branch
    assert [row[1:3] for row in _rows(response, "xep-hang")] == [
        ["Xã Hà An", "100,00%"],
        ["Xã An", "75,00%"],
        ["Xã Hà Bình", "55,56%"],
        ["Xã Bình", "16,67%"],
        ["Xã Kim An", ""],
    ]
    assert "Đợt toàn quốc: so sánh theo tỉnh." not in response.content.decode()
