"""Comparisons: series, rankings and flags (cchc/core/comparison.py), figures worked by hand."""

from decimal import Decimal

import pytest

from cchc.core.comparison import (
    Flag,
    Point,
    RankRow,
    Series,
    Trend,
    higher_is_better,
    history_flag,
    mapping_by_name,
    modified_z,
    peer_flags,
    rank_units,
    shown,
    shown_change,
    unit_series,
)
from cchc.core.consolidation import VersionMapping
from cchc.core.templates import Kind, build_template

D = Decimal

TEMPLATE = build_template(
    {
        "id": "thu-so-sanh",
        "title": "Mẫu thử so sánh",
        "levels": ["xa"],
        "forms": [
            {
                "code": "BM1",
                "label": "Biểu mẫu 1",
                "title": "Chỉ đạo điều hành",
                "indicators": [
                    {"code": "1", "name": "Số văn bản chỉ đạo", "unit": "Văn bản"},
                    {"code": "2", "name": "Tỷ lệ hoàn thành", "unit": "%"},
                    {"code": "3", "name": "Số nhiệm vụ hoàn thành nhưng quá hạn", "unit": "NV"},
                    {
                        "code": "4",
                        "name": "Khảo sát",
                        "unit": "Có = 1; Không = 0",
                        "choices": {0: "Không", 1: "Có"},
                    },
                ],
            }
        ],
    }
)
FORM = TEMPLATE.forms[0]
COUNT, RATE, OVERDUE, CHOICE = FORM.indicators


def test_a_series_gives_each_periods_change_and_a_theil_sen_trend() -> None:
    series = unit_series(
        [("Kỳ 1", D(10)), ("Kỳ 2", D(12)), ("Kỳ 3", None), ("Kỳ 4", D(9))], kind=Kind.COUNT
    )
    # Slopes between the known (index, value) pairs (0, 10), (1, 12), (3, 9):
    # 2/1 = 2; -1/3; -3/2 = -1,5 → median -1/3: going down.
    assert series == Series(
        points=(
            Point("Kỳ 1", D(10)),
            Point("Kỳ 2", D(12), D(2), D(20)),  # +2 of 10 = +20%
            Point("Kỳ 3", None),
            Point("Kỳ 4", D(9)),  # the period before is blank: no change
        ),
        trend=Trend.DOWN,
        slope=D(-1) / 3,
    )


def test_a_rates_change_is_in_percentage_points_only() -> None:
    series = unit_series([("Kỳ 1", D(50)), ("Kỳ 2", D(75)), ("Kỳ 3", D(75))], kind=Kind.RATE)
    assert [(p.change, p.relative) for p in series.points] == [
        (None, None),
        (D(25), None),
        (D(0), None),
    ]
    # slopes 25, (75-50)/2 = 12,5, 0 → median 12,5
    assert (series.trend, series.slope) == (Trend.UP, D("12.5"))


@pytest.mark.parametrize(
    ("values", "trend"),
    [
        ([D(5), D(5), D(5)], Trend.FLAT),
        ([D(5), D(7)], Trend.UNKNOWN),  # two values are a change, not a trend
        ([D(5), None, D(7), None], Trend.UNKNOWN),
        ([D(1), D(2), D(100), D(3)], Trend.UP),  # one wild period does not turn it
    ],
)
def test_the_trend_needs_three_values(values, trend) -> None:
    series = unit_series([(str(n), v) for n, v in enumerate(values)], kind=Kind.COUNT)
    assert series.trend is trend


def test_a_relative_change_from_zero_is_undefined() -> None:
    assert unit_series([("a", D(0)), ("b", D(4))], kind=Kind.COUNT).points[1] == Point(
        "b", D(4), D(4), None
    )


VALUES = {"A": D(50), "B": D(80), "C": None, "D": D(80), "E": D(20)}


def test_ranking_shares_a_rank_between_ties_and_puts_missing_units_last() -> None:
    assert rank_units(VALUES, higher_is_better=True) == [
        RankRow("B", D(80), 1, tied=True),
        RankRow("D", D(80), 1, tied=True),
        RankRow("A", D(50), 3),
        RankRow("E", D(20), 4),
        RankRow("C", None, None),
    ]


def test_ranking_lower_is_better_turns_the_order() -> None:
    rows = rank_units(VALUES, higher_is_better=False)
    assert [(r.unit, r.rank, r.missing) for r in rows] == [
        ("E", 1, False),
        ("A", 2, False),
        ("B", 3, False),
        ("D", 3, False),
        ("C", None, True),
    ]


def test_overdue_work_is_better_when_lower_and_coded_answers_are_not_ranked() -> None:
    assert (higher_is_better(COUNT), higher_is_better(RATE), higher_is_better(OVERDUE)) == (
        True,
        True,
        False,
    )
    with pytest.raises(ValueError, match="không có số liệu để xếp hạng"):
        higher_is_better(CHOICE)


def test_modified_z_uses_median_and_mad_then_mean_absolute_deviation() -> None:
    # median 12; |deviations| 2, 1, 0, 1, 88 → MAD 1; 0,6745 × 88 / 1
    assert modified_z(D(100), [D(10), D(11), D(12), D(13), D(100)]) == D("59.3560")
    # median 5, MAD 0 → MeanAD = 95/5 = 19; 95 / (1,253314 × 19)
    assert modified_z(D(100), [D(5)] * 4 + [D(100)]) == D(95) / (D("1.253314") * 19)
    assert modified_z(D(4), [D(4), D(4), D(4)]) is None


NAMES = {"A": "Xã An", "B": "Xã Bình", "C": "Xã Cát", "D": "Xã Đông", "E": "Xã Én"}


