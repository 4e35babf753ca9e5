"""Building report templates from YAML data (cchc/core/templates.py, cchc/bundled_templates)."""

import pytest
import yaml as pyyaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.bundled_templates import (
    FileProblem,
    TemplateFileError,
    read_template_file,
    read_template_text,
)
from cchc.core.formulas import Ref, parse_expression
from cchc.core.templates import (
    Indicator,
    Kind,
    Rule,
    Severity,
    TemplateError,
    TemplateProblem,
    build_template,
    format_path,
)
from tests.fuzzing import FUZZ


def yaml(*lines: str) -> str:
    """YAML text whose line N is the N-th argument, so expected line numbers read off the call."""
    return "\n".join(lines) + "\n"


# Lines 1–8 of every file below; what a case adds starts at line 9.
HEAD = (
    "id: t",  # 1
    "title: Mẫu thử",  # 2
    "levels: [xa]",  # 3
    "forms:",  # 4
    "  - code: BM1",  # 5
    "    title: Biểu một",  # 6
    "    indicators:",  # 7
    '      - {code: "1", name: "Số văn bản", unit: "Văn bản"}',  # 8
)


def problems_of(text: str) -> list[FileProblem]:
    with pytest.raises(TemplateFileError) as caught:
        read_template_text(text, "t.yaml")
    return caught.value.problems


def at(line: int | None, path: str, message: str) -> FileProblem:
    return FileProblem("t.yaml", line, path, message)


def template_data(*indicators: dict, **top: object) -> dict:
    """A valid template as plain data: one form BM1 with these indicators."""
    return {
        "id": "t",
        "title": "Mẫu thử",
        "levels": ["xa"],
        "forms": [{"code": "BM1", "title": "Biểu một", "indicators": list(indicators)}],
        **top,
    }


# --- loading errors, located -----------------------------------------------------------


