"""Reading template YAML within limits (cchc/bundled_templates/yaml_limits.py and the reader).

The event walk must hold for both parsers cchc may run: libyaml's (the wheel's) and
PyYAML's own, used to word the message of a broken file.
"""

import contextlib

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cchc.bundled_templates import (
    _LOADER,
    TEMPLATE_DIR,
    FileProblem,
    TemplateFileError,
    _PythonLoader,
    read_template_text,
)
from cchc.bundled_templates.yaml_limits import YamlLimitError, check_yaml_limits
from cchc.core.template_limits import MAX_TEXT_CHARS, MAX_YAML_DEPTH
from tests.fuzzing import FUZZ
from tests.hostile_templates import TOO_DEEP

LOADERS = [pytest.param(_LOADER, id="libyaml"), pytest.param(_PythonLoader, id="pure-python")]


def bomb(levels: int, width: int = 9) -> str:
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def refusal(text: str, loader: type) -> tuple[str, int | None, tuple]:
    with pytest.raises(YamlLimitError) as caught:
        check_yaml_limits(text, loader)
    return caught.value.message, caught.value.line, caught.value.path


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[" * 50_000, (TOO_DEEP, 1, (0,) * MAX_YAML_DEPTH), id="flow-lists"),
        pytest.param("{a: " * 50_000, (TOO_DEEP, 1, ("a",) * MAX_YAML_DEPTH), id="flow-maps"),
        pytest.param("- " * 50_000 + "x\n", (TOO_DEEP, 1, (0,) * MAX_YAML_DEPTH), id="dashes"),
        pytest.param(
            "".join(" " * i + "a:\n" for i in range(50)),
            (TOO_DEEP, 33, ("a",) * MAX_YAML_DEPTH),
            id="indentation",
        ),
        pytest.param(
            bomb(9),
            (
                "quá nhiều giá trị: hơn 25.000 giá trị (kể cả những gì bí danh «*a3» lặp lại)",
                5,
                ("a4", 2),
            ),
            id="billion-laughs",
        ),
        pytest.param(
            "a: &a [1, *a]\n",
            ("bí danh «*a» lặp lại chính nút chứa nó", 1, ("a", 1)),
            id="recursive",
        ),
        pytest.param(
            "id: t\ntitle: " + "á" * (MAX_TEXT_CHARS + 1) + "\n",
            ("chuỗi dài 10.001 ký tự, quá giới hạn 10.000 ký tự", 2, ("title",)),
            id="long-text",
        ),
    ],
)
def test_a_text_past_a_limit_is_refused_at_its_line_and_key(loader, text, expected) -> None:
    assert refusal(text, loader) == expected


@pytest.mark.parametrize("loader", LOADERS)
def test_an_alias_counts_every_value_it_repeats(loader) -> None:
    # 4 levels of 9 stand for 9⁴ = 6.561 strings and are read; at the fifth level, the
    # third alias of the fourth brings the count past 25.000.
    check_yaml_limits(bomb(4), loader)
    assert refusal(bomb(5), loader)[1:] == (5, ("a4", 2))


@pytest.mark.parametrize("loader", LOADERS)
def test_every_shipped_template_keeps_every_limit(loader) -> None:
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        check_yaml_limits(path.read_text(encoding="utf-8"), loader)


def problems_of(text: str) -> list[FileProblem]:
    with pytest.raises(TemplateFileError) as caught:
        read_template_text(text, "t.yaml")
    return caught.value.problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "id: t\nngay: 2001-13-45\n",
            [
                FileProblem(
                    "t.yaml",
                    2,
                    "",
                    "không đọc được YAML: giá trị «2001-13-45» không đọc được "
                    "theo kiểu «timestamp»",
                )
            ],
            id="impossible-date",
        ),
        pytest.param(
            "id: !!timestamp\n",
            [
                FileProblem(
                    "t.yaml",
                    1,
                    "",
                    "không đọc được YAML: giá trị «» không đọc được theo kiểu «timestamp»",
                )
            ],
            id="empty-timestamp",
        ),
        pytest.param(
            "id: t\ntitle: \ud800\n",
            [FileProblem("t.yaml", 2, "", "có ký tự không hợp lệ, không phải văn bản UTF-8")],
            id="lone-surrogate",
        ),
        pytest.param(
            "a: &a {b: *a}\n",
            [FileProblem("t.yaml", 1, "a.b", "bí danh «*a» lặp lại chính nút chứa nó")],
            id="recursive-alias",
        ),
    ],
)
def test_a_value_yaml_cannot_make_is_a_located_problem(text, expected) -> None:
    assert problems_of(text) == expected


# YAML's punctuation, tags, anchors and the shapes of a template, in any order.
yaml_soup = st.lists(
    st.sampled_from(
        [
            *"[]{}:,-&*!|>'\"#\n ?%@`ab1.",
            *["  ", "\t", "<<: ", "&a ", "*a", "---\n", "!!python/object ", "!!binary ", "!!set "],
            *["!!timestamp ", "!!int ", "!!float ", "2001-12-14", "2001-13-45", "~", "\ud800"],
            *["id: t\n", "forms:\n", "  - code: B1\n", "    indicators:\n", "formula: "],
        ]
    ),
    max_size=40,
).map("".join)


@FUZZ
@given(yaml_soup)
def test_any_text_is_a_template_or_a_template_file_error(text) -> None:
    try:
        template = read_template_text(text, "t.yaml")
    except TemplateFileError as exc:
        assert exc.problems and all(p.file == "t.yaml" for p in exc.problems)
    else:
        assert template.forms


@FUZZ
@given(yaml_soup)
def test_the_event_walk_raises_only_its_own_error_or_a_yaml_error(text) -> None:
    text = text.replace("\ud800", "")  # the reader refuses a lone surrogate before the walk
    for loader in (_LOADER, _PythonLoader):
        with contextlib.suppress(YamlLimitError, yaml.YAMLError):
            check_yaml_limits(text, loader)