def test_a_value_far_from_its_peers_is_flagged_with_what_it_was_compared_with() -> None:
    values = {"A": D(10), "B": D(11), "C": D(12), "D": D(13), "E": D(100)}
    assert peer_flags(form=FORM, ind=COUNT, values=values, names=NAMES) == [
        Flag(
            "E",
            "BM1",
            "1",
            D(100),
            "peers",
            D(12),
            D("59.3560"),
            "Xã Én, Biểu mẫu 1, chỉ tiêu 1 «Số văn bản chỉ đạo»: 100 cao bất thường so với "
            "5 đơn vị cùng đợt (từ 10 đến 100; trung vị 12; điểm lệch chuẩn hóa 59,4, "
            "vượt ngưỡng ±3,5).",
        )
    ]


def test_peers_are_compared_from_five_units_on() -> None:
    values = {"A": D(10), "B": D(11), "C": D(12), "E": D(100)}
    assert peer_flags(form=FORM, ind=COUNT, values=values, names=NAMES) == []


def test_a_low_rate_among_peers_with_equal_rates_is_flagged_through_mean_deviation() -> None:
    values = {"A": D(100), "B": D(100), "C": D(100), "D": D(100), "E": D(20)}
    # median 100, MAD 0, MeanAD 80/5 = 16 → z = -80 / (1,253314 × 16) = -3,99
    [flag] = peer_flags(form=FORM, ind=RATE, values=values, names=NAMES)
    assert (flag.unit, round(flag.score, 2)) == ("E", D("-3.99"))
    assert (
        "20,00% thấp bất thường so với 5 đơn vị cùng đợt (từ 20,00% đến 100,00%; trung vị 100,00%"
        in (flag.reason)
    )


HISTORY = [("6 tháng đầu năm 2025", D(30)), ("6 tháng cuối năm 2025", D(32)), ("Quý I 2026", D(35))]


def test_a_value_far_from_the_units_own_history_is_flagged() -> None:
    flag = history_flag(
        unit="A", unit_name="Xã An", form=FORM, ind=COUNT, value=D(120), history=HISTORY
    )
    # median 32; |deviations| 2, 0, 3 → MAD 2; 0,6745 × 88 / 2 = 29,678
    assert flag == Flag(
        "A",
        "BM1",
        "1",
        D(120),
        "history",
        D(32),
        D("29.6780"),
        "Xã An, Biểu mẫu 1, chỉ tiêu 1 «Số văn bản chỉ đạo»: 120 cao bất thường so với các "
        "kỳ trước của chính đơn vị (6 tháng đầu năm 2025: 30; 6 tháng cuối năm 2025: 32; "
        "Quý I 2026: 35; trung vị 32; điểm lệch chuẩn hóa 29,7, vượt ngưỡng ±3,5).",
    )


@pytest.mark.parametrize(
    ("value", "history", "flagged"),
    [
        (D(34), HISTORY, False),  # 0,6745 × 2 / 2 = 0,67
        (D(120), HISTORY[:2], False),  # two earlier periods are too few
        (D(6), [("a", D(4))] * 3, True),  # history flat at 4: 6 is half again
        (D(5), [("a", D(4))] * 3, False),  # 5 is within half of 4
        (D(1), [("a", D(0))] * 3, True),  # anything against zeros
        (D(0), [("a", D(0))] * 3, False),
    ],
)
def test_history_needs_three_periods_and_a_flat_history_needs_a_half_step(
    value, history, flagged
) -> None:
    flag = history_flag(
        unit="A", unit_name="Xã An", form=FORM, ind=COUNT, value=value, history=history
    )
    assert (flag is not None) is flagged


def test_a_flat_history_says_what_it_stayed_at() -> None:
    flag = history_flag(
        unit="A", unit_name="Xã An", form=FORM, ind=COUNT, value=D(6), history=[("a", D(4))] * 3
    )
    assert flag is not None and flag.score is None
    assert flag.reason.endswith("(a: 4; a: 4; a: 4; đều bằng 4).")


@pytest.mark.parametrize(
    ("value", "kind", "text", "change"),
    [
        (D("1234.5"), Kind.AMOUNT, "1.234,5", "+1.234,50"),
        (D(-2), Kind.COUNT, "-2", "-2"),
        (D("78.947368"), Kind.RATE, "78,95%", "+78,95 điểm %"),
        (None, Kind.COUNT, "", ""),
    ],
)
def test_figures_and_changes_are_written_the_vietnamese_way(value, kind, text, change) -> None:
    assert (shown(value, kind), shown_change(value, kind)) == (text, change)


def test_an_older_version_maps_by_same_name_unit_and_kind_and_drops_twice_written_names() -> None:
    old = build_template(
        {
            "id": "cu",
            "title": "Mẫu cũ",
            "levels": ["xa"],
            "forms": [
                {
                    "code": "PL2",
                    "title": "Phụ lục 2",
                    "indicators": [
                        {"code": "1", "name": "Số  văn bản CHỈ ĐẠO", "unit": "văn bản"},
                        {"code": "2", "name": "Tỷ lệ hoàn thành", "unit": "%"},
                        {"code": "3", "name": "Khảo sát", "unit": "NV"},  # a count here
                        {"code": "4", "name": "Số nhiệm vụ hoàn thành nhưng quá hạn", "unit": "NV"},
                        {"code": "5", "name": "Số nhiệm vụ hoàn thành nhưng quá hạn", "unit": "NV"},
                    ],
                }
            ],
        }
    )
    assert mapping_by_name(old, TEMPLATE) == VersionMapping(
        "thu-so-sanh", {("cu", "PL2", "1"): ("BM1", "1"), ("cu", "PL2", "2"): ("BM1", "2")}
    )
