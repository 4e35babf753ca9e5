"""Checking one report's values against its template (cchc/core/validation.py)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.core.reading import read_report
from cchc.core.templates import Severity, build_template
from cchc.core.validation import Finding, ValidationResult
from cchc.core.values import Entry, ReportValues, Source

TEMPLATE = build_template(
    {
        "id": "t",
        "title": "Mẫu thử",
        "levels": ["xa"],
        "forms": [
            {
                "code": "BM1",
                "label": "Biểu mẫu 1",
                "title": "Công tác chỉ đạo điều hành CCHC",
                "indicators": [
                    {"code": "1", "name": "Số văn bản chỉ đạo", "unit": "Văn bản"},
                    {
                        "code": "2",
                        "name": "Tỷ lệ hoàn thành Kế hoạch",
                        "unit": "%",
                        "formula": "2.2 / 2.1 * 100",
                    },
                    {"code": "2.1", "name": "Số nhiệm vụ đề ra", "unit": "Nhiệm vụ"},
                    {"code": "2.2", "name": "Số nhiệm vụ đã hoàn thành", "unit": "Nhiệm vụ"},
                    {"code": "3", "name": "Kiểm tra CCHC", "kind": "heading"},
                    {
                        "code": "4",
                        "name": "Khảo sát sự hài lòng",
                        "unit": "Có = 1; Không = 0",
                        "choices": {1: "Có", 0: "Không"},
                    },
                    {"code": "5", "name": "Kinh phí", "unit": "Triệu đồng"},
                    {"code": "6", "name": "Tỷ lệ báo cáo điện tử", "unit": "%"},
                    {
                        "code": "7",
                        "name": "Số cơ quan được thanh tra",
                        "unit": "%",
                        "kind": "count",
                    },
                    {"code": "8", "name": "Số sáng kiến", "kind": "count"},
                ],
            },
            {
                "code": "BM2",
                "label": "Biểu mẫu 2",
                "title": "Cải cách thủ tục hành chính",
                "indicators": [
                    {"code": "1", "name": "Tổng số TTHC", "unit": "Thủ tục"},
                    {"code": "1.1", "name": "Số TTHC cấp huyện", "unit": "Thủ tục"},
                    {"code": "1.2", "name": "Số TTHC cấp xã", "unit": "Thủ tục"},
                    {"code": "2", "name": "Tổng số hồ sơ đã giải quyết", "unit": "Hồ sơ"},
                    {"code": "2.1", "name": "Số hồ sơ giải quyết đúng hạn", "unit": "Hồ sơ"},
                    {"code": "3", "name": "Hồ sơ theo hình thức nộp", "kind": "heading"},
                    {"code": "3.a", "name": "Tỷ lệ nộp trực tuyến", "unit": "%"},
                    {"code": "3.b", "name": "Tỷ lệ nộp trực tiếp", "unit": "%"},
                    {"code": "4", "name": "Số cuộc đối thoại", "unit": "Cuộc"},
                    {"code": "5", "name": "Số kiến nghị qua đối thoại", "unit": "Kiến nghị"},
                ],
            },
        ],
        "rules": [
            {
                "id": "bm2-dung-han-le-tong",
                "form": "BM2",
                "kind": "parts_le_total",
                "total": "2",
                "parts": ["2.1"],
            },
            {
                "id": "bm2-tthc-tong-bang-cac-cap",
                "form": "BM2",
                "kind": "sum_equals_total",
                "total": "1",
                "parts": ["1.1", "1.2"],
            },
            {
                "id": "bm2-ty-le-hinh-thuc",
                "form": "BM2",
                "kind": "shares_le_100",
                "parts": ["3.a", "3.b"],
            },
            {
                "id": "bm2-kien-nghi-can-doi-thoai",
                "form": "BM2",
                "kind": "check",
                "check": "[5] == 0 or [4] > 0",
                "severity": "warning",
                "message": "Có kiến nghị qua đối thoại (5) thì phải có cuộc đối thoại (4).",
            },
        ],
    }
)


def report(**forms: dict[str, str]) -> ReportValues:
    """Values as typed: form code → indicator code → raw text."""
    return {form: {code: Entry(raw) for code, raw in rows.items()} for form, rows in forms.items()}


def validate(**forms: dict[str, str]) -> ValidationResult:
    return read_report(TEMPLATE, report(**forms))


def value_finding(
    rule: str,
    severity: Severity,
    message: str,
    code: str,
    label: str,
    value,
    form: str = "BM1",
    line: int | None = None,
) -> Finding:
    return Finding(
        rule,
        severity,
        message,
        form=form,
        codes=(code,),
        labels=(label,),
        values={code: value},
        line=line,
    )


# --- one value as its indicator demands -----------------------------------------------


def test_a_choice_outside_its_options_is_an_error_listing_them() -> None:
    assert validate(BM1={"4": "2"}).findings == [
        value_finding(
            "choice-out-of-range",
            Severity.ERROR,
            "Biểu mẫu 1, chỉ tiêu 4 «Khảo sát sự hài lòng»: giá trị 2 không có trong danh sách "
            "lựa chọn (Có = 1; Không = 0).",
            "4",
            "Khảo sát sự hài lòng",
            Decimal(2),
        )
    ]


@pytest.mark.parametrize(("raw", "value"), [("Có", 1), ("có", 1), ("Không", 0), ("1", 1), ("0", 0)])
def test_a_choice_may_be_written_as_its_code_or_its_label(raw: str, value: int) -> None:
    result = validate(BM1={"4": raw})

    assert (result.findings, result.values) == ([], {("BM1", "4"): Decimal(value)})


def test_a_choice_written_as_an_unknown_word_is_unreadable() -> None:
    assert validate(BM1={"4": "Chưa"}).findings == [
        value_finding(
            "unreadable-value",
            Severity.ERROR,
            "Biểu mẫu 1, chỉ tiêu 4 «Khảo sát sự hài lòng»: «Chưa» không đọc được thành số.",
            "4",
            "Khảo sát sự hài lòng",
            "Chưa",
        )
    ]


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [
        (
            "1",
            "2,5",
            value_finding(
                "count-not-whole",
                Severity.ERROR,
                "Biểu mẫu 1, chỉ tiêu 1 «Số văn bản chỉ đạo»: số lượng phải là số nguyên, "
                "nhưng ghi 2,5.",
                "1",
                "Số văn bản chỉ đạo",
                Decimal("2.5"),
            ),
        ),
        (
            "1",
            "-3",
            value_finding(
                "negative-value",
                Severity.ERROR,
                "Biểu mẫu 1, chỉ tiêu 1 «Số văn bản chỉ đạo»: số lượng -3 không được âm.",
                "1",
                "Số văn bản chỉ đạo",
                Decimal(-3),
            ),
        ),
        (
            "5",
            "-3,5",
            value_finding(
                "negative-value",
                Severity.ERROR,
                "Biểu mẫu 1, chỉ tiêu 5 «Kinh phí»: giá trị -3,5 không được âm.",
                "5",
                "Kinh phí",
                Decimal("-3.5"),
            ),
        ),
        (
            "6",
            "120",
            value_finding(
                "rate-out-of-range",
                Severity.ERROR,
                "Biểu mẫu 1, chỉ tiêu 6 «Tỷ lệ báo cáo điện tử»: tỷ lệ 120% nằm ngoài khoảng "
                "0–100%.",
                "6",
                "Tỷ lệ báo cáo điện tử",
                Decimal(120),
            ),
        ),
        (
            "7",
            "5",
            value_finding(
                "count-under-percent",
                Severity.WARNING,
                "Biểu mẫu 1, chỉ tiêu 7 «Số cơ quan được thanh tra»: chỉ tiêu đếm số lượng nhưng "
                "đơn vị tính ghi «%» (giá trị 5).",
                "7",
                "Số cơ quan được thanh tra",
                Decimal(5),
            ),
        ),
        (
            "3",
            "5",
            value_finding(
                "heading-has-value",
                Severity.WARNING,
                "Biểu mẫu 1, chỉ tiêu 3 «Kiểm tra CCHC»: dòng tiêu đề nhóm không nhận số liệu "
                "nhưng có giá trị 5.",
                "3",
                "Kiểm tra CCHC",
                Decimal(5),
            ),
        ),
        (
            "5",
            "3,887",
            Finding(
                "ambiguous-number",
                Severity.WARNING,
                "Biểu mẫu 1, chỉ tiêu 5 «Kinh phí»: «3,887» đọc được hai cách (3,887 hoặc 3.887); "
                "cần xác nhận. Theo quy ước Việt Nam «,» là dấu thập phân, «.» là dấu phân cách "
                "hàng nghìn.",
                form="BM1",
                codes=("5",),
                labels=("Kinh phí",),
                values={"5": "3,887", "readings": [Decimal("3.887"), Decimal(3887)]},
            ),
        ),
        (
            "1",
            "mười",
            value_finding(
                "unreadable-value",
                Severity.ERROR,
                "Biểu mẫu 1, chỉ tiêu 1 «Số văn bản chỉ đạo»: «mười» không đọc được thành số.",
                "1",
                "Số văn bản chỉ đạo",
                "mười",
            ),
        ),
        (
            "8",
            "3",
            value_finding(
                "missing-unit",
                Severity.INFO,
                "Biểu mẫu 1, chỉ tiêu 8 «Số sáng kiến»: dòng có số liệu (3) nhưng không ghi "
                "đơn vị tính.",
                "8",
                "Số sáng kiến",
                Decimal(3),
            ),
        ),
    ],
    ids=[
        "count-not-whole",
        "negative-count",
        "negative-amount",
        "rate-out-of-range",
        "count-under-percent",
        "heading-has-value",
        "ambiguous-amount",
        "unreadable-value",
        "missing-unit",
    ],
)
def test_a_value_its_indicator_cannot_take_raises_one_finding(
    code: str, raw: str, expected: Finding
) -> None:
    assert validate(BM1={code: raw}).findings == [expected]


@pytest.mark.parametrize(("raw", "value"), [("1.102", 1102), ("3,887", 3887), ("1102", 1102)])
def test_a_count_with_only_one_whole_reading_is_not_ambiguous(raw: str, value: int) -> None:
    result = validate(BM1={"1": raw})

    assert (result.findings, result.values) == ([], {("BM1", "1"): Decimal(value)})


def test_a_value_of_a_form_the_template_lacks_is_an_unknown_form() -> None:
    assert validate(BM9={"1": "3"}).findings == [
        Finding("unknown-form", Severity.ERROR, "Mẫu t không có biểu «BM9».", form="BM9")
    ]


def test_a_value_of_a_code_the_form_lacks_is_an_unknown_indicator_on_its_line() -> None:
    values = {"BM1": {"9.9": Entry("3", source=Source(file="bao-cao.txt", line=41))}}

    assert read_report(TEMPLATE, values).findings == [
        Finding(
            "unknown-indicator",
            Severity.ERROR,
            "Biểu mẫu 1 không có chỉ tiêu mã «9.9».",
            form="BM1",
            codes=("9.9",),
            line=41,
        )
    ]


def test_a_finding_carries_the_source_line_of_its_value() -> None:
    values = {"BM1": {"1": Entry("-3", source=Source(file="bao-cao.txt", line=17, stt="1."))}}

    assert [(f.rule, f.line) for f in read_report(TEMPLATE, values).findings] == [
        ("negative-value", 17)
    ]


# --- rates against their formula ------------------------------------------------------

RATE_LABELS = ("Tỷ lệ hoàn thành Kế hoạch", "Số nhiệm vụ đã hoàn thành", "Số nhiệm vụ đề ra")
FIFTEEN_OF_NINETEEN = Decimal(15) / Decimal(19) * 100


@pytest.mark.parametrize("raw", ["78,95", "78,95%", "78,9", "79"])
def test_a_rate_equal_to_its_formula_at_its_own_precision_raises_nothing(raw: str) -> None:
    result = validate(BM1={"2": raw, "2.1": "19", "2.2": "15"})

    assert (result.findings, result.computed) == ([], {("BM1", "2"): FIFTEEN_OF_NINETEEN})


def test_a_rate_rounded_wrongly_is_a_rounding_warning() -> None:
    assert validate(BM1={"2": "78,94", "2.1": "19", "2.2": "15"}).findings == [
        Finding(
            "rate-rounding",
            Severity.WARNING,
            "Biểu mẫu 1, chỉ tiêu 2 «Tỷ lệ hoàn thành Kế hoạch»: tỷ lệ ghi 78,94%, tính từ "
            "2.2 = 15, 2.1 = 19 được 78,9474%, làm tròn đúng là 78,95%.",
            form="BM1",
            codes=("2", "2.2", "2.1"),
            labels=RATE_LABELS,
            values={
                "2": Decimal("78.94"),
                "2.2": Decimal(15),
                "2.1": Decimal(19),
                "computed": FIFTEEN_OF_NINETEEN,
            },
        )
    ]


def test_a_rate_far_from_its_formula_is_a_mismatch_error() -> None:
    assert validate(BM1={"2": "80", "2.1": "19", "2.2": "15"}).findings == [
        Finding(
            "rate-mismatch",
            Severity.ERROR,
            "Biểu mẫu 1, chỉ tiêu 2 «Tỷ lệ hoàn thành Kế hoạch»: tỷ lệ ghi 80% nhưng tính từ "
            "2.2 = 15, 2.1 = 19 được 78,95%.",
            form="BM1",
            codes=("2", "2.2", "2.1"),
            labels=RATE_LABELS,
            values={
                "2": Decimal(80),
                "2.2": Decimal(15),
                "2.1": Decimal(19),
                "computed": FIFTEEN_OF_NINETEEN,
            },
        )
    ]


@pytest.mark.parametrize("raw", ["100", "0"])
def test_a_rate_of_0_or_100_over_zero_is_a_warning_to_leave_it_blank(raw: str) -> None:
    result = validate(BM1={"2": raw, "2.1": "0", "2.2": "0"})

    assert result.findings == [
        Finding(
            "rate-over-zero",
            Severity.WARNING,
            f"Biểu mẫu 1, chỉ tiêu 2 «Tỷ lệ hoàn thành Kế hoạch»: tỷ lệ ghi {raw}% nhưng mẫu số "
            "bằng 0 (2.2 = 0, 2.1 = 0) nên tỷ lệ không xác định; để trống ô này.",
            form="BM1",
            codes=("2", "2.2", "2.1"),
            labels=RATE_LABELS,
            values={"2": Decimal(raw), "2.2": Decimal(0), "2.1": Decimal(0)},
        )
    ]
    assert result.computed == {("BM1", "2"): None}


def test_any_other_rate_reported_over_zero_is_an_error() -> None:
    findings = validate(BM1={"2": "50", "2.1": "0", "2.2": "0"}).findings

    assert [(f.rule, f.severity) for f in findings] == [("rate-over-zero", Severity.ERROR)]


def test_a_blank_rate_raises_nothing_but_is_still_computed() -> None:
    result = validate(BM1={"2": "", "2.1": "19", "2.2": "15"})

    assert (result.findings, result.computed) == ([], {("BM1", "2"): FIFTEEN_OF_NINETEEN})


def test_a_blank_rate_over_zero_raises_nothing_and_computes_to_undefined() -> None:
    result = validate(BM1={"2": "", "2.1": "0", "2.2": "0"})

    assert (result.findings, result.computed) == ([], {("BM1", "2"): None})


def test_a_rate_with_a_blank_operand_is_not_checked() -> None:
    result = validate(BM1={"2": "80", "2.1": "19"})

    assert (result.findings, result.computed) == ([], {("BM1", "2"): None})


# --- the template's rules --------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "fired"),
    [
        ({"2": "10", "2.1": "12"}, ["bm2-dung-han-le-tong"]),
        ({"2": "10", "2.1": "10"}, []),
        ({"1": "5", "1.1": "2", "1.2": "2"}, ["bm2-tthc-tong-bang-cac-cap"]),
        ({"1": "5", "1.1": "2", "1.2": "3"}, []),
        ({"3.a": "70", "3.b": "40"}, ["bm2-ty-le-hinh-thuc"]),
        ({"3.a": "60", "3.b": "40"}, []),
        ({"4": "0", "5": "3"}, ["bm2-kien-nghi-can-doi-thoai"]),
        ({"4": "1", "5": "3"}, []),
        ({"4": "0", "5": "0"}, []),
    ],
    ids=[
        "parts_le_total-fires",
        "parts_le_total-holds",
        "sum_equals_total-fires",
        "sum_equals_total-holds",
        "shares_le_100-fires",
        "shares_le_100-holds",
        "check-fires",
        "check-holds",
        "check-holds-without-kien-nghi",
    ],
)
def test_a_rule_fires_only_when_its_check_is_false(values: dict, fired: list[str]) -> None:
    assert [f.rule for f in validate(BM2=values).findings] == fired


@pytest.mark.parametrize(
    ("values", "fired"),
    [
        ({"1": "5", "1.1": "5", "1.2": ""}, []),
        ({"1": "5", "1.1": "4"}, ["bm2-tthc-tong-bang-cac-cap"]),
        ({"3.a": "70", "3.b": ""}, []),
        ({"3.a": "", "3.b": "120"}, ["bm2-ty-le-hinh-thuc"]),
    ],
    ids=["sum-equals-without-blank", "sum-short-without-blank", "share-alone", "share-alone-over"],
)
def test_blank_parts_are_left_out_of_a_rules_sum(values: dict, fired: list[str]) -> None:
    findings = validate(BM2=values).findings

    assert [f.rule for f in findings if f.rule.startswith("bm2-")] == fired


@pytest.mark.parametrize(
    "values",
    [
        {},
        {code: "" for code in ("1", "1.1", "1.2", "2", "2.1", "3", "3.a", "3.b", "4", "5")},
        {"1": "5", "1.1": "", "1.2": ""},
        {"2.1": "12"},
        {"5": "3"},
    ],
    ids=["no-values", "all-blank", "total-without-parts", "part-without-total", "check-undefined"],
)
def test_a_rule_whose_values_are_blank_or_undefined_raises_nothing(values: dict) -> None:
    assert validate(BM2=values).findings == []


def test_a_rule_without_a_message_names_each_indicator_and_value() -> None:
    values = {
        "BM2": {
            "2": Entry("10", source=Source(line=14)),
            "2.1": Entry("12", source=Source(line=15)),
        }
    }

    assert read_report(TEMPLATE, values).findings == [
        Finding(
            "bm2-dung-han-le-tong",
            Severity.ERROR,
            "Biểu mẫu 2: tổng các chỉ tiêu thành phần (2.1 «Số hồ sơ giải quyết đúng hạn» = 12) "
            "là 12, lớn hơn chỉ tiêu tổng 2 «Tổng số hồ sơ đã giải quyết» = 10.",
            form="BM2",
            codes=("2.1", "2"),
            labels=("Số hồ sơ giải quyết đúng hạn", "Tổng số hồ sơ đã giải quyết"),
            values={"2.1": Decimal(12), "2": Decimal(10)},
            line=14,
        )
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"1": "5", "1.1": "2"},
            "Biểu mẫu 2: tổng các chỉ tiêu thành phần (1.1 «Số TTHC cấp huyện» = 2; "
            "1.2 «Số TTHC cấp xã» = trống) là 2, không bằng chỉ tiêu tổng 1 «Tổng số TTHC» = 5.",
        ),
        (
            {"3.a": "70", "3.b": "40"},
            "Biểu mẫu 2: các tỷ lệ của cùng một tổng thể (3.a «Tỷ lệ nộp trực tuyến» = 70; "
            "3.b «Tỷ lệ nộp trực tiếp» = 40) cộng lại 110%, vượt quá 100%.",
        ),
    ],
    ids=["sum_equals_total", "shares_le_100"],
)
def test_a_generated_rule_message_says_what_is_wrong(values: dict, message: str) -> None:
    assert [f.message for f in validate(BM2=values).findings] == [message]


def test_a_rules_own_message_is_followed_by_the_values_it_is_about() -> None:
    assert validate(BM2={"4": "0", "5": "3"}).findings == [
        Finding(
            "bm2-kien-nghi-can-doi-thoai",
            Severity.WARNING,
            "Có kiến nghị qua đối thoại (5) thì phải có cuộc đối thoại (4) (5 = 3; 4 = 0).",
            form="BM2",
            codes=("5", "4"),
            labels=("Số kiến nghị qua đối thoại", "Số cuộc đối thoại"),
            values={"5": Decimal(3), "4": Decimal(0)},
        )
    ]


# --- the result as a whole -------------------------------------------------------------


def test_findings_are_sorted_by_form_order_then_line() -> None:
    values = {
        "BM2": {"4": Entry("-1", source=Source(line=30))},
        "BM1": {
            "5": Entry("-2", source=Source(line=12)),
            "1": Entry("-3", source=Source(line=5)),
        },
    }
    extra = [Finding("imported-row", Severity.INFO, "Dòng không nhận ra.", form="BM2", line=25)]

    findings = read_report(TEMPLATE, values, extra).findings

    assert [(f.rule, f.form, f.line) for f in findings] == [
        ("negative-value", "BM1", 5),
        ("negative-value", "BM1", 12),
        ("imported-row", "BM2", 25),
        ("negative-value", "BM2", 30),
    ]


def test_errors_and_counts_sort_findings_by_severity() -> None:
    result = validate(BM1={"1": "-3", "3": "5", "7": "5", "8": "3"})

    assert [f.rule for f in result.errors] == ["negative-value"]
    assert [result.count(s) for s in Severity] == [1, 2, 1]


def test_values_hold_every_number_read_but_no_heading() -> None:
    result = validate(BM1={"1": "1.102", "3": "5", "4": "Có", "5": "2.715,5", "6": ""})

    assert result.values == {
        ("BM1", "1"): Decimal(1102),
        ("BM1", "4"): Decimal(1),
        ("BM1", "5"): Decimal("2715.5"),
    }


# --- figures at the edge of what a report holds --------------------------------------


def test_a_29_digit_value_is_an_error_of_its_own_and_no_rate_is_computed_from_it() -> None:
    result = validate(BM1={"2": "50", "2.1": "19", "2.2": "12345678901234567890123456789"})
    assert [(f.rule, f.codes) for f in result.findings] == [("number-too-long", ("2.2",))]
    assert result.computed[("BM1", "2")] is None


def test_a_rate_larger_than_decimal_precision_is_still_checked_and_shown() -> None:
    # 18 digits over 15 decimals: 10^35 %, past the 28 digits Decimal rounds to by default.
    result = validate(BM1={"2": "50", "2.1": "0,000000000000001", "2.2": "999999999999999999"})
    mismatch = next(f for f in result.findings if f.rule == "rate-mismatch")
    assert mismatch.message == (
        "Biểu mẫu 1, chỉ tiêu 2 «Tỷ lệ hoàn thành Kế hoạch»: tỷ lệ ghi 50% nhưng tính từ "
        "2.2 = 999.999.999.999.999.999, 2.1 = 0,000000000000001 được "
        "99.999.999.999.999.999.900.000.000.000.000.000,00%."
    )


_FIGURES = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"-?[0-9]{1,40}([.,][0-9]{1,40})?%?", fullmatch=True),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)


@given(_FIGURES, _FIGURES, _FIGURES)
def test_no_value_in_a_rate_or_its_operands_makes_validation_fail(rate, done, planned) -> None:
    result = validate(BM1={"2": rate, "2.1": planned, "2.2": done})
    assert all(isinstance(f.message, str) and f.to_json() for f in result.findings)
