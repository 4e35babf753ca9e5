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


def rows(n: int, **extra: object) -> list[dict]:
    return [{"code": str(i), "name": f"Chỉ tiêu {i}", "unit": "Hồ sơ", **extra} for i in range(n)]


# (what grows, the template with n of it, the limit, the problem one past the limit)
LIMITS = [
    (
        "forms",
        lambda n: {"forms": [form(i, [ROW]) for i in range(n)]},
        MAX_FORMS,
        [TemplateProblem(("forms",), "có 101 biểu, quá giới hạn 100")],
    ),
    (
        "indicators",
        lambda n: {"forms": [form(1, rows(n))]},
        MAX_INDICATORS_PER_FORM,
        [TemplateProblem(("forms", 0, "indicators"), "có 1.001 chỉ tiêu, quá giới hạn 1.000")],
    ),
    (
        "rules",
        lambda n: {"rules": [{"id": f"r{i}", "check": "1 <= 2"} for i in range(n)]},
        MAX_RULES,
        [TemplateProblem(("rules",), "có 1.001 quy tắc, quá giới hạn 1.000")],
    ),
    (
        "sections",
        lambda n: {"sections": [{"code": str(i), "title": "Mục"} for i in range(n)]},
        MAX_SECTIONS,
        [TemplateProblem(("sections",), "có hơn 1.000 mục đề cương, quá giới hạn")],
    ),
    (
        "section-depth",
        lambda n: {"sections": nested_sections(n)},
        MAX_SECTION_DEPTH,
        [
            TemplateProblem(
                ("sections", *(0, "items") * MAX_SECTION_DEPTH),
                "đề cương lồng quá sâu: quá 8 cấp mục",
            )
        ],
    ),
    (
        "choices",
        lambda n: {"forms": [form(1, [{**ROW, "choices": {i: f"Mức {i}" for i in range(n)}}])]},
        MAX_CHOICES,
        [
            TemplateProblem(
                ("forms", 0, "indicators", 0, "choices"), "có 101 lựa chọn, quá giới hạn 100"
            )
        ],
    ),
    (
        "rule-parts",
        lambda n: {
            "rules": [{"id": "r", "form": "BM1", "kind": "shares_le_100", "parts": ["1"] * n}]
        },
        MAX_RULE_PARTS,
        [TemplateProblem(("rules", 0, "parts"), "có 101 chỉ tiêu trong «parts», quá giới hạn 100")],
    ),
    (
        "text",
        lambda n: {"title": "T" * n},
        MAX_TEXT_CHARS,
        [TemplateProblem(("title",), "dài 10.001 ký tự, quá giới hạn 10.000 ký tự")],
    ),
    (
        "code",
        lambda n: {"forms": [form(1, [{**ROW, "code": "1" * n}])]},
        MAX_CODE_CHARS,
        [
            TemplateProblem(
                ("forms", 0, "indicators", 0, "code"), "dài 65 ký tự, quá giới hạn 64 ký tự"
            )
        ],
    ),
]


@pytest.mark.parametrize(
    ("grown", "limit", "expected"),
    [pytest.param(grown, limit, expected, id=what) for what, grown, limit, expected in LIMITS],
)
def test_a_template_at_a_limit_is_built_and_one_past_it_refused_naming_the_key(
    grown, limit, expected
) -> None:
    assert build_template(template(**grown(limit))).id == "t"
    assert problems(template(**grown(limit + 1))) == expected
