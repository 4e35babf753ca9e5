"""The registered report templates: one YAML file per version in this folder.

Reading a file keeps the line of every key, so a problem found by
`build_template` is reported as `file, dòng N (path): message`. A file is
read within the limits of `cchc/core/template_limits.py`: its size before it
is read, its depth, values and texts (`yaml_limits.py`) before it is composed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from cchc.bundled_templates.yaml_limits import YamlLimitError, check_yaml_limits
from cchc.core.numbers import format_number
from cchc.core.template_limits import MAX_TEMPLATE_BYTES
from cchc.core.templates import ReportTemplate, TemplateError, build_template, format_path

__all__ = [
    "TEMPLATE_DIR",
    "TemplateFileError",
    "check_template_size",
    "get_template",
    "read_template_data",
    "read_template_file",
    "read_template_text",
    "registry",
]

TEMPLATE_DIR = Path(__file__).parent


class _Located:
    """A value the safe constructor cannot make (`2001-13-45`, `!!timestamp x`) is a YAML
    error at its line, not an exception from deep inside PyYAML."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, AttributeError, OverflowError, LookupError):
            what = f"«{node.value}»" if isinstance(node, yaml.ScalarNode) else "này"
            kind = str(node.tag).rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"giá trị {what} không đọc được theo kiểu «{kind}»", node.start_mark
            ) from None


class _PythonLoader(_Located, yaml.SafeLoader):
    pass


# libyaml when the wheel has it: 10× faster
_LOADER = (
    type("_CLoader", (_Located, yaml.CSafeLoader), {}) if yaml.__with_libyaml__ else _PythonLoader
)


@dataclass(frozen=True)
class FileProblem:
    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, dòng {self.line}" if self.line else self.file
        return f"{where} ({self.path}): {self.message}" if self.path else f"{where}: {self.message}"


class TemplateFileError(ValueError):
    """A template file that cannot be used, with every problem located."""

    def __init__(self, problems: list[FileProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*path, key)] = key_node.start_mark.line + 1
            _lines(value_node, (*path, key), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*path, i), out)


def _line_of(path: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int | None:
    for n in range(len(path), -1, -1):
        key = tuple(str(p) if not isinstance(p, int) else p for p in path[:n])
        if key in lines:
            return lines[key]
    return None


def check_template_size(size: int, name: str, *, exact: bool = True) -> None:
    """Refuse a template file by its size in bytes, before it is read (`exact` False:
    only the first bytes were read, so the file has at least `size`)."""
    if size > MAX_TEMPLATE_BYTES:
        limit = format_number(MAX_TEMPLATE_BYTES)
        has = f"có {format_number(size)} byte" if exact else f"dài hơn {limit} byte"
        message = f"tệp {has}, quá giới hạn {limit} byte của một mẫu báo cáo"
        raise TemplateFileError([FileProblem(name, None, "", message)])


def _compose(text: str, loader: type) -> tuple[yaml.Node | None, Any]:
    """The node tree (for the lines) and the data, from one parse of a checked text."""
    check_yaml_limits(text, loader)
    reader = loader(text)
    try:
        node = reader.get_single_node()
        return node, reader.construct_document(node) if node is not None else None
    finally:
        reader.dispose()


def _read_yaml(text: str, name: str) -> tuple[yaml.Node | None, Any]:
    try:
        try:
            return _compose(text, _LOADER)  # a safe loader, C or Python
        except yaml.YAMLError:
            # Broken file: the Python parser says where and what in the same words everywhere.
            return _compose(text, _PythonLoader)
    except YamlLimitError as exc:
        raise TemplateFileError(
            [FileProblem(name, exc.line, format_path(exc.path) if exc.path else "", exc.message)]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise TemplateFileError(
            [FileProblem(name, line, "", f"không đọc được YAML: {exc.problem or exc}")]
        ) from exc
    except yaml.YAMLError as exc:
        raise TemplateFileError(
            [FileProblem(name, None, "", f"không đọc được YAML: {exc}")]
        ) from exc


def read_template_data(text: str, name: str) -> Any:
    """The plain data of YAML text, read within the same limits, not yet built (the editor
    changes it part by part and builds it to check)."""
    check_template_size(len(text.encode("utf-8", "surrogatepass")), name)
    return _read_yaml(text, name)[1]


def read_template_text(text: str, name: str) -> ReportTemplate:
    """Build a template from YAML text; `name` is how problems name the file."""
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:  # a lone surrogate: no file decodes to it
        line = text.count("\n", 0, exc.start) + 1
        raise TemplateFileError(
            [FileProblem(name, line, "", "có ký tự không hợp lệ, không phải văn bản UTF-8")]
        ) from None
    check_template_size(size, name)
    node, data = _read_yaml(text, name)
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _lines(node, (), lines)
    try:
        return build_template(data, source=name)
    except TemplateError as exc:
        raise TemplateFileError(
            [
                FileProblem(name, _line_of(p.path, lines), format_path(p.path), p.message)
                for p in exc.problems
            ]
        ) from exc


def read_template_file(path: str | Path) -> ReportTemplate:
    """Read and check one template file."""
    p = Path(path)
    try:
        check_template_size(p.stat().st_size, p.name)
        with p.open("rb") as file:  # a device or a pipe has no size: read one byte past the limit
            data = file.read(MAX_TEMPLATE_BYTES + 1)
        check_template_size(len(data), p.name, exact=False)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateFileError(
            [FileProblem(str(p), None, "", f"không mở được tệp: {exc}")]
        ) from exc
    return read_template_text(text, p.name)


@cache
def registry() -> dict[str, ReportTemplate]:
    """Every template shipped in this folder, by id."""
    templates: dict[str, ReportTemplate] = {}
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        template = read_template_file(path)
        templates[template.id] = template
    return templates


def get_template(template_id: str) -> ReportTemplate:
    """A registered template; KeyError with a Vietnamese message when unknown."""
    try:
        return registry()[template_id]
    except KeyError:
        known = ", ".join(sorted(registry())) or "không có"
        raise KeyError(f"Không có mẫu báo cáo «{template_id}» (các mẫu: {known}).") from None
