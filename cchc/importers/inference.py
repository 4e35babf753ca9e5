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
from cchc.importers.seed_text import Row, Table

__all__ = ["infer_template", "infer_template_data", "parse_choices"]

_CHOICE = re.compile(r"([^=;]+?)\s*=\s*(\d+)")
_QUANTITIES = ("count", "amount")
_MONEY = re.compile(r"\bđồng\b", re.IGNORECASE)


def parse_choices(unit: str) -> dict[int, str]:
    """`Trực tuyến = 0 Phát phiếu = 1` → {0: 'Trực tuyến', 1: 'Phát phiếu'}."""
    out: dict[int, str] = {}
    for label, code in _CHOICE.findall(unit):
        out[int(code)] = label.strip(" ;,")
    return out


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
        if has_children:
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
    rules = _rules(form_code, indicators, kinds, table)
    _formulas(indicators, kinds)
    form = {
        "code": form_code,
        "label": table.label or f"Bảng {index + 1}",
        "title": table.title or "Bảng số liệu",
        "indicators": indicators,
    }
    return form, rules


def _children(indicators: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [i for i in indicators if i.get("parent") == code]


def _formulas(indicators: list[dict[str, Any]], kinds: dict[str, str]) -> None:
    """A `Tỷ lệ` row over a `Tổng số` (denominator) and a `Số` (numerator) row beneath it."""
    for item in indicators:
        if item["kind"] != "rate":
            continue
        counts = [c for c in _children(indicators, item["code"]) if kinds[c["code"]] in _QUANTITIES]
        if len(counts) < 2:
            continue
        denominator = next((c for c in counts if fold(c["name"]).startswith("tong so")), counts[0])
        numerator = next(c for c in counts if c is not denominator)
        item["formula"] = f"[{numerator['code']}] / [{denominator['code']}] * 100"


def _rules(
    form: str, indicators: list[dict[str, Any]], kinds: dict[str, str], table: Table
) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    breakdown_rows = {r.line for r in table.rows if r.breakdown}
    by_code_row = dict(zip((i["code"] for i in indicators), table.rows, strict=True))
    for item in indicators:
        code = item["code"]
        children = _children(indicators, code)
        if not children:
            continue
        is_breakdown = all(by_code_row[c["code"]].line in breakdown_rows for c in children)
        child_kinds = {kinds[c["code"]] for c in children}
        parts = [c["code"] for c in children]
        if is_breakdown and child_kinds == {"rate"}:
            rules.append(
                {
                    "id": f"{form.lower()}-{code}-ty-le-cong-lai",
                    "form": form,
                    "kind": "shares_le_100",
                    "parts": parts,
                }
            )
        elif kinds[code] == "count" and child_kinds == {"count"}:
            if kinds[code] == "count" and (
                is_breakdown or fold(item["name"]).startswith("tong so")
            ):
                rules.append(
                    {
                        "id": f"{form.lower()}-{code}-thanh-phan",
                        "form": form,
                        "kind": "parts_le_total",
                        "total": code,
                        "parts": parts,
                        "severity": "error" if is_breakdown else "warning",
                    }
                )
        elif kinds[code] == "rate":
            counts = [c for c in children if kinds[c["code"]] in _QUANTITIES]
            if len(counts) >= 2:
                den = next((c for c in counts if fold(c["name"]).startswith("tong so")), counts[0])
                num = next(c for c in counts if c is not den)
                rules.append(
                    {
                        "id": f"{form.lower()}-{code}-tu-so-le-mau-so",
                        "form": form,
                        "kind": "parts_le_total",
                        "total": den["code"],
                        "parts": [num["code"]],
                    }
                )
    return rules


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