def test_a_minimal_file_loads() -> None:
    template = read_template_text(yaml(*HEAD), "t.yaml")

    assert (template.id, template.title, template.levels, [f.code for f in template.forms]) == (
        "t",
        "Mẫu thử",
        ("xa",),
        ["BM1"],
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            yaml(*HEAD[:5], "    title: Biểu: một", *HEAD[6:]),
            [at(6, "", "không đọc được YAML: mapping values are not allowed here")],
            id="yaml-syntax-error",
        ),
        pytest.param(
            yaml(*HEAD[1:]),
            [at(1, "id", "thiếu khóa bắt buộc «id»")],
            id="missing-id",
        ),
        pytest.param(
            yaml(*HEAD[:2], *HEAD[3:]),
            [at(1, "levels", "thiếu «levels»: cấp đơn vị báo cáo theo mẫu (ví dụ [xa])")],
            id="missing-levels",
        ),
        pytest.param(
            yaml(*HEAD[:3]),
            [at(1, "forms", "mẫu không có biểu nào")],
            id="missing-forms",
        ),
        pytest.param(
            yaml(*HEAD[:6], "    titel: Biểu một", *HEAD[6:]),
            [at(7, "forms[0].titel", "khóa không được hỗ trợ «titel» (có thể gõ sai?)")],
            id="unknown-key",
        ),
        pytest.param(
            yaml(*HEAD, '      - {code: "1", name: "Số văn bản khác", unit: "Văn bản"}'),
            [at(9, "forms[0].indicators[1].code", "mã chỉ tiêu «1» bị trùng trong biểu")],
            id="duplicate-indicator-code",
        ),
        pytest.param(
            yaml(
                *HEAD,
                "  - code: BM1",
                "    title: Biểu hai",
                "    indicators:",
                '      - {code: "1", name: "Số thủ tục", unit: "Thủ tục"}',
            ),
            [at(9, "forms[1].code", "mã biểu «BM1» bị trùng")],
            id="duplicate-form-code",
        ),
        pytest.param(
            yaml(*HEAD, '      - {code: "2", name: "Số tiền", kind: number}'),
            [
                at(
                    9,
                    "forms[0].indicators[1].kind",
                    "loại «number» không hợp lệ (chọn: heading, count, amount, rate, choice, text)",
                )
            ],
            id="bad-kind",
        ),
        pytest.param(
            yaml(*HEAD, '      - {code: "2", name: "Khảo sát", kind: choice}'),
            [at(9, "forms[0].indicators[1].choices", "chỉ tiêu loại «choice» cần «choices»")],
            id="choice-without-choices",
        ),
        pytest.param(
            yaml(*HEAD, '      - {code: "2", name: "Khảo sát", choices: {co: Có, 0: Không}}'),
            [at(9, "forms[0].indicators[1].choices.co", "mã lựa chọn «co» phải là số nguyên")],
            id="non-integer-choice-code",
        ),
        pytest.param(
            yaml(*HEAD, '      - {code: "2", name: "Tỷ lệ", unit: "%", formula: "1 / * 100"}'),
            [
                at(
                    9,
                    "forms[0].indicators[1].formula",
                    "Biểu thức «1 / * 100»: thiếu giá trị trước «*» ở vị trí 5.",
                )
            ],
            id="formula-syntax-error",
        ),
        pytest.param(
            yaml(
                *HEAD, '      - {code: "2", name: "Tỷ lệ", unit: "%", formula: "2.2 / [1] * 100"}'
            ),
            [at(9, "forms[0].indicators[1].formula", "biểu BM1 không có chỉ tiêu mã «2.2»")],
            id="formula-unknown-code",
        ),
        pytest.param(
            yaml(*HEAD, '      - {code: "2", name: "Tỷ lệ", unit: "%", formula: "BM9[1] * 100"}'),
            [
                at(
                    9,
                    "forms[0].indicators[1].formula",
                    "biểu «BM9» không có trong mẫu (mã «BM9.1»)",
                )
            ],
            id="formula-unknown-form",
        ),
        pytest.param(
            yaml(
                *HEAD,
                "rules:",
                '  - {id: r1, form: BM1, kind: parts_le_total, total: "1", parts: ["2.2"]}',
            ),
            [at(10, "rules[0]", "biểu BM1 không có chỉ tiêu mã «2.2»")],
            id="rule-unknown-code",
        ),
        pytest.param(
            yaml(*HEAD, "rules:", '  - {id: r1, form: BM9, check: "[1] >= 0"}'),
            [at(10, "rules[0].form", "biểu «BM9» không có trong mẫu")],
            id="rule-unknown-form",
        ),
        pytest.param(
            yaml(*HEAD, "rules:", '  - {id: r1, form: BM1, kind: less_than, parts: ["1"]}'),
            [
                at(
                    10,
                    "rules[0].kind",
                    "loại quy tắc «less_than» không hợp lệ "
                    "(chọn: parts_le_total, sum_equals_total, shares_le_100, check)",
                )
            ],
            id="bad-rule-kind",
        ),
        pytest.param(
            yaml(*HEAD, "rules:", '  - {id: r1, form: BM1, check: "[1] >= 0", severity: fatal}'),
            [at(10, "rules[0].severity", "mức độ «fatal» không hợp lệ (error, warning, info)")],
            id="bad-severity",
        ),
        pytest.param(
            yaml(
                *HEAD,
                "rules:",
                '  - {id: r1, form: BM1, check: "[1] >= 0"}',
                '  - {id: r1, form: BM1, check: "[1] <= 100"}',
            ),
            [at(11, "rules[1].id", "mã quy tắc «r1» bị trùng")],
            id="duplicate-rule-id",
        ),
        pytest.param(
            yaml(
                *HEAD[:6], "    role: ke-toan", *HEAD[6:], "roles:", "  - {id: tu-phap, title: TP}"
            ),
            [at(7, "forms[0].role", "vai trò «ke-toan» không có trong «roles»")],
            id="form-role-not-in-roles",
        ),
        pytest.param(
            yaml(
                *HEAD,
                "roles:",
                "  - {id: tu-phap, title: Công chức Tư pháp - Hộ tịch}",
                "sections:",
                '  - {code: "I", title: "Một", role: tai-chinh}',
                '  - {code: "II", title: "Hai", support_roles: [tu-phap, van-hoa]}',
            ),
            [
                at(12, "sections[0].role", "vai trò «tai-chinh» không có trong «roles»"),
                at(
                    13,
                    "sections[1].support_roles[1]",
                    "vai trò «van-hoa» không có trong «roles»",
                ),
            ],
            id="section-roles-not-in-roles",
        ),
        pytest.param(
            yaml(
                *HEAD,
                "sections:",
                '  - code: "I"',
                "    title: Một",
                "    items:",
                '      - {code: "I.1", title: "Một một"}',
                '  - {code: "I.1", title: "Hai"}',
            ),
            [at(14, "sections[1].code", "mã mục «I.1» bị trùng")],
            id="duplicate-section-code",
        ),
        pytest.param(
            yaml(
                *HEAD,
                '      - {code: "2", name: "Tỷ lệ A", unit: "%", formula: "[3] * 1"}',
                '      - {code: "3", name: "Tỷ lệ B", unit: "%", formula: "[2] * 1"}',
            ),
            # The cycle is reported on the list of forms, whose value starts on line 5.
            [at(5, "forms", "công thức tham chiếu vòng: BM1.2 → BM1.3 → BM1.2")],
            id="formula-cycle",
        ),
    ],
)
def test_a_template_problem_is_reported_with_its_line_and_path(
    text: str, expected: list[FileProblem]
) -> None:
    assert problems_of(text) == expected


