"""Rolling subordinate units' reports up to the unit above (cchc/core/consolidation/).

The tree: province P; the old district D with communes X1 and X2 in 2024; X2
moved directly under P in 2025; commune X3 directly under P throughout.
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.consolidation import (
    Consolidation,
    IndicatorTotal,
    LevelTotal,
    RunningTotals,
    UnitReport,
    VersionMapping,
    consolidate,
    mapping_from_data,
)
from cchc.core.numbers import format_number, format_percent
from cchc.core.templates import Kind, build_template
from cchc.core.values import Entry

D = Decimal


def template(rate_formula: str = "2.2 / 2.1 * 100"):
    return build_template(
        {
            "id": "xa-2025",
            "title": "Mẫu thử tổng hợp",
            "levels": ["tinh", "huyen", "xa"],
            "forms": [
                {
                    "code": "BM1",
                    "label": "Biểu mẫu 1",
                    "title": "Kết quả cải cách hành chính",
                    "indicators": [
                        {"code": "1", "name": "Giải quyết hồ sơ TTHC", "kind": "heading"},
                        {
                            "code": "2",
                            "name": "Tỷ lệ hồ sơ giải quyết đúng hạn",
                            "unit": "%",
                            "formula": rate_formula,
                        },
                        {"code": "2.1", "name": "Số hồ sơ đã giải quyết", "unit": "Hồ sơ"},
                        {"code": "2.2", "name": "Số hồ sơ giải quyết đúng hạn", "unit": "Hồ sơ"},
                        {"code": "3", "name": "Kinh phí cho CCHC", "unit": "Triệu đồng"},
                        {
                            "code": "4",
                            "name": "Khảo sát sự hài lòng",
                            "unit": "Có = 1; Không = 0",
                            "choices": {0: "Không", 1: "Có"},
                        },
                        {"code": "5", "name": "Tỷ lệ người dân hài lòng", "unit": "%"},
                        {"code": "6", "name": "Khó khăn, vướng mắc", "kind": "text"},
                        {
                            "code": "7",
                            "name": "Số sở, ngành được kiểm tra",
                            "unit": "Cơ quan",
                            "levels": ["tinh"],
                        },
                    ],
                }
            ],
        }
    )


TEMPLATE = template()
PATHS_2024 = {"X1": ("P", "D"), "X2": ("P", "D"), "X3": ("P",)}
PATHS_2025 = {"X1": ("P", "D"), "X2": ("P",), "X3": ("P",)}
EXPECTED_2024 = [(unit, "xa", path) for unit, path in PATHS_2024.items()]


def report(
    unit: str,
    values: dict[str, str | Entry],
    *,
    paths: dict[str, tuple[str, ...]] = PATHS_2024,
    level: str = "xa",
    form: str = "BM1",
    **flags: object,
) -> UnitReport:
    entries = {c: v if isinstance(v, Entry) else Entry(v) for c, v in values.items()}
    return UnitReport(unit, level, paths.get(unit, ("P",)), {form: entries}, **flags)  # type: ignore[arg-type]


X1 = {"2.1": "2", "2.2": "1", "3": "12,5", "4": "Có", "5": "80", "6": "Thiếu cán bộ"}
X2 = {"2.1": "100", "2.2": "99", "3": "7", "4": "0", "5": "90", "6": "Không có"}
X3 = {"2.1": "40", "2.2": "40", "3": "0,5", "4": "1", "5": "100", "6": "Không"}


def two_of_three() -> Consolidation:
    return consolidate(TEMPLATE, [report("X1", X1), report("X2", X2)], expected_units=EXPECTED_2024)


# ---------------------------------------------------------------- what every figure says


def test_a_missing_unit_makes_every_figure_say_two_of_three_units() -> None:
    c = two_of_three()
    assert {key: t.coverage for key, t in c.totals.items()} == {
        ("BM1", "2"): "2/3 đơn vị",
        ("BM1", "2.1"): "2/3 đơn vị",
        ("BM1", "2.2"): "2/3 đơn vị",
        ("BM1", "3"): "2/3 đơn vị",
        ("BM1", "4"): "2/3 đơn vị",
        ("BM1", "5"): "2/3 đơn vị",
        ("BM1", "6"): "2/3 đơn vị",
        ("BM1", "7"): "0/0 đơn vị",  # a province-level row: communes owe nothing
    }
    assert {key: t.missing for key, t in c.totals.items()} == {
        **{("BM1", code): ("X3",) for code in ("2", "2.1", "2.2", "3", "4", "5", "6")},
        ("BM1", "7"): (),
    }
    assert (c.expected, c.submitted, c.not_submitted) == (
        ("X1", "X2", "X3"),
        ("X1", "X2"),
        ("X3",),
    )


def test_counts_and_amounts_are_summed_per_level_and_per_unit() -> None:
    c = two_of_three()
    assert c["BM1", "2.1"] == IndicatorTotal(
        form="BM1",
        code="2.1",
        kind=Kind.COUNT,
        value=D(102),
        units_reporting=2,
        units_expected=3,
        missing=("X3",),
        by_level={"xa": LevelTotal(D(102), 2, 3)},
        by_unit={"X1": D(2), "X2": D(100)},
    )
    assert c["BM1", "3"].value == D("19.5")
    assert c["BM1", "3"].by_unit == {"X1": D("12.5"), "X2": D(7)}


def test_rates_are_recomputed_from_summed_operands_never_averaged() -> None:
    rate = two_of_three()["BM1", "2"]
    assert rate.value == D(100) / D(102) * 100
    assert format_percent(rate.value) == "98,04%"  # not (50% + 99%) / 2 = 74,5%
    assert rate.operands == {"2.2": D(100), "2.1": D(102)}
    assert rate.by_unit == {"X1": D(50), "X2": D(99)}
    assert rate.by_level == {"xa": LevelTotal(D(100) / D(102) * 100, 2, 3)}


def test_a_unit_with_zero_over_zero_has_no_rate_of_its_own_but_its_zeros_are_summed() -> None:
    nothing = {"2.1": "0", "2.2": "0"}
    c = consolidate(TEMPLATE, [report("X1", nothing), report("X2", X2)])
    rate = c["BM1", "2"]
    assert (rate.value, rate.by_unit, rate.units_reporting) == (
        D(99),
        {"X1": None, "X2": D(99)},
        2,
    )
    alone = consolidate(TEMPLATE, [report("X1", nothing)])["BM1", "2"]
    assert (alone.value, alone.by_unit, alone.operands) == (
        None,
        {"X1": None},
        {"2.2": 0, "2.1": 0},
    )


def test_a_unit_that_gave_only_the_numerator_is_left_out_of_the_rate() -> None:
    c = consolidate(TEMPLATE, [report("X1", {"2.2": "1"}), report("X2", X2)])
    assert (c["BM1", "2.2"].value, c["BM1", "2"].value, c["BM1", "2"].missing) == (
        D(100),
        D(99),
        ("X1",),
    )


def test_a_rate_without_formula_is_listed_per_unit_and_not_averaged() -> None:
    rate = two_of_three()["BM1", "5"]
    assert (rate.value, rate.by_unit, rate.by_level["xa"]) == (
        None,
        {"X1": D(80), "X2": D(90)},
        LevelTotal(None, 2, 3),
    )


def test_coded_answers_become_counts_per_option_and_an_invalid_answer_is_named() -> None:
    answers = [report("X1", {"4": "Có"}), report("X2", {"4": "0"}), report("X3", {"4": "2"})]
    choice = consolidate(TEMPLATE, answers)["BM1", "4"]
    assert choice == IndicatorTotal(
        form="BM1",
        code="4",
        kind=Kind.CHOICE,
        value=None,
        units_reporting=2,
        units_expected=3,
        invalid=("X3",),
        by_level={"xa": LevelTotal(None, 2, 3, {0: 1, 1: 1})},
        by_unit={"X1": D(1), "X2": D(0)},
        counts={0: 1, 1: 1},
    )


def test_text_answers_and_notes_are_listed_per_unit() -> None:
    noted = {**X2, "2.1": Entry("100", note="Gồm 12 hồ sơ trực tuyến")}
    c = consolidate(TEMPLATE, [report("X1", X1), report("X2", noted)])
    assert c["BM1", "6"].notes == {"X1": "Thiếu cán bộ", "X2": "Không có"}
    assert c["BM1", "6"].units_reporting == 2
    assert c["BM1", "2.1"].notes == {"X2": "Gồm 12 hồ sơ trực tuyến"}


def test_ambiguous_and_unreadable_values_are_not_summed_but_counted() -> None:
    c = consolidate(
        TEMPLATE,
        [
            report("X1", {"3": "3,887", "2.1": "1.102", "2.2": "1.100"}),  # 3,887 or 3.887
            report("X2", {"3": "nhiều", "2.1": "10", "2.2": "?"}),
            report("X3", {"3": "5"}),
        ],
    )
    amount = c["BM1", "3"]
    assert (amount.value, amount.units_reporting, amount.unreadable, amount.missing) == (
        D(5),
        1,
        ("X1", "X2"),
        (),
    )
    # a count reads 1.102 one way only (a whole number of applications)
    assert c["BM1", "2.1"].by_unit == {"X1": D(1102), "X2": D(10)}
    rate = c["BM1", "2"]
    assert (rate.value, rate.unreadable, rate.missing) == (
        D(1100) / D(1102) * 100,
        ("X2",),
        ("X3",),
    )


def test_late_on_time_and_unsubmitted_reports_are_counted_and_a_draft_is_not_summed() -> None:
    c = consolidate(
        TEMPLATE,
        [
            report("X1", X1, late=True),
            report("X2", X2),
            report("X3", X3, submitted=False),
        ],
    )
    assert (c.submitted, c.on_time, c.late, c.not_submitted) == (
        ("X1", "X2"),
        ("X2",),
        ("X1",),
        ("X3",),
    )
    assert (c["BM1", "2.1"].value, c["BM1", "2.1"].missing) == (D(102), ("X3",))


def test_levels_give_the_office_line_province_district_commune() -> None:
    # "213.936 hồ sơ: cấp tỉnh 35.186, cấp huyện 11.406, cấp xã 167.344;
    #  đúng hạn 96,8% / 95,0% / 98,4%"
    paths = {"P": (), "D": ("P",), "X1": ("P", "D")}
    c = consolidate(
        TEMPLATE,
        [
            report("P", {"2.1": "35.186", "2.2": "34.060", "7": "18"}, paths=paths, level="tinh"),
            report("D", {"2.1": "11.406", "2.2": "10.836"}, paths=paths, level="huyen"),
            report("X1", {"2.1": "167.344", "2.2": "164.667"}, paths=paths),
        ],
    )
    count, rate = c["BM1", "2.1"], c["BM1", "2"]
    assert format_number(count.value) == "213.936"
    assert {lv: format_number(t.value) for lv, t in count.by_level.items()} == {
        "tinh": "35.186",
        "huyen": "11.406",
        "xa": "167.344",
    }
    assert {lv: format_percent(t.value, 1) for lv, t in rate.by_level.items()} == {
        "tinh": "96,8%",
        "huyen": "95%",
        "xa": "98,4%",
    }
    assert rate.value == D(34060 + 10836 + 164667) / D(213936) * 100
    assert (c["BM1", "7"].value, c["BM1", "7"].coverage) == (D(18), "1/1 đơn vị")


# ---------------------------------------------------------------- the tree of the period


def test_the_moved_commune_rolls_up_along_the_tree_of_its_period() -> None:
    def round_of(paths: dict[str, tuple[str, ...]]) -> Consolidation:
        reports = [report(u, v, paths=paths) for u, v in (("X1", X1), ("X2", X2), ("X3", X3))]
        return consolidate(TEMPLATE, reports)

    old, new = round_of(PATHS_2024), round_of(PATHS_2025)
    assert old.totals == new.totals
    assert old["BM1", "2.1"].value == D(142)

    def applications(c: Consolidation, parent: str | None = None) -> dict[str, Decimal | None]:
        return {b: part["BM1", "2.1"].value for b, part in c.breakdown(parent).items()}

    assert applications(old) == {"D": D(102), "X3": D(40)}
    assert applications(new) == {"D": D(2), "X2": D(100), "X3": D(40)}
    assert applications(old, "D") == {"X1": D(2), "X2": D(100)}
    assert applications(new, "D") == {"X1": D(2)}
    assert old.breakdown()["D"]["BM1", "2"].value == D(100) / D(102) * 100


def test_a_branch_says_which_of_its_units_are_missing() -> None:
    parts = two_of_three().breakdown()
    assert {b: (p.expected, p.not_submitted) for b, p in parts.items()} == {
        "D": (("X1", "X2"), ()),
        "X3": (("X3",), ("X3",)),
    }


# ---------------------------------------------------------------- template versions

OLD = build_template(
    {
        "id": "xa-2022",
        "title": "Mẫu cũ",
        "levels": ["xa"],
        "forms": [
            {
                "code": "BM2",
                "title": "Cải cách thủ tục hành chính",
                "indicators": [
                    {
                        "code": "3.3",
                        "name": "Tỷ lệ hồ sơ giải quyết đúng hạn",
                        "unit": "%",
                        "formula": "3.3.2 / 3.3.1 * 100",
                    },
                    {"code": "3.3.1", "name": "Số hồ sơ đã giải quyết", "unit": "Hồ sơ"},
                    {"code": "3.3.2", "name": "Số hồ sơ đúng hạn", "unit": "Hồ sơ"},
                    {"code": "9", "name": "Số sáng kiến", "unit": "Sáng kiến"},
                ],
            }
        ],
    }
)
MAPPING_DATA = {
    "from": "xa-2022",
    "to": "xa-2025",
    "indicators": {"BM2.3.3.1": "BM1.2.1", "BM2[3.3.2]": "BM1.2.2"},
}


def test_reports_of_an_older_version_consolidate_on_the_indicators_they_share() -> None:
    mapping = mapping_from_data(MAPPING_DATA, templates={t.id: t for t in (OLD, TEMPLATE)})
    assert mapping == VersionMapping(
        "xa-2025",
        {("xa-2022", "BM2", "3.3.1"): ("BM1", "2.1"), ("xa-2022", "BM2", "3.3.2"): ("BM1", "2.2")},
    )
    old = UnitReport(
        "X2",
        "xa",
        ("P", "D"),
        {"BM2": {"3.3.1": Entry("100"), "3.3.2": Entry("99"), "3.3": Entry("99"), "9": Entry("4")}},
        template_id="xa-2022",
    )
    c = consolidate(TEMPLATE, [report("X1", X1), old], mapping=mapping)
    assert (c["BM1", "2.1"].value, c["BM1", "2"].value) == (D(102), D(100) / D(102) * 100)
    assert (c["BM1", "3"].value, c["BM1", "3"].missing) == (D("12.5"), ("X2",))
    assert c.not_comparable == {("xa-2022", "BM2", "3.3"): 1, ("xa-2022", "BM2", "9"): 1}


def test_without_a_mapping_another_version_is_not_comparable_at_all() -> None:
    old = UnitReport("X2", "xa", ("P",), {"BM2": {"9": Entry("4")}}, template_id="xa-2022")
    c = consolidate(TEMPLATE, [report("X1", X1), old])
    assert (c.not_comparable, c["BM1", "2.1"].missing) == ({("xa-2022", "BM2", "9"): 1}, ("X2",))


def test_a_mapping_for_another_template_is_refused() -> None:
    other = VersionMapping("pl-2024", {})
    with pytest.raises(ValueError, match="dành cho mẫu pl-2024, không phải mẫu xa-2025"):
        consolidate(TEMPLATE, [], mapping=other)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("BM1.2.1", "Bảng chuyển đổi phải là một bảng khóa: giá trị."),
        (
            {"to": "xa-2025", "indicators": {"BM2.9": "BM1.7"}},
            "Bảng chuyển đổi: thiếu khóa bắt buộc «from» (mã mẫu).",
        ),
        (
            {"from": "xa-2022", "to": "xa-2025", "indicators": {"BM2.9": "BM1.7"}, "note": 1},
            "Bảng chuyển đổi: khóa không được hỗ trợ «note».",
        ),
        (
            {"from": "xa-2022", "to": "xa-2025", "indicators": {"9": "BM1.7"}},
            "Bảng chuyển đổi: «9» không phải mã chỉ tiêu có mã biểu (ví dụ BM1.2.1).",
        ),
        (
            {"from": "xa-2022", "to": "xa-2025", "indicators": []},
            "Bảng chuyển đổi: «indicators» phải là bảng mã cũ: mã mới, ví dụ BM1.2.1: PL2.2.1.",
        ),
        (
            {
                "from": "xa-2022",
                "to": "xa-2025",
                "indicators": {"BM2.9": "BM1.7", "BM2[9]": "BM1.2.1"},
            },
            "Bảng chuyển đổi: chỉ tiêu BM2[9] được chuyển đổi hai lần.",
        ),
        (
            {
                "from": "xa-2022",
                "to": "xa-2025",
                "indicators": {"BM2.9": "BM1.7", "BM2.3.3.1": "BM1.7"},
            },
            "Bảng chuyển đổi: chỉ tiêu BM1.7 nhận từ hai chỉ tiêu BM2.9 và BM2.3.3.1.",
        ),
        (
            {"from": "xa-2022", "to": "xa-2025", "indicators": {"BM2.8": "BM1.2.1"}},
            "Bảng chuyển đổi: mẫu xa-2022 không có chỉ tiêu BM2.8.",
        ),
        (
            {"from": "xa-2022", "to": "xa-2025", "indicators": {"BM2.3.3": "BM1.2.1"}},
            "Bảng chuyển đổi: BM2.3.3 (rate) và BM1.2.1 (count) khác loại, "
            "không tổng hợp chung được.",
        ),
        (
            [MAPPING_DATA, {**MAPPING_DATA, "from": "ha-trung", "to": "pl-2024"}],
            "Các bảng chuyển đổi phải cùng chuyển về một mẫu (có: pl-2024, xa-2025).",
        ),
    ],
)
def test_a_bad_mapping_is_refused_with_a_vietnamese_message(data: object, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        mapping_from_data(data, templates={t.id: t for t in (OLD, TEMPLATE)})
    assert str(raised.value) == message


def test_two_versions_may_feed_the_same_indicator() -> None:
    mapping = mapping_from_data(
        [MAPPING_DATA, {"from": "ha-trung", "to": "xa-2025", "indicators": {"BM1.1": "BM1.2.1"}}]
    )
    assert mapping.sources == {"xa-2022", "ha-trung"}


# ---------------------------------------------------------------- details of the machinery


def test_any_formula_shape_gives_the_same_figures_as_the_usual_ratio() -> None:
    reports = [report("X1", X1), report("X2", {"2.1": "0", "2.2": "0"}), report("X3", X3)]
    usual = consolidate(TEMPLATE, reports)["BM1", "2"]
    other = consolidate(template("2.2 / 2.1 * 100 + 0"), reports)["BM1", "2"]
    assert (other.value, other.by_unit, other.by_level) == (
        usual.value,
        usual.by_unit,
        usual.by_level,
    )


def test_a_unit_cannot_report_twice_in_one_round() -> None:
    with pytest.raises(ValueError, match="Đơn vị X1 có hai báo cáo trong cùng một đợt"):
        consolidate(TEMPLATE, [report("X1", X1), report("X1", X2)])


def test_a_resubmitted_report_replaces_the_first_in_running_totals() -> None:
    running = RunningTotals(TEMPLATE, expected_units=EXPECTED_2024)
    running.add(report("X1", X1))
    running.add(report("X1", X3))
    assert running.result() == consolidate(
        TEMPLATE, [report("X1", X3)], expected_units=EXPECTED_2024
    )
    with pytest.raises(KeyError):
        running.remove("X9")


# ---------------------------------------------------------------- running totals

UNITS = {
    "P": ("tinh", ()),
    "D": ("huyen", ("P",)),
    "X1": ("xa", ("P", "D")),
    "X2": ("xa", ("P", "D")),
    "X3": ("xa", ("P",)),
    "X4": ("xa", ("P",)),
}
RAW = {
    "2.1": ["", "0", "2", "100", "1.102", "nhiều"],
    "2.2": ["", "0", "1", "99", "3,5"],
    "3": ["", "0", "12,5", "3,887", "1.000"],
    "4": ["", "0", "1", "Có", "2"],
    "5": ["", "80", "99,5"],
    "6": ["", "Thiếu cán bộ", "Không"],
    "7": ["", "18"],
}
MAPPING = mapping_from_data(MAPPING_DATA)

new_values = st.fixed_dictionaries(
    {},
    optional={
        code: st.builds(Entry, st.sampled_from(raws), st.sampled_from(["", "ghi chú"]))
        for code, raws in RAW.items()
    },
)
old_values = st.fixed_dictionaries(
    {},
    optional={
        code: st.builds(Entry, st.sampled_from(["", "7", "0", "3,887"]))
        for code in ("3.3.1", "3.3.2", "3.3", "9")
    },
)


@st.composite
def unit_reports(draw: st.DrawFn) -> UnitReport:
    unit = draw(st.sampled_from(sorted(UNITS)))
    level, path = UNITS[unit]
    old = draw(st.booleans())
    values = {"BM2": draw(old_values)} if old else {"BM1": draw(new_values)}
    return UnitReport(
        unit,
        level,
        path,
        values,
        submitted=draw(st.booleans()),
        late=draw(st.booleans()),
        template_id="xa-2022" if old else draw(st.sampled_from(["", "xa-2025"])),
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(unit_reports(), max_size=8),
    st.randoms(use_true_random=False),
    st.booleans(),
)
def test_running_totals_equal_a_full_recomputation(
    reports: list[UnitReport], rng: object, with_expected: bool
) -> None:
    expected = [(u, lv, path) for u, (lv, path) in UNITS.items()] if with_expected else None
    running = RunningTotals(TEMPLATE, expected_units=expected, mapping=MAPPING)
    held: dict[str, UnitReport] = {}
    for r in reports:  # a later report of the same unit replaces the earlier one
        running.add(r)
        held[r.unit] = r
    for unit in sorted(held):
        if rng.random() < 0.3:  # type: ignore[attr-defined]
            running.remove(unit)
            del held[unit]
    remaining = list(held.values())
    rng.shuffle(remaining)  # type: ignore[attr-defined]
    full = consolidate(TEMPLATE, remaining, expected_units=expected, mapping=MAPPING)
    result = running.result()
    assert result == full
    assert result.breakdown() == full.breakdown()
