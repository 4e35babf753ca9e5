"""How big a report template may be: every limit a template file is read under.

A template comes from a user (a YAML upload, a stored version, a template
inferred from a report) and is read by every page of every report made on it,
so it is hostile until proven otherwise. The limits sit far above any real
template (the largest shipped one is 48 KB, nesting depth 9, 2.333 YAML nodes,
151 indicators, 31 rules, 55 outline sections, formulas under 70 characters)
and low enough that a file breaking one is refused in milliseconds, in
bounded memory, and a file within all of them is read in about a second on a
loaded two-core machine (reading costs some 40 µs a value). They are listed,
with these names, in docs/templates.md.

`limit_problems` checks plain template data (from YAML or JSON) before it is
built; the YAML reader (`cchc/bundled_templates/yaml_limits.py`) checks the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cchc.core.numbers import format_number

__all__ = [
    "MAX_CHOICES",
    "MAX_CODE_CHARS",
    "MAX_FORMS",
    "MAX_FORMULA_CHARS",
    "MAX_FORMULA_DEPTH",
    "MAX_INDICATORS_PER_FORM",
    "MAX_RULES",
    "MAX_RULE_PARTS",
    "MAX_SECTIONS",
    "MAX_SECTION_DEPTH",
    "MAX_TEMPLATE_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "limit_problems",
]

# The file.
MAX_TEMPLATE_BYTES = 1_000_000  # size of the YAML text, in bytes (UTF-8)
MAX_YAML_DEPTH = 32  # lists and mappings inside one another
MAX_YAML_NODES = 25_000  # values in the file, counting what every alias («*tên») repeats

# The template.
MAX_FORMS = 100
MAX_INDICATORS_PER_FORM = 1_000
MAX_RULES = 1_000
MAX_SECTIONS = 1_000  # outline sections, sub-items included
MAX_SECTION_DEPTH = 8  # I → 1 → a) → - → + … levels of the outline
MAX_CHOICES = 100  # options of one coded indicator
MAX_RULE_PARTS = 100  # indicators in one rule's `parts`
MAX_TEXT_CHARS = 10_000  # one text: a title, a name, a guidance, a message
MAX_CODE_CHARS = 64  # one code or id: a form, an indicator, a section, a rule, a role

# Formulas and checks.
MAX_FORMULA_CHARS = 2_000
MAX_FORMULA_DEPTH = 32  # parentheses, function calls, `not` and `-` inside one another

_CODE_KEYS = {"id", "code"}
Path = tuple[str | int, ...]


def _count_sections(items: Any, path: Path, depth: int, out: list[tuple[Path, str]]) -> int:
    """Sections under `items` (a list), reporting the first too deep."""
    if not isinstance(items, list):
        return 0
    if depth > MAX_SECTION_DEPTH:
        out.append((path, f"đề cương lồng quá sâu: quá {MAX_SECTION_DEPTH} cấp mục"))
        return 0
    total = len(items)
    for i, item in enumerate(items):
        if isinstance(item, Mapping) and "items" in item:
            total += _count_sections(item["items"], (*path, i, "items"), depth + 1, out)
        if total > MAX_SECTIONS:
            break
    return total


def _too_many(value: Any, limit: int, path: Path, what: str, out: list[tuple[Path, str]]) -> None:
    if isinstance(value, list | Mapping) and len(value) > limit:
        count, most = format_number(len(value)), format_number(limit)
        out.append((path, f"có {count} {what}, quá giới hạn {most}"))


def _long_texts(data: Any, out: list[tuple[Path, str]]) -> None:
    """Every text longer than its limit; the walk is a loop, not a recursion."""
    stack: list[tuple[Path, Any]] = [((), data)]
    while stack and len(out) < 20:
        path, value = stack.pop()
        if isinstance(value, str):
            key = path[-1] if path else ""
            limit = MAX_CODE_CHARS if key in _CODE_KEYS else MAX_TEXT_CHARS
            if len(value) > limit:
                length, most = format_number(len(value)), format_number(limit)
                out.append((path, f"dài {length} ký tự, quá giới hạn {most} ký tự"))
        elif isinstance(value, Mapping) and len(path) < MAX_YAML_DEPTH:
            stack.extend(((*path, str(k)), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list) and len(path) < MAX_YAML_DEPTH:
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))


def limit_problems(data: Any) -> list[tuple[Path, str]]:
    """Every limit plain template data breaks, each with the path of its key."""
    out: list[tuple[Path, str]] = []
    if not isinstance(data, Mapping):
        return out
    forms = data.get("forms")
    _too_many(forms, MAX_FORMS, ("forms",), "biểu", out)
    _too_many(data.get("rules"), MAX_RULES, ("rules",), "quy tắc", out)
    sections = _count_sections(data.get("sections"), ("sections",), 1, out)
    if sections > MAX_SECTIONS:
        most = format_number(MAX_SECTIONS)
        out.append((("sections",), f"có hơn {most} mục đề cương, quá giới hạn"))
    if out:
        return out  # a list too long is not walked
    for i, form in enumerate(forms if isinstance(forms, list) else []):
        if isinstance(form, Mapping):
            indicators = form.get("indicators")
            path: Path = ("forms", i, "indicators")
            _too_many(indicators, MAX_INDICATORS_PER_FORM, path, "chỉ tiêu", out)
            for j, ind in enumerate(indicators if isinstance(indicators, list) else []):
                if isinstance(ind, Mapping):
                    path = ("forms", i, "indicators", j, "choices")
                    _too_many(ind.get("choices"), MAX_CHOICES, path, "lựa chọn", out)
    rules = data.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if isinstance(rule, Mapping):
            path = ("rules", i, "parts")
            _too_many(rule.get("parts"), MAX_RULE_PARTS, path, "chỉ tiêu trong «parts»", out)
    if not out:
        _long_texts(data, out)
    return out