def test_a_template_without_a_title_is_refused() -> None:
    assert problems_of(yaml(HEAD[0], *HEAD[2:])) == [at(1, "title", "thiếu khóa bắt buộc «title»")]


def test_every_problem_of_a_file_is_reported_together() -> None:
    text = yaml(
        "id: T_1",  # 1
        "title: Mẫu thử",  # 2
        "levels: [xa]",  # 3
        "period_types: [month]",  # 4
        "forms:",  # 5
        "  - code: BM1",  # 6
        "    title: Biểu một",  # 7
        "    indicators:",  # 8
        '      - {code: "1", name: "Tỷ lệ", unit: "%", formula: "[1] /", extra: 1}',  # 9
        '      - {code: "1", name: "Khảo sát", kind: choice}',  # 10
        "rules:",  # 11
        "  - {id: r, kind: nope}",  # 12
    )

    assert problems_of(text) == [
        at(1, "id", "mã mẫu «T_1» chỉ gồm chữ thường không dấu, số và dấu -"),
        at(
            4,
            "period_types[0]",
            "kỳ «month» không hợp lệ (chọn: quarter, half_year, nine_months, year)",
        ),
        at(9, "forms[0].indicators[0].extra", "khóa không được hỗ trợ «extra» (có thể gõ sai?)"),
        at(
            9,
            "forms[0].indicators[0].formula",
            "Biểu thức «[1] /»: thiếu giá trị trước «hết» ở cuối biểu thức.",
        ),
        at(10, "forms[0].indicators[1].code", "mã chỉ tiêu «1» bị trùng trong biểu"),
        at(10, "forms[0].indicators[1].choices", "chỉ tiêu loại «choice» cần «choices»"),
        at(
            12,
            "rules[0].kind",
            "loại quy tắc «nope» không hợp lệ "
            "(chọn: parts_le_total, sum_equals_total, shares_le_100, check)",
        ),
    ]


def test_a_template_file_error_reads_file_line_path_and_message() -> None:
    text = yaml(*HEAD, '      - {code: "1", name: "Số văn bản khác", unit: "Văn bản"}')

    with pytest.raises(TemplateFileError) as caught:
        read_template_text(text, "xa-2099.yaml")

    assert str(caught.value) == (
        "xa-2099.yaml, dòng 9 (forms[0].indicators[1].code): mã chỉ tiêu «1» bị trùng trong biểu"
    )


