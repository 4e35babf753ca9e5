"""Building the consistency rules, and checking what formulas and rules refer to."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from cchc.core.formulas import ExpressionError, Ref, parse_expression
from cchc.core.template_model import RULE_KINDS, Form, Path, Rule, Severity
from cchc.core.template_reading import _Collector, _list, _mapping, _text, _unknown_keys


def _parse_ref(c: _Collector, text: Any, path: Path) -> Ref | None:
    """One indicator code: `2.1`, `1`, `3.3.1.a`, `PL8.6.3.1`, `PL8[1]`."""
    raw = str(text).strip()
    if not raw or re.search(r"[\s+*/<>=(),]", raw):
        c.add(path, f"«{raw}» phải là đúng một mã chỉ tiêu")
        return None
    source = raw if raw.startswith("[") or raw[0].isalpha() else f"[{raw}]"
    try:
        expr = parse_expression(source)
    except ExpressionError as exc:
        c.add(path, str(exc))
        return None
    return expr.refs[0]


def _build_rule(c: _Collector, data: Any, path: Path, seen: set[str]) -> Rule | None:
    d = _mapping(c, data, path)
    if d is None:
        return None
    _unknown_keys(
        c, d, {"id", "kind", "form", "total", "parts", "check", "severity", "message"}, path
    )
    rule_id = _text(c, d, "id", path, required=True)
    if rule_id in seen:
        c.add((*path, "id"), f"mã quy tắc «{rule_id}» bị trùng")
    seen.add(rule_id)
    kind = _text(c, d, "kind", path) or "check"
    if kind not in RULE_KINDS:
        c.add(
            (*path, "kind"), f"loại quy tắc «{kind}» không hợp lệ (chọn: {', '.join(RULE_KINDS)})"
        )
        return None
    severity_text = _text(c, d, "severity", path) or "error"
    try:
        severity = Severity(severity_text)
    except ValueError:
        c.add((*path, "severity"), f"mức độ «{severity_text}» không hợp lệ (error, warning, info)")
        severity = Severity.ERROR
    total = None
    parts: tuple[Ref, ...] = ()
    if kind == "check":
        source = _text(c, d, "check", path, required=True)
    else:
        parts = tuple(
            r
            for i, p in enumerate(_list(c, d, "parts", path))
            if (r := _parse_ref(c, p, (*path, "parts", i))) is not None
        )
        if not parts:
            c.add((*path, "parts"), "quy tắc cần ít nhất một chỉ tiêu trong «parts»")
        terms = ", ".join(_ref_source(r) for r in parts) or "0"
        if kind == "shares_le_100":
            source = f"sum({terms}) <= 100"
        else:
            total_text = _text(c, d, "total", path, required=True)
            total = _parse_ref(c, total_text, (*path, "total")) if total_text else None
            op = "<=" if kind == "parts_le_total" else "=="
            source = f"sum({terms}) {op} {_ref_source(total) if total else 0}"
    try:
        check = parse_expression(source)
    except ExpressionError as exc:
        c.add((*path, "check"), str(exc))
        return None
    return Rule(
        id=rule_id,
        kind=kind,
        check=check,
        severity=severity,
        form=_text(c, d, "form", path) or None,
        total=total,
        parts=parts,
        message=_text(c, d, "message", path),
    )


def _ref_source(ref: Ref) -> str:
    return f"{ref.form}[{ref.code}]" if ref.form else f"[{ref.code}]"


def _check_refs(
    c: _Collector,
    template_forms: dict[str, Form],
    refs: Iterable[Ref],
    form: str | None,
    path: Path,
) -> None:
    for ref in refs:
        f = template_forms.get(ref.form or form or "")
        if f is None:
            c.add(path, f"biểu «{ref.form or form or '?'}» không có trong mẫu (mã «{ref}»)")
        elif f.get(ref.code) is None:
            c.add(path, f"biểu {f.code} không có chỉ tiêu mã «{ref.code}»")


def _derived_order(c: _Collector, forms: tuple[Form, ...]) -> tuple[tuple[str, str], ...]:
    """Derived indicators in an order where each comes after what it reads."""
    deps: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for f in forms:
        for ind in f.indicators:
            if ind.formula:
                deps[(f.code, ind.code)] = [(r.form or f.code, r.code) for r in ind.formula.refs]
    order: list[tuple[str, str]] = []
    state: dict[tuple[str, str], int] = {}

    def visit(node: tuple[str, str], trail: list[tuple[str, str]]) -> None:
        if state.get(node) == 2:
            return
        if state.get(node) == 1:
            cycle = " → ".join(f"{a}.{b}" for a, b in [*trail, node])
            c.add(("forms",), f"công thức tham chiếu vòng: {cycle}")
            return
        state[node] = 1
        for dep in deps.get(node, []):
            if dep in deps:
                visit(dep, [*trail, node])
        state[node] = 2
        order.append(node)

    for node in deps:
        visit(node, [])
    return tuple(order)
