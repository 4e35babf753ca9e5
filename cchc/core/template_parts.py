"""Building the outline sections and the forms with their indicators (rows)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cchc.core.formulas import ExpressionError, parse_expression
from cchc.core.template_model import Form, Indicator, Kind, Path, Section
from cchc.core.template_reading import (
    _Collector,
    _list,
    _mapping,
    _roles,
    _text,
    _unknown_keys,
    default_kind,
    parent_code,
)


def _build_section(
    c: _Collector, data: Any, path: Path, role_ids: set[str], seen: set[str], inherited: str | None
) -> Section | None:
    d = _mapping(c, data, path)
    if d is None:
        return None
    _unknown_keys(
        c, d, {"code", "title", "stt", "guidance", "role", "support_roles", "items"}, path
    )
    code = _text(c, d, "code", path, required=True)
    if code in seen:
        c.add((*path, "code"), f"mã mục «{code}» bị trùng")
    seen.add(code)
    role = _text(c, d, "role", path) or None
    if role and role not in role_ids:
        c.add((*path, "role"), f"vai trò «{role}» không có trong «roles»")
    role = role or inherited
    items = tuple(
        s
        for i, item in enumerate(_list(c, d, "items", path))
        if (s := _build_section(c, item, (*path, "items", i), role_ids, seen, role)) is not None
    )
    stt = d.get("stt")
    return Section(
        code=code,
        title=_text(c, d, "title", path, required=True),
        stt=str(stt) if stt is not None else f"{code.split('.')[-1]}.",
        guidance=_text(c, d, "guidance", path),
        role=role,
        support_roles=_roles(
            c, _list(c, d, "support_roles", path), role_ids, path, "support_roles"
        ),
        items=items,
    )


_INDICATOR_KEYS = {
    "code",
    "name",
    "unit",
    "kind",
    "stt",
    "note",
    "remark",
    "choices",
    "formula",
    "parent",
    "levels",
    "cumulative",
}


def _build_indicator(
    c: _Collector, data: Any, path: Path, earlier: set[str], levels: tuple[str, ...]
) -> Indicator | None:
    d = _mapping(c, data, path)
    if d is None:
        return None
    _unknown_keys(c, d, _INDICATOR_KEYS, path)
    code = _text(c, d, "code", path, required=True)
    if code.endswith(".") or not code:
        c.add((*path, "code"), f"mã chỉ tiêu «{code}» không hợp lệ (không có dấu chấm cuối)")
    if code in earlier:
        c.add((*path, "code"), f"mã chỉ tiêu «{code}» bị trùng trong biểu")
    unit = _text(c, d, "unit", path)
    choices: dict[int, str] = {}
    raw_choices = d.get("choices") or {}
    if not isinstance(raw_choices, Mapping):
        c.add((*path, "choices"), "«choices» phải là bảng mã: nhãn, ví dụ {1: Có, 0: Không}")
    else:
        for k, v in raw_choices.items():
            try:
                choices[int(k)] = str(v)
            except (TypeError, ValueError):
                c.add((*path, "choices", str(k)), f"mã lựa chọn «{k}» phải là số nguyên")
    kind_text = _text(c, d, "kind", path)
    try:
        kind = Kind(kind_text) if kind_text else default_kind(unit, choices)
    except ValueError:
        c.add(
            (*path, "kind"),
            f"loại «{kind_text}» không hợp lệ (chọn: {', '.join(k.value for k in Kind)})",
        )
        kind = default_kind(unit, choices)
    if kind is Kind.CHOICE and not choices:
        c.add((*path, "choices"), "chỉ tiêu loại «choice» cần «choices»")
    formula = None
    if source := _text(c, d, "formula", path):
        try:
            formula = parse_expression(source)
        except ExpressionError as exc:
            c.add((*path, "formula"), str(exc))
    row_levels = tuple(str(x) for x in _list(c, d, "levels", path)) or levels
    for i, lv in enumerate(row_levels):
        if levels and lv not in levels:
            c.add((*path, "levels", i), f"cấp «{lv}» không có trong «levels» của mẫu")
    parent = _text(c, d, "parent", path) or parent_code(code, earlier)
    if d.get("parent") and parent not in earlier:
        c.add((*path, "parent"), f"chỉ tiêu cha «{parent}» phải đứng trước trong biểu")
    stt = d.get("stt")
    return Indicator(
        code=code,
        name=_text(c, d, "name", path, required=True),
        kind=kind,
        measure=unit,
        stt=str(stt) if stt is not None else f"{code}.",
        note=_text(c, d, "note", path),
        remark=_text(c, d, "remark", path),
        choices=choices,
        formula=formula,
        parent=parent,
        levels=row_levels,
        cumulative=bool(d.get("cumulative", False)),
    )


def _build_form(
    c: _Collector, data: Any, path: Path, role_ids: set[str], levels: tuple[str, ...]
) -> Form | None:
    d = _mapping(c, data, path)
    if d is None:
        return None
    _unknown_keys(c, d, {"code", "label", "title", "role", "support_roles", "indicators"}, path)
    code = _text(c, d, "code", path, required=True)
    if code and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", code):
        c.add((*path, "code"), f"mã biểu «{code}» phải bắt đầu bằng chữ cái, chỉ gồm chữ, số và _")
    role = _text(c, d, "role", path) or None
    if role and role not in role_ids:
        c.add((*path, "role"), f"vai trò «{role}» không có trong «roles»")
    indicators: list[Indicator] = []
    codes: set[str] = set()
    raw = _list(c, d, "indicators", path)
    if not raw:
        c.add((*path, "indicators"), "biểu không có chỉ tiêu nào")
    for i, item in enumerate(raw):
        ind = _build_indicator(c, item, (*path, "indicators", i), codes, levels)
        if ind:
            indicators.append(ind)
            codes.add(ind.code)
    return Form(
        code=code,
        label=_text(c, d, "label", path),
        title=_text(c, d, "title", path, required=True),
        role=role,
        support_roles=_roles(
            c, _list(c, d, "support_roles", path), role_ids, path, "support_roles"
        ),
        indicators=tuple(indicators),
    )
