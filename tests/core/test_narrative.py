"""The narrative's figures: read from Vietnamese prose, checked against each other and the table."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.core.narrative import SectionText, check_narrative, check_report_narrative, report_level
from cchc.core.narrative.figures import read_figures
from cchc.core.reading import read_report
from cchc.core.templates import Severity
from cchc.importers.report_file import import_report, report_content
from cchc.importers.seed_text import read_text_report
from tests.seeds import SEED_000, SEED_001, SEED_002

D = Decimal


def _figures(text: str) -> list[tuple]:
    return [(f.raw, f.value, f.denominator, f.percent, f.noun) for f in read_figures(text)]


def _seed_findings(path, text: str | None = None, tmp_path=None):
    if text is not None:
        path = tmp_path / path.name
        path.write_text(text, encoding="utf-8")
    imported = import_report(path)
    result = read_report(imported.template, imported.values, imported.findings)
    narrative = check_report_narrative(report_content(imported), imported.template, result.values)
    return [(f.rule, f.severity, f.line) for f in narrative.findings], narrative


def test_vietnamese_numbers_in_prose_are_read_with_what_they_count() -> None:
    text = (
        "Tiếp nhận 12.480 hồ sơ, đạt 97,3%; 01 cuộc kiểm tra; hoàn thành 415/1.203 nhiệm vụ; "
        "khoảng 3,2 nghìn hồ sơ và 2.715.925.699 đồng."
    )
    assert _figures(text) == [
        ("12.480", D(12480), None, False, "ho so"),
        ("97,3%", D("97.3"), None, True, ""),
        ("01", D(1), None, False, "cuoc"),
        ("415/1.203", D(415), D(1203), False, "nhiem vu"),
        ("3,2 nghìn", D(3200), None, False, "ho so"),
        ("2.715.925.699", D(2715925699), None, False, "dong"),
    ]


def test_dates_symbols_years_levels_and_slogans_are_not_figures() -> None:
    text = (
        "Kế hoạch số 85/KH-UBND ngày 23/12/2021, Nghị định 34/2020/NĐ-CP, Kế hoạch số 147-KH/HU, "
        "ISO 9001:2015, “4 tăng, 2 giảm, 3 không”, mức độ 3, liên thông 4 cấp, 9 tháng đầu năm "
        "2022, ngày 03 tháng 01 năm 2024, giai đoạn 2021 - 2030, lúc 10 giờ."
    )
    assert _figures(text) == []


def test_seed_002s_two_narrative_contradictions_are_found(tmp_path) -> None:
    found, narrative = _seed_findings(SEED_002)
    assert found == [
        ("narrative-count-conflict", Severity.ERROR, 96),  # nine civil servants, "7/8 đạt chuẩn"
        ("narrative-period", Severity.ERROR, 152),  # "6 tháng cuối năm" in a 9-month report
    ]
    assert narrative.findings[0].message == (
        "Mục 2.4 «Cải cách công vụ»: «Công chức: có 7/8 đồng chí đạt chuẩn về chuyên môn "
        "nghiệp vụ đạt 87,5%» — tỷ lệ 7/8 tính trên 8 công chức, nhưng báo cáo ghi có 9 công "
        "chức («9 công chức»; «công chức là 09»; bảng số liệu 9)."
    )
    assert narrative.findings[1].message == (
        "Mục 5 «Phương hướng, nhiệm vụ 3 tháng cuối năm 2022»: «Trên đây là báo cáo Kết quả "
        "thực hiện công tác cải cách hành chính 9 tháng đầu năm; Phương hướng, nhiệm vụ 6 tháng "
        "cuối năm 2022.» — ghi «6 tháng cuối năm» nhưng đây là báo cáo 9 tháng đầu năm 2022, "
        "phần còn lại của năm là «3 tháng cuối năm»."
    )


def test_seed_001s_narrative_raises_no_error_only_its_cut_rate() -> None:
    found, narrative = _seed_findings(SEED_001)
    assert found == [("narrative-rate-rounding", Severity.WARNING, 23)]  # 15/19 "(đạt 78,94%)"
    linked = {
        (fact.figure.raw, link.form.code, link.indicator.code)
        for fact, _, links in narrative.links
        for link in links[:1]
    }
    assert {("281", "PL8", "6.4.1"), ("276", "PL4", "3.3.1"), ("19", "PL2", "2.1")} <= linked


def test_seed_000s_instructions_raise_nothing() -> None:
    doc = read_text_report(SEED_000.read_text(encoding="utf-8"), SEED_000.name)
    sections = [SectionText(s.code, s.title, s.text, tuple(s.lines), s.line) for s in doc.narrative]
    assert check_narrative(sections).findings == []


def test_a_narrative_figure_that_differs_from_the_table_is_a_warning_when_the_link_is_loose(
    tmp_path,
) -> None:
    text = SEED_002.read_text(encoding="utf-8").replace(
        "điện tử xã là 1102 hồ sơ", "điện tử xã là 1120 hồ sơ"
    )
    _, narrative = _seed_findings(SEED_002, text, tmp_path)
    mismatch = [f for f in narrative.findings if f.rule == "narrative-table-mismatch"]
    assert [(f.severity, f.line, f.form, f.codes) for f in mismatch] == [
        (Severity.WARNING, 54, "SL", ("3.3.1",))
    ]
    assert mismatch[0].message.endswith(
        "— nội dung ghi 1.120 nhưng Số liệu thống kê, chỉ tiêu 3.3.1 «Số lượng hồ sơ đã tiếp "
        "nhận» là 1.102 (liên kết chưa chắc chắn, độ tin cậy 0.60)."
    )


def test_the_texts_are_read_once_but_compared_with_the_figures_of_each_check() -> None:
    """Saving figures leaves the texts as they were: they are read once, while the
    comparison with the table follows the figures given to each check."""
    from cchc.core.narrative import _read_texts

    imported = import_report(SEED_001)
    content = report_content(imported)
    values = read_report(imported.template, imported.values, imported.findings).values
    _read_texts.cache_clear()
    first = check_report_narrative(content, imported.template, values)
    assert _read_texts.cache_info().misses == 1
    again = check_report_narrative(content, imported.template, values)
    assert _read_texts.cache_info().hits == 1
    assert again.findings == first.findings
    assert not [f for f in first.findings if f.rule == "narrative-table-mismatch"]

    # The same texts with another table figure: the mismatch is found, from the texts read.
    changed = {**values, ("PL2", "2.1"): values[("PL2", "2.1")] + 1}
    found = check_report_narrative(content, imported.template, changed).findings
    assert _read_texts.cache_info().hits == 2
    assert [(f.rule, f.codes) for f in found if f.rule == "narrative-table-mismatch"] == [
        ("narrative-table-mismatch", ("2.1",))
    ]
    # And a changed text is read anew, not served from what was read before.
    content.narrative[2].text += " Đã giải quyết 10 hồ sơ, trong đó đúng hạn 8 hồ sơ."
    check_report_narrative(content, imported.template, values)
    assert _read_texts.cache_info().misses == 2


def test_every_narrative_finding_carries_its_sentence_and_where_it_is_in_the_section() -> None:
    section = SectionText(
        "II.2",
        "Cải cách TTHC",
        "Mở đầu.\n\nĐã giải quyết 10 hồ sơ, trong đó đúng hạn 8 hồ sơ, quá hạn 1 hồ sơ.",
        (40, 42),
        39,
    )
    (f,) = check_narrative([section]).findings
    assert (f.line, f.values["section"], f.values["start"], f.values["end"]) == (42, "II.2", 9, 76)
    assert section.text[f.values["start"] : f.values["end"]] == f.values["sentence"]


def test_the_reporting_level_is_read_from_the_unit_name() -> None:
    assert [
        report_level(u) for u in ("UBND xã Hương Sơn", "UBND huyện Nam Đông", "Sở Nội vụ", "")
    ] == [
        "xa",
        "huyen",
        "tinh",
        None,
    ]


_PROSE = "0123456789.,/%()-+:; \n“”trong đó gồm hồ sơ đúng hạn quá tháng"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_PROSE, max_size=300))
def test_any_text_is_read_without_failing_and_findings_point_into_it(text: str) -> None:
    section = SectionText("I", "Mục", text)
    for f in check_narrative([section]).findings:
        assert 0 <= f.values["start"] < f.values["end"] <= len(text)


@pytest.mark.parametrize("text", ["1/" * 5000, "1 " * 5000, "trong đó 1 hồ sơ, " * 1000])
def test_long_runs_of_numbers_are_read_in_bounded_time(text: str) -> None:
    started = time.perf_counter()
    check_narrative([SectionText("I", "Mục", text)])
    assert time.perf_counter() - started < 5  # was minutes: quadratic context and masks