def test_an_empty_file_is_not_a_template() -> None:
    assert problems_of("") == [at(None, "(gốc)", "phải là một bảng khóa: giá trị")]


def test_a_template_file_is_named_by_its_file_name(tmp_path) -> None:
    path = tmp_path / "mau-moi.yaml"
    path.write_text(yaml(*HEAD[1:]), encoding="utf-8")

    with pytest.raises(TemplateFileError) as caught:
        read_template_file(path)

    assert caught.value.problems == [
        FileProblem("mau-moi.yaml", 1, "id", "thiếu khóa bắt buộc «id»")
    ]


def test_build_template_raises_every_problem_with_its_key_path() -> None:
    with pytest.raises(TemplateError) as caught:
        build_template(template_data({"code": "1.", "name": "Số văn bản", "unit": "Văn bản"}))

    assert caught.value.problems == [
        TemplateProblem(
            ("forms", 0, "indicators", 0, "code"),
            "mã chỉ tiêu «1.» không hợp lệ (không có dấu chấm cuối)",
        )
    ]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), "(gốc)"),
        (("id",), "id"),
        (("forms", 0, "indicators", 3, "formula"), "forms[0].indicators[3].formula"),
        (("forms", 1, "choices", "co"), "forms[1].choices.co"),
    ],
)
def test_a_key_path_is_printed_as_in_the_yaml(path: tuple, text: str) -> None:
    assert format_path(path) == text


# --- successful builds -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            {"unit": "%"},
            Indicator(
                code="1", name="Chỉ tiêu", kind=Kind.RATE, measure="%", stt="1.", levels=("xa",)
            ),
        ),
        (
            {"unit": "Triệu đồng"},
            Indicator(
                code="1",
                name="Chỉ tiêu",
                kind=Kind.AMOUNT,
                measure="Triệu đồng",
                stt="1.",
                levels=("xa",),
            ),
        ),
        (
            {"unit": "Có = 1; Không = 0", "choices": {1: "Có", 0: "Không"}},
            Indicator(
                code="1",
                name="Chỉ tiêu",
                kind=Kind.CHOICE,
                measure="Có = 1; Không = 0",
                stt="1.",
                choices={1: "Có", 0: "Không"},
                levels=("xa",),
            ),
        ),
        (
            {},
            Indicator(code="1", name="Chỉ tiêu", kind=Kind.HEADING, stt="1.", levels=("xa",)),
        ),
        (
            {"unit": "Văn bản"},
            Indicator(
                code="1",
                name="Chỉ tiêu",
                kind=Kind.COUNT,
                measure="Văn bản",
                stt="1.",
                levels=("xa",),
            ),
        ),
        (
            {"unit": "%", "kind": "count"},
            Indicator(
                code="1", name="Chỉ tiêu", kind=Kind.COUNT, measure="%", stt="1.", levels=("xa",)
            ),
        ),
    ],
    ids=[
        "percent-is-rate",
        "money-is-amount",
        "choices-is-choice",
        "no-unit-is-heading",
        "other-unit-is-count",
        "explicit-kind-wins",
    ],
)
def test_a_row_without_a_kind_takes_the_kind_its_unit_implies(
    row: dict, expected: Indicator
) -> None:
    template = build_template(template_data({"code": "1", "name": "Chỉ tiêu", **row}))

    assert template.forms[0].indicators == (expected,)


