"""The report template model (mẫu báo cáo): outline, forms, indicators, rules.

Templates are data. `build_template` turns the plain data read from a YAML
file into checked, immutable objects, collecting every problem with the path
of the key it concerns, so the file reader can point at the line. The objects
live in `template_model`, the checks of each part in `template_parts` and
`template_rules`; this module is the public entry point.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cchc.core.template_limits import limit_problems
from cchc.core.template_model import (
    _ID,
    PERIOD_TYPES,
    RULE_KINDS,
    Form,
    Indicator,
    Kind,
    ReportTemplate,
    Role,
    Rule,
    Section,
    Severity,
    TemplateError,
    TemplateProblem,
    format_path,
)
from cchc.core.template_parts import _build_form, _build_section
from cchc.core.template_reading import (
    _Collector,
    _list,
    _mapping,
    _text,
    _unknown_keys,
    default_kind,
    parent_code,
)
from cchc.core.template_rules import _build_rule, _check_refs, _derived_order

__all__ = [
    "PERIOD_TYPES",
    "RULE_KINDS",
    "Form",
    "Indicator",
    "Kind",
    "ReportTemplate",
    "Role",
    "Rule",
    "Section",
    "Severity",
    "TemplateError",
    "TemplateProblem",
    "build_template",
    "default_kind",
    "format_path",
    "parent_code",
]


def build_template(data: Any, *, source: str = "") -> ReportTemplate:
    """Check and build a template from plain data; raises TemplateError listing every problem."""
    c = _Collector()
    d = _mapping(c, data, ())
    if d is None:
        raise TemplateError(c.problems, source)
    if too_big := limit_problems(d):
        raise TemplateError([TemplateProblem(p, m) for p, m in too_big], source)
    _unknown_keys(
        c,
        d,
        {
            "id",
            "title",
            "source",
            "levels",
            "period_types",
            "roles",
            "sections",
            "forms",
            "rules",
            "example_round",
        },
        (),
    )
    template_id = _text(c, d, "id", (), required=True)
    if template_id and not _ID.fullmatch(template_id):
        c.add(("id",), f"mã mẫu «{template_id}» chỉ gồm chữ thường không dấu, số và dấu -")
    levels = tuple(str(x) for x in _list(c, d, "levels", ()))
    if not levels:
        c.add(("levels",), "thiếu «levels»: cấp đơn vị báo cáo theo mẫu (ví dụ [xa])")
    period_types = tuple(str(x) for x in _list(c, d, "period_types", ())) or PERIOD_TYPES
    for i, p in enumerate(period_types):
        if p not in PERIOD_TYPES:
            c.add(("period_types", i), f"kỳ «{p}» không hợp lệ (chọn: {', '.join(PERIOD_TYPES)})")
    roles = []
    for i, r in enumerate(_list(c, d, "roles", ())):
        rd = _mapping(c, r, ("roles", i))
        if rd is not None:
            roles.append(
                Role(
                    _text(c, rd, "id", ("roles", i), required=True),
                    _text(c, rd, "title", ("roles", i), required=True),
                )
            )
    role_ids = {r.id for r in roles}
    seen_sections: set[str] = set()
    sections = tuple(
        s
        for i, item in enumerate(_list(c, d, "sections", ()))
        if (s := _build_section(c, item, ("sections", i), role_ids, seen_sections, None))
        is not None
    )
    raw_forms = _list(c, d, "forms", ())
    if not raw_forms:
        c.add(("forms",), "mẫu không có biểu nào")
    forms = tuple(
        f
        for i, item in enumerate(raw_forms)
        if (f := _build_form(c, item, ("forms", i), role_ids, levels)) is not None
    )
    by_code: dict[str, Form] = {}
    for i, f in enumerate(forms):
        if f.code in by_code:
            c.add(("forms", i, "code"), f"mã biểu «{f.code}» bị trùng")
        by_code[f.code] = f
    for i, f in enumerate(forms):
        for j, ind in enumerate(f.indicators):
            if ind.formula:
                _check_refs(
                    c, by_code, ind.formula.refs, f.code, ("forms", i, "indicators", j, "formula")
                )
    seen_rules: set[str] = set()
    rules = []
    for i, item in enumerate(_list(c, d, "rules", ())):
        rule = _build_rule(c, item, ("rules", i), seen_rules)
        if rule:
            if rule.form and rule.form not in by_code:
                c.add(("rules", i, "form"), f"biểu «{rule.form}» không có trong mẫu")
            else:
                _check_refs(c, by_code, rule.check.refs, rule.form, ("rules", i))
            rules.append(rule)
    title = _text(c, d, "title", (), required=True)
    order = _derived_order(c, forms)
    example = d.get("example_round") or {}
    if c.problems:
        raise TemplateError(c.problems, source)
    return ReportTemplate(
        id=template_id,
        title=title,
        source=_text(c, d, "source", ()),
        levels=levels,
        period_types=period_types,
        roles=tuple(roles),
        sections=sections,
        forms=forms,
        rules=tuple(rules),
        example_round=example if isinstance(example, Mapping) else {},
        derived_order=order,
    )
