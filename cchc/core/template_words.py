"""A template read as words: formulas with the names of the rows they read, rules as
Vietnamese sentences, kinds and levels as a civil servant calls them.

What the paper form and the editor show beside a formula, so a reviewer checks
«Tỷ lệ = (Đúng hạn ÷ Đã giải quyết) × 100» instead of `[2] / [1] * 100`.
"""

from __future__ import annotations

from cchc.core.formulas import ExpressionError, Ref, Token, tokenize
from cchc.core.template_model import Form, Indicator, Kind, ReportTemplate, Rule, Severity

__all__ = [
    "KIND_WORDS",
    "LEVEL_WORDS",
    "RULE_KIND_WORDS",
    "SEVERITY_WORDS",
    "formula_words",
    "indicator_formula_words",
    "rule_words",
]

KIND_WORDS = {
    Kind.HEADING: "Tiêu đề (không nhập số)",
    Kind.COUNT: "Số đếm (số nguyên ≥ 0)",
    Kind.AMOUNT: "Số lượng, số tiền (≥ 0, có thể lẻ)",
    Kind.RATE: "Tỷ lệ % (0–100)",
    Kind.CHOICE: "Chọn một mã",
    Kind.TEXT: "Chữ",
}
LEVEL_WORDS = {"tinh": "Tỉnh", "huyen": "Huyện", "xa": "Xã"}
RULE_KIND_WORDS = {
    "parts_le_total": "Tổng các phần không vượt quá tổng số",
    "sum_equals_total": "Tổng các phần bằng tổng số",
    "shares_le_100": "Các tỷ lệ cộng lại không quá 100%",
    "check": "Điều kiện tự viết",
}
SEVERITY_WORDS = {
    Severity.ERROR: "Lỗi (phải sửa)",
    Severity.WARNING: "Cảnh báo",
    Severity.INFO: "Lưu ý",
}
_OPS = {
    "*": "×",
    "/": "÷",
    "<=": "≤",
    ">=": "≥",
    "==": "=",
    "!=": "≠",
    "-": "−",
    "and": "và",
    "or": "hoặc",
    "not": "không phải",
}
_FUNCTIONS = {
    "sum": "Tổng",
    "min": "Nhỏ nhất",
    "max": "Lớn nhất",
    "abs": "Giá trị tuyệt đối",
    "round": "Làm tròn",
    "present": "Có số liệu",
}
_NAME_CHARS = 60


def _short(ind: Indicator) -> str:
    name = ind.name.strip()
    return name if len(name) <= _NAME_CHARS else name[: _NAME_CHARS - 1].rstrip() + "…"


def formula_words(source: str, template: ReportTemplate | None, form: str | None) -> str:
    """A formula or check with every code replaced by its row's name (the code kept when
    the row is unknown), operators as printed: `×`, `÷`, `≤`, `và`."""
    try:
        tokens = tokenize(source)
    except ExpressionError:
        return source
    words: list[str] = []
    if _is_rate(tokens):
        # `a / b * 100`, the shape of nearly every rate: bracketed as it is meant.
        a, b = (_ref_words(t.ref, template, form) for t in tokens[0:3:2] if t.ref)
        return f"({a} ÷ {b}) × {tokens[4].text}"
    for tok in tokens:
        if tok.ref is not None:
            words.append(_ref_words(tok.ref, template, form))
        elif tok.kind == "number":
            words.append(tok.text)  # a bare whole number is a number (`* 100`)
        elif tok.kind == "name":
            words.append(_FUNCTIONS.get(tok.text, _OPS.get(tok.text, tok.text)))
        elif tok.kind == "op":
            words.append(_OPS.get(tok.text, tok.text))
    return _join(words)


def _is_rate(tokens: list[Token]) -> bool:
    """`a / b * 100`, two rows then a whole number."""
    shape = [t.kind for t in tokens], [t.text for t in tokens]
    return (
        len(tokens) == 6
        and shape[1][1::2] == ["/", "*", ""]
        and all(t.ref is not None for t in tokens[0:3:2])
        and shape[0][4] == "number"
        and "." not in shape[1][4]
    )


def _ref_words(ref: Ref, template: ReportTemplate | None, form: str | None) -> str:
    f: Form | None = template.form(ref.form or form or "") if template else None
    ind = f.get(ref.code) if f else None
    if ind is None:
        return f"«{ref}»"
    prefix = f"{f.label or f.code}: " if ref.form and ref.form != form and f else ""
    return f"{prefix}{_short(ind)}"


def _join(words: list[str]) -> str:
    out = ""
    for w in words:
        if not out or out.endswith("(") or w in (")", ","):
            out += w
        else:
            out += " " + w
    return out.replace(" ,", ",")


def indicator_formula_words(template: ReportTemplate, form: Form, ind: Indicator) -> str:
    """«Tỷ lệ … = (… ÷ …) × 100» for a derived row, "" for a row without a formula."""
    if ind.formula is None:
        return ""
    return f"{_short(ind)} = {formula_words(ind.formula.source, template, form.code)}"


def rule_words(template: ReportTemplate, rule: Rule) -> str:
    """The rule as a sentence a civil servant reads on the paper form."""
    names = [_ref_words(p, template, rule.form) for p in rule.parts]
    if rule.kind == "check":
        text = formula_words(rule.check.source, template, rule.form)
    elif rule.kind == "shares_le_100":
        text = f"{' + '.join(names)} ≤ 100%"
    else:
        total = _ref_words(rule.total, template, rule.form) if rule.total else "?"
        op = "≤" if rule.kind == "parts_le_total" else "="
        text = f"{' + '.join(names)} {op} {total}"
    return text