def test_a_row_belongs_to_the_longest_earlier_code_that_prefixes_it() -> None:
    template = build_template(
        template_data(
            {"code": "3", "name": "Kiểm tra CCHC"},
            {"code": "3.1", "name": "Số tổ chức đã kiểm tra", "unit": "Tổ chức"},
            {"code": "3.3", "name": "Tỷ lệ xử lý", "unit": "%"},
            {"code": "3.3.1", "name": "Số vấn đề phát hiện", "unit": "Vấn đề"},
            {"code": "3.10", "name": "Số cá nhân đã kiểm tra", "unit": "Cá nhân"},
            {"code": "3.3.1.a", "name": "Trong đó: cấp xã", "unit": "Vấn đề", "parent": "3.3"},
            {"code": "4", "name": "Số phiếu", "unit": "Phiếu"},
        )
    )

    assert [(i.code, i.parent) for i in template.forms[0].indicators] == [
        ("3", None),
        ("3.1", "3"),
        ("3.3", "3"),
        ("3.3.1", "3.3"),
        ("3.10", "3"),
        ("3.3.1.a", "3.3"),
        ("4", None),
    ]
    assert [i.code for i in template.forms[0].children("3.3")] == ["3.3.1", "3.3.1.a"]


def test_an_explicit_parent_must_come_earlier_in_the_form() -> None:
    with pytest.raises(TemplateError) as caught:
        build_template(
            template_data(
                {"code": "1", "name": "Số văn bản", "unit": "Văn bản", "parent": "2"},
                {"code": "2", "name": "Số thủ tục", "unit": "Thủ tục"},
            )
        )

    assert caught.value.problems == [
        TemplateProblem(
            ("forms", 0, "indicators", 0, "parent"), "chỉ tiêu cha «2» phải đứng trước trong biểu"
        )
    ]


def test_an_indicator_stt_defaults_to_its_code_and_a_dot() -> None:
    template = build_template(
        template_data(
            {"code": "3", "name": "Kiểm tra CCHC"},
            {"code": "3.3.1", "name": "Số vấn đề", "unit": "Vấn đề"},
            {"code": "3.3.1.a", "name": "Trong đó", "unit": "Vấn đề", "stt": "-"},
            {"code": "3.3.1.b", "name": "Còn lại", "unit": "Vấn đề", "stt": ""},
        )
    )

    assert [i.stt for i in template.forms[0].indicators] == ["3.", "3.3.1.", "-", ""]


def test_a_section_stt_defaults_to_the_last_part_of_its_code_and_a_dot() -> None:
    template = build_template(
        template_data(
            {"code": "1", "name": "Số văn bản", "unit": "Văn bản"},
            sections=[
                {
                    "code": "II",
                    "title": "Kết quả",
                    "items": [
                        {"code": "II.2", "title": "Cải cách TTHC"},
                        {"code": "II.2.a", "title": "Rà soát", "stt": "a)"},
                    ],
                }
            ],
        )
    )

    assert [(s.code, s.stt) for s in template.all_sections()] == [
        ("II", "II."),
        ("II.2", "2."),
        ("II.2.a", "a)"),
    ]


def test_a_sub_item_inherits_its_sections_role_unless_it_names_its_own() -> None:
    template = build_template(
        template_data(
            {"code": "1", "name": "Số văn bản", "unit": "Văn bản"},
            roles=[
                {"id": "vp-noi-vu", "title": "Văn phòng - Thống kê (Nội vụ)"},
                {"id": "vp-ubnd", "title": "Văn phòng - Thống kê (HĐND - UBND)"},
            ],
            sections=[
                {
                    "code": "I",
                    "title": "Chỉ đạo, điều hành",
                    "role": "vp-noi-vu",
                    "items": [
                        {"code": "I.1", "title": "Văn bản chỉ đạo"},
                        {
                            "code": "I.5",
                            "title": "Nhiệm vụ được giao",
                            "role": "vp-ubnd",
                            "items": [{"code": "I.5.1", "title": "Tiến độ"}],
                        },
                    ],
                },
                {"code": "II", "title": "Kết quả", "items": [{"code": "II.1", "title": "Thể chế"}]},
            ],
        )
    )

    assert [(s.code, s.role) for s in template.all_sections()] == [
        ("I", "vp-noi-vu"),
        ("I.1", "vp-noi-vu"),
        ("I.5", "vp-ubnd"),
        ("I.5.1", "vp-ubnd"),
        ("II", None),
        ("II.1", None),
    ]


