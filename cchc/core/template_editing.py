"""Template data edited part by part: the fields of the editor's pages read back into
the plain data a YAML file holds, and every problem placed where a person fixes it.

The editor shows one part at a time (the general information, the outline, one
form, the rules), so a page posts a few hundred fields, never the whole
template. What a page does not show (roles, parents, remarks) rides along
unchanged in a hidden `rest` field of its item. The checks are the core's own
(`build_template`, with its limits): the editor adds none of its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from cchc.core.template_model import Path, TemplateError
from cchc.core.templates import build_template

__all__ = [
    "ROW_FIELDS",
    "Place",
    "check_data",
    "choices_text",
    "flat_sections",
    "form_from_fields",
    "header_from_fields",
    "insert_section",
    "nest_sections",
    "parse_choices",
    "rest_of",
    "rules_from_fields",
    "sections_from_fields",
]

ROW_FIELDS = ("code", "stt", "name", "note", "unit", "kind", "choices", "levels", "formula")
SECTION_FIELDS = ("code", "stt", "title", "guidance")
RULE_FIELDS = ("id", "kind", "form", "total", "parts", "check", "severity", "message")
_SPLIT = re.compile(r"[,;\s]+")


def rest_of(item: Mapping[str, Any], shown: tuple[str, ...]) -> str:
    """What a page does not show of one item, as the JSON of its hidden `rest` field.
    An empty `stt` (a row printed without a number) is kept there too."""
    rest = {k: v for k, v in item.items() if k not in shown and k != "items"}
    if item.get("stt") == "":
        rest["stt"] = ""
    return json.dumps(rest, ensure_ascii=False) if rest else ""


def _rest(fields: Mapping[str, str], prefix: str) -> dict[str, Any]:
    try:
        rest = json.loads(fields.get(f"{prefix}rest") or "{}")
    except (ValueError, RecursionError):  # posted by anyone: not trusted to be ours
        return {}
    return rest if isinstance(rest, dict) else {}


def choices_text(choices: Any) -> str:
    """`{1: Có, 0: Không}` as the editor shows it: «1 = Có; 0 = Không»."""
    if not isinstance(choices, Mapping):
        return ""
    return "; ".join(f"{k} = {v}" for k, v in choices.items())


def parse_choices(text: str) -> dict[Any, str]:
    """«1 = Có; 0 = Không» back to `{1: "Có", 0: "Không"}`; a code that is not a whole
    number is kept as written, for the core to refuse with its own message."""
    out: dict[Any, str] = {}
    for part in re.split(r"[;\n]+", text):
        if not part.strip():
            continue
        code, _, label = part.partition("=")
        code = code.strip()
        out[int(code) if re.fullmatch(r"-?\d+", code) else code] = label.strip()
    return out


def _words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text.strip()) if w]


def _count(fields: Mapping[str, str], key: str) -> int:
    try:
        return max(0, min(int(fields.get(key) or 0), 5_000))
    except ValueError:
        return 0


def _put(out: dict[str, Any], key: str, value: str) -> None:
    value = value.strip()
    if value:
        out[key] = value


def header_from_fields(fields: Mapping[str, str], data: Mapping[str, Any]) -> dict[str, Any]:
    """The general information: id, title, source, levels; the rest of `data` unchanged."""
    out = dict(data)
    for key in ("id", "title", "source"):
        out[key] = (fields.get(key) or "").strip()
    out["levels"] = _words(fields.get("levels") or "")
    if not out["source"]:
        out.pop("source")
    return out


def flat_sections(sections: Any, depth: int = 0) -> list[tuple[int, Mapping[str, Any]]]:
    """The outline as the editor lists it: (depth, section) in reading order."""
    out: list[tuple[int, Mapping[str, Any]]] = []
    for s in sections if isinstance(sections, list) else []:
        if isinstance(s, Mapping):
            out.append((depth, s))
            out.extend(flat_sections(s.get("items"), depth + 1))
    return out


def nest_sections(flat: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    """(depth, section) rows in reading order nested into sections with `items`; a row
    deeper than the one above it by more than one becomes that row's item."""
    top: list[dict[str, Any]] = []
    stack: list[tuple[int, dict[str, Any]]] = []
    for depth, section in flat:
        item = {k: v for k, v in section.items() if k != "items"}
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            stack[-1][1].setdefault("items", []).append(item)
        else:
            top.append(item)
        stack.append((depth, item))
    return top


def sections_from_fields(fields: Mapping[str, str]) -> list[dict[str, Any]]:
    """The outline's rows (`s-N-…`, each with its depth) nested back into sections."""
    flat = []
    for n in range(_count(fields, "sections")):
        p = f"s-{n}-"
        if fields.get(f"{p}del"):
            continue
        item = _rest(fields, p)
        for key in SECTION_FIELDS:
            _put(item, key, fields.get(f"{p}{key}") or "")
        flat.append((_count(fields, f"{p}depth"), item))
    return nest_sections(flat)


def insert_section(sections: Any, after: int | None, sub: bool) -> tuple[list[dict], int]:
    """A blank section after the `after`-th row of the flat outline (and its items), at
    its level or, `sub`, as its first item; at the end when `after` is None. Returns the
    outline and the new row's position."""
    flat = [(d, dict(s)) for d, s in flat_sections(sections)]
    blank: dict[str, Any] = {}
    if after is None or not 0 <= after < len(flat):
        flat.append((0, blank))
        return nest_sections(flat), len(flat) - 1
    depth = flat[after][0]
    at = after + 1
    if not sub:
        while at < len(flat) and flat[at][0] > depth:
            at += 1
    flat.insert(at, (depth + 1 if sub else depth, blank))
    return nest_sections(flat), at


