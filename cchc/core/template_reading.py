"""Reading plain template data: problems collected with their key path, typed getters.

Shared by the builders of sections, forms and rules so every one of them
reports a wrong value the same way, in Vietnamese, at the path of its key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from cchc.core.template_model import Kind, Path, TemplateProblem

_MONEY = re.compile(r"\b(đồng|dong)\b", re.IGNORECASE)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[TemplateProblem] = []

    def add(self, path: Path, message: str) -> None:
        self.problems.append(TemplateProblem(path, message))


def default_kind(unit: str, choices: Mapping[int, str]) -> Kind:
    """The kind a row's unit implies, when the template does not say."""
    if choices:
        return Kind.CHOICE
    if unit.strip() == "%":
        return Kind.RATE
    if _MONEY.search(unit):
        return Kind.AMOUNT
    return Kind.COUNT if unit.strip() else Kind.HEADING


def parent_code(code: str, earlier: Iterable[str]) -> str | None:
    """The longest earlier code whose segments prefix this one.

    Looked up prefix by prefix in a set, so a form of n rows is built in n steps, not n².
    """
    known = earlier if isinstance(earlier, set | frozenset) else set(earlier)
    parts = code.split(".")
    for n in range(len(parts) - 1, 0, -1):
        if (prefix := ".".join(parts[:n])) in known:
            return prefix
    return None


def _text(
    c: _Collector, data: Mapping[str, Any], key: str, path: Path, *, required: bool = False
) -> str:
    value = data.get(key)
    if value is None:
        if required:
            c.add((*path, key), f"thiếu khóa bắt buộc «{key}»")
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        c.add((*path, key), f"«{key}» phải là một chuỗi")
        return ""
    return str(value).strip()


def _list(c: _Collector, data: Mapping[str, Any], key: str, path: Path) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        c.add((*path, key), f"«{key}» phải là một danh sách")
        return []
    return value


def _mapping(c: _Collector, value: Any, path: Path) -> Mapping[str, Any] | None:
    if not isinstance(value, Mapping):
        c.add(path, "phải là một bảng khóa: giá trị")
        return None
    return value


def _unknown_keys(c: _Collector, data: Mapping[str, Any], allowed: set[str], path: Path) -> None:
    for key in data:
        if key not in allowed:
            c.add((*path, str(key)), f"khóa không được hỗ trợ «{key}» (có thể gõ sai?)")


def _roles(
    c: _Collector, values: list[Any], role_ids: set[str], path: Path, key: str
) -> tuple[str, ...]:
    out = []
    for i, r in enumerate(values):
        if str(r) not in role_ids:
            c.add((*path, key, i), f"vai trò «{r}» không có trong «roles»")
        out.append(str(r))
    return tuple(out)