def test_derived_order_puts_a_rate_after_the_rates_it_reads() -> None:
    template = build_template(
        {
            "id": "t",
            "title": "Mẫu thử",
            "levels": ["xa"],
            "forms": [
                {
                    "code": "BM1",
                    "title": "Biểu một",
                    "indicators": [
                        {
                            "code": "1",
                            "name": "Tỷ lệ chung",
                            "unit": "%",
                            "formula": "([2] + [3]) / 2",
                        },
                        {"code": "2", "name": "Tỷ lệ A", "unit": "%", "formula": "2.2 / 2.1 * 100"},
                        {"code": "2.1", "name": "Tổng số A", "unit": "Hồ sơ"},
                        {"code": "2.2", "name": "Số A đúng hạn", "unit": "Hồ sơ"},
                        {"code": "3", "name": "Tỷ lệ B", "unit": "%", "formula": "3.2 / 3.1 * 100"},
                        {"code": "3.1", "name": "Tổng số B", "unit": "Hồ sơ"},
                        {"code": "3.2", "name": "Số B đúng hạn", "unit": "Hồ sơ"},
                    ],
                },
                {
                    "code": "BM2",
                    "title": "Biểu hai",
                    "indicators": [
                        {
                            "code": "1",
                            "name": "Tỷ lệ chung (chép)",
                            "unit": "%",
                            "formula": "BM1[1]",
                        }
                    ],
                },
            ],
        }
    )

    assert template.derived_order == (("BM1", "2"), ("BM1", "3"), ("BM1", "1"), ("BM2", "1"))


COUNTS = [
    {"code": f"{code}", "name": f"Chỉ tiêu {code}", "unit": "Thủ tục"}
    for code in ("2.1", "2.2", "4.1", "4.2", "4.3", "4.4")
] + [
    {"code": "7.3.a", "name": "Tỷ lệ trực tuyến", "unit": "%"},
    {"code": "7.3.b", "name": "Tỷ lệ trực tiếp", "unit": "%"},
]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            {"id": "r", "form": "BM1", "kind": "parts_le_total", "total": "2.1", "parts": ["2.2"]},
            Rule(
                id="r",
                kind="parts_le_total",
                check=parse_expression("sum([2.2]) <= [2.1]"),
                form="BM1",
                total=Ref(None, "2.1"),
                parts=(Ref(None, "2.2"),),
            ),
        ),
        (
            {
                "id": "r",
                "form": "BM1",
                "kind": "sum_equals_total",
                "total": "4.1",
                "parts": ["4.2", "4.3", "4.4"],
                "severity": "warning",
            },
            Rule(
                id="r",
                kind="sum_equals_total",
                check=parse_expression("sum([4.2], [4.3], [4.4]) == [4.1]"),
                severity=Severity.WARNING,
                form="BM1",
                total=Ref(None, "4.1"),
                parts=(Ref(None, "4.2"), Ref(None, "4.3"), Ref(None, "4.4")),
            ),
        ),
        (
            {"id": "r", "form": "BM1", "kind": "shares_le_100", "parts": ["7.3.a", "7.3.b"]},
            Rule(
                id="r",
                kind="shares_le_100",
                check=parse_expression("sum([7.3.a], [7.3.b]) <= 100"),
                form="BM1",
                parts=(Ref(None, "7.3.a"), Ref(None, "7.3.b")),
            ),
        ),
        (
            {"id": "r", "kind": "parts_le_total", "total": "BM1.2.1", "parts": ["BM1[2.2]"]},
            Rule(
                id="r",
                kind="parts_le_total",
                check=parse_expression("sum(BM1[2.2]) <= BM1[2.1]"),
                total=Ref("BM1", "2.1"),
                parts=(Ref("BM1", "2.2"),),
            ),
        ),
        (
            {"id": "r", "form": "BM1", "check": "2.2 <= 2.1", "message": "Quá số đề ra."},
            Rule(
                id="r",
                kind="check",
                check=parse_expression("2.2 <= 2.1"),
                form="BM1",
                message="Quá số đề ra.",
            ),
        ),
    ],
    ids=[
        "parts_le_total",
        "sum_equals_total",
        "shares_le_100",
        "qualified-codes",
        "check-is-the-default-kind",
    ],
)
def test_a_rule_kind_compiles_to_its_check(rule: dict, expected: Rule) -> None:
    template = build_template(template_data(*COUNTS, rules=[rule]))

    assert template.rules == (expected,)


