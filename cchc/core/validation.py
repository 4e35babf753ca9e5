"""Validation: what is wrong with one value, one reported rate or one rule of the
template, said in Vietnamese.

The result is a list of `Finding`s (never called "issues") that the CLI, the
web form and the tests all share. The report is read once, and these checks
applied to it, in `reading.py` (`read_report`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.cell_reading import ReadValue
from cchc.core.formulas import Ref
from cchc.core.numbers import (
    decimals_of,
    format_number,
    rounded,
)
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate, Rule, Severity
from cchc.core.values import Entry

__all__ = [
    "Finding",
    "ValidationResult",
    "evaluated",
    "rate_findings",
    "rule_finding",
    "unknown_form",
    "unknown_indicator",
    "value_findings",
]


@dataclass(frozen=True)
class Finding:
    """One validation result: which rule, how serious, where, and why."""

    rule: str
    severity: Severity
    message: str
    form: str = ""
    codes: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "form": self.form,
            "codes": list(self.codes),
            "labels": list(self.labels),
            "values": {k: _json_number(v) for k, v in self.values.items()},
            "message": self.message,
            "line": self.line,
        }


def _json_number(v: Any) -> Any:
    if isinstance(v, list):
        return [_json_number(x) for x in v]
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral() else float(v)
    return v


@dataclass
class ValidationResult:
    findings: list[Finding]
    values: dict[tuple[str, str], Decimal]
    computed: dict[tuple[str, str], Decimal | None]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


def _where(form: Form, ind: Indicator) -> str:
    name = form.label or form.code
    return f"{name}, chỉ tiêu {ind.stt.rstrip('.') or ind.code} «{ind.name}»"


def _choices_text(ind: Indicator) -> str:
    return "; ".join(f"{label} = {code}" for code, label in ind.choices.items())


def value_findings(form: Form, ind: Indicator, entry: Entry, read: ReadValue) -> list[Finding]:
    where = _where(form, ind)
    line = entry.source.line if entry.source else None
    base: dict[str, Any] = {"form": form.code, "codes": (ind.code,), "labels": (ind.name,)}
    base["line"] = line

    def finding(rule: str, severity: Severity, message: str, value: Any = None) -> Finding:
        return Finding(
            rule,
            severity,
            f"{where}: {message}.",
            values={ind.code: read.value if value is None else value},
            **base,
        )

    out: list[Finding] = []
    if read.problem in ("unreadable-value", "number-too-long"):
        return [finding(read.problem, Severity.ERROR, read.message, entry.raw)]
    if read.problem == "value-with-unit":
        out.append(finding("value-with-unit", Severity.INFO, read.message))
    if read.problem == "ambiguous-number":
        out.append(
            Finding(
                "ambiguous-number",
                Severity.WARNING,
                f"{where}: {read.message}. Theo quy ước Việt Nam «,» là dấu thập phân, "
                "«.» là dấu phân cách hàng nghìn.",
                values={ind.code: entry.raw.strip(), "readings": list(read.readings)},
                **base,
            )
        )
    v = read.value
    if v is None:
        return out
    if ind.kind is Kind.HEADING:
        out.append(
            finding(
                "heading-has-value",
                Severity.WARNING,
                f"dòng tiêu đề nhóm không nhận số liệu nhưng có giá trị {entry.raw.strip()}",
            )
        )
    elif ind.kind is Kind.CHOICE:
        if v != v.to_integral() or int(v) not in ind.choices:
            out.append(
                finding(
                    "choice-out-of-range",
                    Severity.ERROR,
                    f"giá trị {format_number(v)} không có trong danh sách lựa chọn "
                    f"({_choices_text(ind)})",
                )
            )
    elif ind.kind is Kind.COUNT:
        if v < 0:
            out.append(
                finding(
                    "negative-value", Severity.ERROR, f"số lượng {format_number(v)} không được âm"
                )
            )
        elif v != v.to_integral():
            out.append(
                finding(
                    "count-not-whole",
                    Severity.ERROR,
                    f"số lượng phải là số nguyên, nhưng ghi {entry.raw.strip()}",
                )
            )
        if not ind.measure.strip():
            out.append(
                finding(
                    "missing-unit",
                    Severity.INFO,
                    f"dòng có số liệu ({entry.raw.strip()}) nhưng không ghi đơn vị tính",
                )
            )
        if ind.measure.strip() == "%":
            out.append(
                finding(
                    "count-under-percent",
                    Severity.WARNING,
                    "chỉ tiêu đếm số lượng nhưng đơn vị tính ghi «%» "
                    f"(giá trị {entry.raw.strip()})",
                )
            )
    elif ind.kind is Kind.AMOUNT and v < 0:
        out.append(
            finding("negative-value", Severity.ERROR, f"giá trị {format_number(v)} không được âm")
        )
    elif ind.kind is Kind.RATE and not (0 <= v <= 100):
        out.append(
            finding(
                "rate-out-of-range",
                Severity.ERROR,
                f"tỷ lệ {format_number(v)}% nằm ngoài khoảng 0–100%",
            )
        )
    return out


def rate_findings(
    form: Form,
    ind: Indicator,
    entry: Entry | None,
    reported: Decimal | None,
    computed: Decimal | None,
    operands: dict[str, Decimal | None],
) -> list[Finding]:
    if reported is None or ind.formula is None:
        return []
    where = _where(form, ind)
    line = entry.source.line if entry and entry.source else None
    values: dict[str, Any] = {ind.code: reported, **operands}
    base: dict[str, Any] = {
        "form": form.code,
        "codes": (ind.code, *operands),
        "line": line,
        "labels": (ind.name, *(_label(form, c) for c in operands)),
    }
    shown_operands = ", ".join(
        f"{c} = {format_number(v) if v is not None else 'trống'}" for c, v in operands.items()
    )
    if computed is None:
        operand_values = list(operands.values())
        if operand_values and all(v is not None for v in operand_values):
            # 0% or 100% over nothing is a habit (warning); any other figure is invented (error).
            return [
                Finding(
                    "rate-over-zero",
                    Severity.WARNING if reported in (0, 100) else Severity.ERROR,
                    f"{where}: tỷ lệ ghi {format_number(reported)}% nhưng mẫu số bằng 0 "
                    f"({shown_operands}) nên tỷ lệ không xác định; để trống ô này.",
                    values=values,
                    **base,
                )
            ]
        return []
    values["computed"] = computed
    places = decimals_of(reported)
    nearest = rounded(computed, places)
    if nearest == reported:
        return []
    shown = format_number(computed, places + 2)
    if abs(reported - computed) < Decimal(1).scaleb(-places):
        return [
            Finding(
                "rate-rounding",
                Severity.WARNING,
                f"{where}: tỷ lệ ghi {format_number(reported)}%, tính từ {shown_operands} "
                f"được {shown}%, làm tròn đúng là {format_number(nearest)}%.",
                values=values,
                **base,
            )
        ]
    return [
        Finding(
            "rate-mismatch",
            Severity.ERROR,
            f"{where}: tỷ lệ ghi {format_number(reported)}% nhưng tính từ {shown_operands} "
            f"được {shown}%.",
            values=values,
            **base,
        )
    ]


def _label(form: Form, code: str) -> str:
    ind = form.get(code)
    return ind.name if ind else code


def _rule_message(rule: Rule, template: ReportTemplate, values: dict[str, Decimal | None]) -> str:
    def show(ref: Ref) -> str:
        form, code = rule.resolve(ref)
        ind = template.indicator(form, code)
        v = values.get(str(ref))
        name = f" «{ind.name}»" if ind else ""
        return f"{ref}{name} = {format_number(v) if v is not None else 'trống'}"

    present = [values.get(str(p)) for p in rule.parts]
    total_parts = sum((v for v in present if v is not None), Decimal(0))
    parts_text = "; ".join(show(p) for p in rule.parts)
    form = template.form(rule.form or "")
    prefix = f"{form.label or form.code}: " if form else ""
    if rule.kind == "parts_le_total" and rule.total:
        return (
            f"{prefix}tổng các chỉ tiêu thành phần ({parts_text}) là {format_number(total_parts)}, "
            f"lớn hơn chỉ tiêu tổng {show(rule.total)}."
        )
    if rule.kind == "sum_equals_total" and rule.total:
        return (
            f"{prefix}tổng các chỉ tiêu thành phần ({parts_text}) là {format_number(total_parts)}, "
            f"không bằng chỉ tiêu tổng {show(rule.total)}."
        )
    if rule.kind == "shares_le_100":
        return (
            f"{prefix}các tỷ lệ của cùng một tổng thể ({parts_text}) cộng lại "
            f"{format_number(total_parts)}%, vượt quá 100%."
        )
    shown = "; ".join(show(r) for r in rule.check.refs)
    return f"{prefix}không thỏa điều kiện «{rule.check.source}» ({shown})."


def _with_values(rule: Rule, template: ReportTemplate, values: dict[str, Decimal | None]) -> str:
    """A template's own message, followed by the figures it is about."""
    shown = "; ".join(
        f"{r} = {format_number(v) if v is not None else 'trống'}"
        for r in rule.check.refs
        for v in [values.get(str(r))]
    )
    return f"{rule.message.rstrip('.')} ({shown})."


