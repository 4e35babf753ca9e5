"""A template edited part by part (cchc/core/template_editing.py) and read as words
(cchc/core/template_words.py): fields back to the same data, problems placed where
the editor shows them."""

from __future__ import annotations

import copy

import yaml

from cchc.bundled_templates import TEMPLATE_DIR
from cchc.core.template_editing import (
    check_data,
    choices_text,
    flat_sections,
    form_from_fields,
    insert_section,
    parse_choices,
    rest_of,
    rules_from_fields,
    sections_from_fields,
)
from cchc.core.template_words import formula_words, indicator_formula_words, rule_words
from cchc.core.templates import build_template

PL = yaml.safe_load((TEMPLATE_DIR / "pl-2024.yaml").read_text(encoding="utf-8"))
XA = yaml.safe_load((TEMPLATE_DIR / "xa-2022.yaml").read_text(encoding="utf-8"))


def _row_fields(form: dict) -> dict[str, str]:
    """What the form's page posts, unchanged."""
    fields = {"code": form["code"], "label": form.get("label", ""), "title": form["title"]}
    rows = form["indicators"]
    fields["rows"] = str(len(rows))
    for j, r in enumerate(rows):
        p = f"r-{j}-"
        for key in ("code", "name", "note", "unit", "kind", "formula"):
            fields[p + key] = str(r.get(key, ""))
        fields[p + "stt"] = str(r.get("stt") or "")
        fields[p + "choices"] = choices_text(r.get("choices"))
        fields[p + "levels"] = " ".join(r.get("levels") or [])
        fields[p + "rest"] = rest_of(
            r, ("code", "stt", "name", "note", "unit", "kind", "choices", "levels", "formula")
        )
    return fields


def test_every_shipped_form_comes_back_from_its_fields_unchanged() -> None:
    for data in (PL, XA):
        for form in data["forms"]:
            back = form_from_fields(_row_fields(form), form)
            assert [dict(r) for r in back["indicators"]] == [
                {k: v for k, v in r.items() if v not in ("", None, [])} | _kept_empty_stt(r)
                for r in form["indicators"]
            ], form["code"]


def _kept_empty_stt(row: dict) -> dict:
    return {"stt": ""} if row.get("stt") == "" else {}


def test_the_outline_comes_back_nested_as_it_was() -> None:
    flat = flat_sections(PL["sections"])
    fields = {"sections": str(len(flat))}
    for n, (depth, s) in enumerate(flat):
        p = f"s-{n}-"
        fields |= {
            p + "depth": str(depth),
            p + "rest": rest_of(s, ("code", "stt", "title", "guidance")),
        }
        fields |= {p + k: str(s.get(k, "")) for k in ("code", "stt", "title", "guidance")}
    assert sections_from_fields(fields) == _without_blank(PL["sections"])


def _without_blank(items: list) -> list:
    out = []
    for s in items:
        s = {k: v for k, v in s.items() if v not in ("", None)}
        if "items" in s:
            s["items"] = _without_blank(s["items"])
        out.append(s)
    return out


def test_a_deleted_rule_goes_and_a_check_keeps_no_parts() -> None:
    fields = {
        "rules": "2",
        "u-0-id": "a",
        "u-0-kind": "parts_le_total",
        "u-0-total": "2.1",
        "u-0-parts": "2.2, 2.3",
        "u-0-del": "1",
        "u-1-id": "b",
        "u-1-kind": "check",
        "u-1-parts": "2.2",
        "u-1-check": "[2.2] <= [2.1]",
    }
    assert rules_from_fields(fields) == [{"id": "b", "kind": "check", "check": "[2.2] <= [2.1]"}]


def test_coded_options_are_read_as_written_a_wrong_code_left_to_the_core() -> None:
    assert parse_choices("1 = Có; 0 = Không") == {1: "Có", 0: "Không"}
    data = copy.deepcopy(XA)
    data["forms"][0]["indicators"][0]["choices"] = parse_choices("có = Có")
    [problem] = check_data(data)
    assert (
        str(problem) == "Biểu mẫu 1, dòng 1 (mã 1), mã lựa chọn: mã lựa chọn «có» phải là số nguyên"
    )
    assert (problem.part, problem.anchor) == ("bieu-0", "r-0")


def test_problems_are_placed_in_the_outline_and_the_rules() -> None:
    data = copy.deepcopy(XA)
    data["sections"][1]["items"][0]["code"] = data["sections"][0]["code"]
    data["rules"][2]["total"] = "9.9"
    places = {(p.part, p.anchor, p.where) for p in check_data(data)}
    n = 1 + len(data["sections"][0]["items"]) + 1  # I, its items, II, then II.1
    assert ("de-cuong", f"s-{n}", f"Đề cương, mục thứ {n + 1}, mã") in places
    assert ("quy-tac", "u-2", "Quy tắc 3") in places


def test_formulas_and_rules_read_as_words() -> None:
    template = build_template(XA)
    bm1 = template.form("BM1")
    assert indicator_formula_words(template, bm1, bm1.get("2")) == (
        "Tỷ lệ hoàn thành Kế hoạch CCHC năm = "
        "(Số nhiệm vụ đã hoàn thành ÷ Số nhiệm vụ đề ra trong kế hoạch) × 100"
    )
    assert rule_words(template, template.rules[0]) == (
        "Số nhiệm vụ đã hoàn thành ≤ Số nhiệm vụ đề ra trong kế hoạch"
    )
    assert formula_words("BM1.2.2 <= [9] and not present(BM1[1])", template, "BM2") == (
        "Biểu mẫu 1: Số nhiệm vụ đã hoàn thành ≤ «9» và không phải Có số liệu "
        "(Biểu mẫu 1: Số văn bản chỉ đạo CCHC đã ban hành)"
    )


def test_a_section_is_added_after_another_with_its_items_or_as_its_first_item() -> None:
    outline = [
        {"code": "I", "title": "A", "items": [{"code": "I.1", "title": "a"}]},
        {"code": "II", "title": "B"},
    ]
    after, n = insert_section(outline, 0, sub=False)  # after I and its item
    assert [s.get("code") for _, s in flat_sections(after)] == ["I", "I.1", None, "II"]
    assert n == 2 and flat_sections(after)[2][0] == 0
    under, n = insert_section(outline, 0, sub=True)
    assert under[0]["items"] == [{}, {"code": "I.1", "title": "a"}]
    assert n == 1
    end, n = insert_section(outline, None, sub=False)
    assert (len(end), n) == (3, 3)
    assert outline[0]["items"] == [{"code": "I.1", "title": "a"}]  # the original untouched