def form_from_fields(
    fields: Mapping[str, str], base: Mapping[str, Any], all_levels: Any = ()
) -> dict[str, Any]:
    """One form: code, label, title and its rows (`r-J-…`); role and the like unchanged.
    A row filled at every level of the template keeps no `levels` of its own."""
    out = {k: v for k, v in base.items() if k != "indicators"}
    for key in ("code", "label", "title"):
        out[key] = (fields.get(key) or "").strip()
    if not out["label"]:
        out.pop("label")
    rows = []
    for j in range(_count(fields, "rows")):
        p = f"r-{j}-"
        if fields.get(f"{p}del"):
            continue
        row = _rest(fields, p)
        for key in ("code", "stt", "name", "note", "unit", "kind", "formula"):
            _put(row, key, fields.get(f"{p}{key}") or "")
        if choices := parse_choices(fields.get(f"{p}choices") or ""):
            row["choices"] = choices
        levels = _words(fields.get(f"{p}levels") or "")
        if levels and set(levels) != {str(x) for x in all_levels or ()}:
            row["levels"] = levels
        rows.append(row)
    out["indicators"] = rows
    return out


def rules_from_fields(fields: Mapping[str, str]) -> list[dict[str, Any]]:
    """The rules (`u-K-…`): parts written «2.1, 2.2»."""
    rules = []
    for k in range(_count(fields, "rules")):
        p = f"u-{k}-"
        if fields.get(f"{p}del"):
            continue
        rule = _rest(fields, p)
        for key in RULE_FIELDS:
            if key == "parts":
                if parts := _words(fields.get(f"{p}parts") or ""):
                    rule["parts"] = parts
            else:
                _put(rule, key, fields.get(f"{p}{key}") or "")
        if rule.get("kind") == "check":
            rule.pop("parts", None)
            rule.pop("total", None)
        else:
            rule.pop("check", None)
        rules.append(rule)
    return rules


class Place:
    """Where one problem is, in words and as the editor page and anchor that show it."""

    def __init__(self, where: str, part: str, anchor: str, message: str) -> None:
        self.where, self.part, self.anchor, self.message = where, part, anchor, message

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


_KEY_WORDS = {
    "code": "mã",
    "id": "mã",
    "name": "tên",
    "title": "tên",
    "unit": "đơn vị tính",
    "kind": "loại",
    "choices": "mã lựa chọn",
    "formula": "công thức",
    "levels": "cấp",
    "parent": "chỉ tiêu cha",
    "total": "tổng số",
    "parts": "các phần",
    "check": "điều kiện",
    "severity": "mức độ",
    "form": "biểu",
    "guidance": "hướng dẫn",
    "label": "nhãn biểu",
    "indicators": "các dòng",
}


def _key(path: Path, start: int) -> str:
    """The field a path ends in, in words: «, công thức»."""
    key = next((str(p) for p in reversed(path[start:]) if str(p) in _KEY_WORDS), "")
    return f", {_KEY_WORDS[key]}" if key else ""


def _section_index(data: Mapping[str, Any], path: Path) -> int:
    """The position in the flat outline of the section at `path` (sections[i].items[k]…)."""
    target: Any = data
    for p in path:
        if p not in ("sections", "items") and not isinstance(p, int):
            break
        try:
            target = target[p]
        except (KeyError, IndexError, TypeError):
            return 0
    flat = flat_sections(data.get("sections"))
    return next((n for n, (_, s) in enumerate(flat) if s is target), 0)


def place(data: Mapping[str, Any], path: Path, message: str) -> Place:
    """A core problem's path put in the words of the editor: form, row, field."""
    raw_forms = data.get("forms")
    forms: list[Any] = raw_forms if isinstance(raw_forms, list) else []
    if path[:1] == ("forms",) and len(path) > 1 and isinstance(path[1], int):
        i = path[1]
        form = forms[i] if i < len(forms) and isinstance(forms[i], Mapping) else {}
        name = form.get("label") or form.get("code") or f"thứ {i + 1}"
        if len(path) > 3 and path[2] == "indicators" and isinstance(path[3], int):
            j = path[3]
            rows = form.get("indicators") or []
            code = rows[j].get("code", "") if j < len(rows) and isinstance(rows[j], Mapping) else ""
            where = f"{name}, dòng {j + 1}" + (f" (mã {code})" if code else "") + _key(path, 4)
            return Place(where, f"bieu-{i}", f"r-{j}", message)
        return Place(f"{name}{_key(path, 2)}", f"bieu-{i}", "form-head", message)
    if path[:1] == ("sections",):
        n = _section_index(data, path)
        return Place(f"Đề cương, mục thứ {n + 1}{_key(path, 1)}", "de-cuong", f"s-{n}", message)
    if path[:1] == ("rules",) and len(path) > 1 and isinstance(path[1], int):
        k = path[1]
        return Place(f"Quy tắc {k + 1}{_key(path, 2)}", "quy-tac", f"u-{k}", message)
    if path[:1] == ("forms",):
        return Place("Các biểu", "chung", "forms", message)
    return Place(f"Thông tin chung{_key(path, 0)}", "chung", "head", message)


def _editor_words(message: str) -> str:
    """«thiếu khóa bắt buộc «name»» is about a file's keys; in the editor a field is blank."""
    return "chưa điền" if message.startswith("thiếu khóa bắt buộc") else message


def check_data(data: Any) -> list[Place]:
    """Every problem the core finds in the data (limits included), placed for the editor."""
    try:
        build_template(data)
    except TemplateError as exc:
        mapping = data if isinstance(data, Mapping) else {}
        return [place(mapping, p.path, _editor_words(p.message)) for p in exc.problems]
    return []