# --- fuzz: template data of any shape -------------------------------------------------

_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=5),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.sampled_from(
        [
            "1",
            "2.1",
            "BM1",
            "%",
            "Văn bản",
            "count",
            "rate",
            "choice",
            "heading",
            "check",
            "parts_le_total",
            "sum_equals_total",
            "shares_le_100",
            "xa",
            "warning",
            "r1",
            "I",
            "I.1",
            "vp-noi-vu",
            "1 / 2",
            "[1] + [2.1]",
            "BM1.2.1 <= 100",
            "sum(",
            "((1)",
        ]
    ),
)
_any = st.recursive(
    _scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.text(max_size=5), st.integers(-2, 2)), inner, max_size=3),
    ),
    max_leaves=6,
)


def _shaped(required: dict, optional: str, **special: st.SearchStrategy) -> st.SearchStrategy:
    """A mapping with the required keys and any of the optional ones (space-separated),
    each holding anything unless a strategy of its own is given."""
    return st.fixed_dictionaries(
        required, optional={k: special.get(k, _any) for k in optional.split()}
    )


_indicator = st.one_of(
    _any,
    _shaped(
        {"code": st.sampled_from(["1", "2", "2.1", "2.2", "3", "3.a"]), "name": st.just("A")},
        "unit kind stt note remark choices formula parent levels cumulative",
    ),
)
_form = _shaped(
    {
        "code": st.sampled_from(["BM1", "PL8", "1x", 3]),
        "title": st.just("Biểu"),
        "indicators": st.lists(_indicator, max_size=5),
    },
    "role label support_roles",
)
_rule = _shaped({"id": st.sampled_from(["r1", "r2"])}, "kind form total parts check severity")
_section = st.recursive(
    _shaped({"code": st.text(max_size=3)}, "title stt guidance role support_roles"),
    lambda inner: st.fixed_dictionaries(
        {"code": st.text(max_size=3), "title": st.just("Mục"), "items": st.lists(inner, max_size=3)}
    ),
    max_leaves=5,
)
template_like = st.one_of(
    _shaped(
        {
            "id": st.sampled_from(["t", "T!", 1]),
            "title": st.just("Mẫu"),
            "levels": st.sampled_from([["xa"], "xa", None, [1]]),
            "forms": st.lists(_form, max_size=3),
        },
        "rules sections roles period_types example_round source khac",
        rules=st.lists(_rule, max_size=3),
        sections=st.lists(_section, max_size=3),
    ),
    _any,
)


@settings(FUZZ, max_examples=60)  # each example is a whole template
@given(template_like)
def test_any_template_data_builds_or_is_a_template_error(data) -> None:
    try:
        template = build_template(data)
    except TemplateError as exc:
        assert exc.problems
        return
    assert template.forms and all(f.indicators for f in template.forms)


@settings(FUZZ, max_examples=60)  # each example is a whole template
@given(template_like)
def test_any_template_data_read_back_as_yaml_loads_or_is_a_template_file_error(data) -> None:
    text = pyyaml.safe_dump(data, allow_unicode=True)
    try:
        read_template_text(text, "t.yaml")
    except TemplateFileError as exc:
        assert exc.problems