def evaluated(evaluate: Callable[[Any], Any], lookup: Any) -> Any:
    """A formula's result, or undefined when the arithmetic itself fails
    (a figure too large for the precision kept): the report still opens."""
    try:
        return evaluate(lookup)
    except ArithmeticError:
        return None


def unknown_form(template: ReportTemplate, form_code: str) -> Finding:
    return Finding(
        "unknown-form",
        Severity.ERROR,
        f"Mẫu {template.id} không có biểu «{form_code}».",
        form=form_code,
    )


def unknown_indicator(form: Form, code: str, entry: Entry) -> Finding:
    return Finding(
        "unknown-indicator",
        Severity.ERROR,
        f"{form.label or form.code} không có chỉ tiêu mã «{code}».",
        form=form.code,
        codes=(code,),
        line=entry.source.line if entry.source else None,
    )


def rule_finding(
    rule: Rule,
    template: ReportTemplate,
    numbers: Mapping[tuple[str, str], Decimal],
    entries: Mapping[tuple[str, str], Entry],
) -> Finding | None:
    """What a rule of the template says about the figures read, or None when it holds
    (or cannot be evaluated)."""

    def lookup(form: str | None, code: str) -> Decimal | None:
        return numbers.get((form or rule.form or "", code))

    if evaluated(rule.check.evaluate, lookup) is not False:
        return None
    shown = {str(r): lookup(r.form, r.code) for r in rule.check.refs}
    lines = [
        s.line
        for r in rule.check.refs
        if (k := rule.resolve(r)) in entries and (s := entries[k].source) and s.line
    ]
    return Finding(
        rule.id,
        rule.severity,
        _with_values(rule, template, shown)
        if rule.message
        else _rule_message(rule, template, shown),
        form=rule.form or "",
        codes=tuple(str(r) for r in rule.check.refs),
        labels=tuple(
            _label(template.form(rule.resolve(r)[0]) or Form("", "", ()), r.code)
            for r in rule.check.refs
        ),
        values=shown,
        line=min(lines) if lines else None,
    )
