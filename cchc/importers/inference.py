"""Infer an ad-hoc template from a table of unknown design.

Districts design their own tables. Rather than refuse them, cchc reads the
table itself: codes and their hierarchy, units, kinds, coded options from the
unit column, rate formulas from a `Tỷ lệ …` row and the `Tổng số …` / `Số …`
rows beneath it, and the rules a breakdown implies. The result is ordinary
template data, checked by `build_template` like any YAML file.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from cchc.core.templates import ReportTemplate, build_template
from cchc.core.text import fold
from cchc.importers.inference_rules import formulas, rules
from cchc.importers.seed_text import Row, Table

__all__ = ["infer_template", "infer_template_data", "parse_choices"]

_CHOICE = re.compile(r"([^=;]+?)\s*=\s*(\d+)")
_YES_NO = re.compile(r"co\s*(?:/|,|-|hoac)?\s*khong")
_MONEY = re.compile(r"\bđồng\b", re.IGNORECASE)


def parse_choices(unit: str) -> dict[int, str]:
    """`Trực tuyến = 0 Phát phiếu = 1` → {0: 'Trực tuyến', 1: 'Phát phiếu'}."""
    out: dict[int, str] = {}
    for label, code in _CHOICE.findall(unit):
        out[int(code)] = label.strip(" ;,")
    if not out and _YES_NO.fullmatch(fold(unit.strip())):
        return {1: "Có", 0: "Không"}  # "Có/không": a yes/no choice, answered Có, Không, x, ✓
    return out


def _is_total(row: Row) -> bool:
    """A row with rows under it and a figure of its own is their total, not a
    heading — unless the figure is a 0 on a name that counts nothing."""
    if not re.match(r"\s*[-+]?\d", row.value):
        return False
    return _is_count_name(row.name) or bool(re.search(r"[1-9]", row.value))


def _is_count_name(name: str) -> bool:
    f = fold(name)
    return f.startswith(("so ", "tong so ", "so luong "))


def _codes(rows: list[Row]) -> list[tuple[str, str | None, str]]:
    """(code, parent, stt) for each row, by position: a deeper number belongs to the row above.

    A printed number that repeats or does not fit under its parent gets the
    code its position implies (1.1.1 printed under 1.2 → 1.2.1); uncoded rows
    continue the row above as `.a`, `.b`, …
    """
    out: list[tuple[str, str | None, str]] = []
    stack: list[tuple[int, str]] = []  # (depth, code)
    used: set[str] = set()
    last_coded: str | None = None
    letters: dict[str, int] = {}
    for row in rows:
        if row.code:
            depth = row.code.count(".") + 1
            while stack and stack[-1][0] >= depth:
                stack.pop()
            parent = stack[-1][1] if stack else None
            code = row.code
            if parent and not code.startswith(parent + ".") and depth == parent.count(".") + 2:
                code = f"{parent}.{code.split('.')[-1]}"
            base, n = code, 1
            while code in used:
                n += 1
                code = f"{base}{chr(ord('a') + n - 1)}" if n <= 26 else f"{base}-{n}"
            used.add(code)
            stack.append((depth, code))
            last_coded = code
            out.append((code, parent, f"{row.stt}" if row.stt.endswith(".") else row.stt))
        else:
            owner = last_coded or "0"
            letters[owner] = letters.get(owner, 0) + 1
            code = f"{owner}.{chr(ord('a') + letters[owner] - 1)}"
            used.add(code)
            out.append(
                (code, last_coded, "Trong đó" if row.breakdown and letters[owner] == 1 else "")
            )
    return out


def _kind(row: Row, has_children: bool) -> str:
    unit = row.unit.strip()
    if parse_choices(unit):
        return "choice"
    if unit == "%":
        return "count" if _is_count_name(row.name) else "rate"
    if not unit:
        if fold(row.name).startswith("ty le"):
            return "rate"
        if has_children and not _is_total(row):
            return "heading"
        return "count" if row.value or _is_count_name(row.name) else "heading"
    if _MONEY.search(unit):
        return "amount"
    return "count"


def _form_data(table: Table, index: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    codes = _codes(table.rows)
    parents = {parent for _, parent, _ in codes if parent}
    indicators: list[dict[str, Any]] = []
    kinds: dict[str, str] = {}
    for row, (code, parent, stt) in zip(table.rows, codes, strict=True):
        kind = _kind(row, code in parents)
        kinds[code] = kind
        item: dict[str, Any] = {
            "code": code,
            "name": row.name or "(không tên)",
            "unit": row.unit,
            "kind": kind,
            "stt": stt,
        }
        if parent:
            item["parent"] = parent
        if kind == "choice":
            item["choices"] = parse_choices(row.unit)
        indicators.append(item)
    form_code = f"B{index + 1}"
    form_rules = rules(form_code, indicators, kinds, table)
    formulas(indicators, kinds)
    form = {
        "code": form_code,
        "label": table.label or f"Bảng {index + 1}",
        "title": table.title or "Bảng số liệu",
        "indicators": indicators,
    }
    return form, form_rules


def infer_template_data(tables: list[Table], source: str = "") -> dict[str, Any]:
    """Template data (the YAML schema) inferred from the tables of one document."""
    forms: list[dict[str, Any]] = []
    rules: list[dict[str, Any]] = []
    for n, table in enumerate(tables):
        form, form_rules = _form_data(table, n)
        forms.append(form)
        rules.extend(form_rules)
    signature = "|".join(f"{i['code']}:{fold(i['name'])}" for f in forms for i in f["indicators"])
    digest = hashlib.sha1(signature.encode("utf-8")).hexdigest()[:8]
    return {
        "id": f"suy-ra-{digest}",
        "title": "Mẫu suy ra từ bảng số liệu" + (f" của {source}" if source else ""),
        "source": source,
        "levels": ["xa"],
        "forms": forms,
        "rules": rules,
    }


def infer_template(tables: list[Table], source: str = "") -> ReportTemplate:
    template = build_template(infer_template_data(tables, source), source=source)
    object.__setattr__(template, "inferred", True)
    return template
