"""How big a template may be (cchc/core/template_limits.py), checked by build_template."""

import pytest

from cchc.core.template_limits import (
    MAX_CHOICES,
    MAX_CODE_CHARS,
    MAX_FORMS,
    MAX_INDICATORS_PER_FORM,
    MAX_RULE_PARTS,
    MAX_RULES,
    MAX_SECTION_DEPTH,
    MAX_SECTIONS,
    MAX_TEXT_CHARS,
)
from cchc.core.templates import TemplateError, TemplateProblem, build_template

ROW = {"code": "1", "name": "Số văn bản", "unit": "Văn bản"}


def template(**changes: object) -> dict:
    data = {
        "id": "t",
        "title": "Mẫu thử",
        "levels": ["xa"],
        "forms": [{"code": "BM1", "title": "Biểu một", "indicators": [ROW]}],
    }
    data.update(changes)
    return data


def form(n: int, rows: list[dict]) -> dict:
    return {"code": f"B{n}", "title": f"Biểu {n}", "indicators": rows}


def nested_sections(depth: int) -> list[dict]:
    section: dict = {"code": "I", "title": "Mục"}
    for level in range(depth - 1):
        section = {"code": f"I{level}", "title": "Mục", "items": [section]}
    return [section]


def problems(data: dict) -> list[TemplateProblem]:
    with pytest.raises(TemplateError) as caught:
        build_template(data)
    return caught.value.problems


def test_a_template_at_every_limit_is_built() -> None:
    rows = [{"code": str(i), "name": f"Chỉ tiêu {i}", "unit": "Hồ sơ"} for i in range(1, 21)]
    data = template(
        forms=[form(n, rows) for n in range(MAX_FORMS)],
        sections=nested_sections(MAX_SECTION_DEPTH),
        title="T" * MAX_TEXT_CHARS,
    )
    built = build_template(data)
    assert (len(built.forms), built.indicator_count, len(built.all_sections())) == (
        MAX_FORMS,
        MAX_FORMS * 20,
        MAX_SECTION_DEPTH,
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param(
            {"forms": [form(n, [ROW]) for n in range(MAX_FORMS + 1)]},
            [TemplateProblem(("forms",), "có 101 biểu, quá giới hạn 100")],
            id="forms",
        ),
        pytest.param(
            {
                "forms": [
                    form(
                        1,
                        [{"code": str(i), "name": "A"} for i in range(MAX_INDICATORS_PER_FORM + 1)],
                    )
                ]
            },
            [TemplateProblem(("forms", 0, "indicators"), "có 1.001 chỉ tiêu, quá giới hạn 1.000")],
            id="indicators",
        ),
        pytest.param(
            {"rules": [{"id": f"r{i}", "check": "1 <= 2"} for i in range(MAX_RULES + 1)]},
            [TemplateProblem(("rules",), "có 1.001 quy tắc, quá giới hạn 1.000")],
            id="rules",
        ),
        pytest.param(
            {"sections": [{"code": str(i), "title": "Mục"} for i in range(MAX_SECTIONS + 1)]},
            [TemplateProblem(("sections",), "có hơn 1.000 mục đề cương, quá giới hạn")],
            id="sections",
        ),
        pytest.param(
            {"sections": nested_sections(MAX_SECTION_DEPTH + 1)},
            [
                TemplateProblem(
                    ("sections", *(0, "items") * MAX_SECTION_DEPTH),
                    "đề cương lồng quá sâu: quá 8 cấp mục",
                )
            ],
            id="section-depth",
        ),
        pytest.param(
            {
                "forms": [
                    form(
                        1,
                        [{**ROW, "choices": {i: f"Lựa chọn {i}" for i in range(MAX_CHOICES + 1)}}],
                    )
                ]
            },
            [
                TemplateProblem(
                    ("forms", 0, "indicators", 0, "choices"), "có 101 lựa chọn, quá giới hạn 100"
                )
            ],
            id="choices",
        ),
        pytest.param(
            {
                "rules": [
                    {
                        "id": "r",
                        "form": "BM1",
                        "kind": "shares_le_100",
                        "parts": ["1"] * (MAX_RULE_PARTS + 1),
                    }
                ]
            },
            [
                TemplateProblem(
                    ("rules", 0, "parts"), "có 101 chỉ tiêu trong «parts», quá giới hạn 100"
                )
            ],
            id="rule-parts",
        ),
        pytest.param(
            {"title": "T" * (MAX_TEXT_CHARS + 1)},
            [TemplateProblem(("title",), "dài 10.001 ký tự, quá giới hạn 10.000 ký tự")],
            id="text",
        ),
        pytest.param(
            {"forms": [form(1, [{**ROW, "code": "1" * (MAX_CODE_CHARS + 1)}])]},
            [
                TemplateProblem(
                    ("forms", 0, "indicators", 0, "code"), "dài 65 ký tự, quá giới hạn 64 ký tự"
                )
            ],
            id="code",
        ),
    ],
)
def test_a_template_past_a_limit_is_refused_naming_the_key(changes, expected) -> None:
    assert problems(template(**changes)) == expected
