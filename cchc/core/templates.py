"""The report template model (mẫu báo cáo): outline, forms, indicators, rules.

Templates are data. `build_template` turns the plain data read from a YAML
file into checked, immutable objects, collecting every problem with the path
of the key it concerns, so the file reader can point at the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cchc.core.formulas import Expression, ExpressionError, Ref, parse_expression
from cchc.core.template_limits import limit_problems
from cchc.core.text import fold

__all__ = [
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
    "format_path",
]

Path = tuple[str | int, ...]


class Kind(StrEnum):
    HEADING = "heading"
    COUNT = "count"
    AMOUNT = "amount"
    RATE = "rate"
    CHOICE = "choice"
    TEXT = "text"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


RULE_KINDS = ("parts_le_total", "sum_equals_total", "shares_le_100", "check")
PERIOD_TYPES = ("quarter", "half_year", "nine_months", "year")
_MONEY = re.compile(r"\b(đồng|dong)\b", re.IGNORECASE)
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class TemplateProblem:
    path: Path
    message: str


class TemplateError(ValueError):
    """Every problem found in one template, each with the path of its key."""

    def __init__(self, problems: list[TemplateProblem], source: str = "") -> None:
        self.problems = problems
        self.source = source
        super().__init__("\n".join(f"{format_path(p.path)}: {p.message}" for p in problems))


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(gốc)"


@dataclass(frozen=True)
class Role:
    id: str
    title: str


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    stt: str = ""
    guidance: str = ""
    role: str | None = None
    support_roles: tuple[str, ...] = ()
    items: tuple[Section, ...] = ()

    def walk(self) -> Iterable[Section]:
        yield self
        for item in self.items:
            yield from item.walk()


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    kind: Kind
    unit: str = ""
    stt: str = ""
    note: str = ""
    remark: str = ""
    choices: Mapping[int, str] = field(default_factory=dict)
    formula: Expression | None = None
    parent: str | None = None
    levels: tuple[str, ...] = ()
    cumulative: bool = False

    @property
    def label(self) -> str:
        """The name with its note, as a reader sees it."""
        return f"{self.name} ({self.note})" if self.note else self.name

    @property
    def has_value(self) -> bool:
        return self.kind is not Kind.HEADING


@dataclass(frozen=True)
class Form:
    code: str
    title: str
    indicators: tuple[Indicator, ...]
    label: str = ""
    role: str | None = None
    support_roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {i.code: i for i in self.indicators})
        object.__setattr__(self, "_by_name", _index_names(self.indicators))

    def get(self, code: str) -> Indicator | None:
        return self._by_code.get(code)  # type: ignore[attr-defined]

    def find_by_name(self, name: str) -> list[Indicator]:
        return list(self._by_name.get(fold(name), ()))  # type: ignore[attr-defined]

    def children(self, code: str) -> list[Indicator]:
        return [i for i in self.indicators if i.parent == code]


def _index_names(indicators: Iterable[Indicator]) -> dict[str, tuple[Indicator, ...]]:
    index: dict[str, list[Indicator]] = {}
    for ind in indicators:
        for key in {fold(ind.name), fold(ind.label)}:
            index.setdefault(key, []).append(ind)
    return {k: tuple(v) for k, v in index.items()}


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    check: Expression
    severity: Severity = Severity.ERROR
    form: str | None = None
    total: Ref | None = None
    parts: tuple[Ref, ...] = ()
    message: str = ""

    def resolve(self, ref: Ref) -> tuple[str, str]:
        return (ref.form or self.form or "", ref.code)


@dataclass(frozen=True)
class ReportTemplate:
    id: str
    title: str
    forms: tuple[Form, ...]
    levels: tuple[str, ...] = ()
    period_types: tuple[str, ...] = PERIOD_TYPES
    source: str = ""
    roles: tuple[Role, ...] = ()
    sections: tuple[Section, ...] = ()
    rules: tuple[Rule, ...] = ()
    example_round: Mapping[str, Any] = field(default_factory=dict)
    inferred: bool = False
    derived_order: tuple[tuple[str, str], ...] = ()

    def form(self, code: str) -> Form | None:
        return next((f for f in self.forms if f.code == code), None)

    def indicator(self, form: str, code: str) -> Indicator | None:
        f = self.form(form)
        return f.get(code) if f else None

    def all_sections(self) -> list[Section]:
        return [s for top in self.sections for s in top.walk()]

    @property
    def indicator_count(self) -> int:
        return sum(len(f.indicators) for f in self.forms)


# ---------------------------------------------------------------- building


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
        unit=unit,
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
