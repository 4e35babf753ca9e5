"""«Gợi ý nội dung»: sections drafted from the figures, read back by the narrative checks."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.bundled_templates import get_template
from cchc.core.narrative import SectionText, check_narrative, report_level
from cchc.core.narrative.drafts import Subordinate, draft_numbers, draft_own, draft_upper
from cchc.core.narrative.sections_map import section_blocks
from cchc.core.reading import read_report
from cchc.importers.report_file import import_report
from tests.seeds import SEED_001, SEED_002


def _numbers(result):
    checked = read_report(result.template, result.values)
    return draft_numbers(checked.values, checked.computed)


@pytest.mark.parametrize("seed", [SEED_001, SEED_002], ids=["001", "002"])
def test_the_drafts_of_a_seed_read_back_without_a_finding(seed) -> None:
    """A draft never contradicts its own table, nor itself."""
    result = import_report(seed)
    numbers = _numbers(result)
    level = report_level(result.document.header.unit)
    drafts = draft_own(result.template, numbers, level)
    assert len(drafts) >= 10
    texts = [SectionText(code, d.title, d.text) for code, d in drafts.items()]
    checked = check_narrative(texts, level=level, template=result.template, values=numbers)
    assert checked.findings == []
    assert len(checked.facts) > 30  # the checks did read the figures


def test_a_rate_follows_its_operands_in_the_seeds_style() -> None:
    template = get_template("pl-2024")
    numbers = {("PL4", "3.3.1"): Decimal(1230), ("PL4", "3.3.2"): Decimal(1226)}
    numbers[("PL4", "3.3")] = numbers[("PL4", "3.3.2")] / numbers[("PL4", "3.3.1")] * 100
    drafts = draft_own(template, numbers, "xa")
    assert drafts["II.2.c.3"].text == (
        "Trong kỳ, tổng số hồ sơ TTHC đã giải quyết xong là 1.230 hồ sơ, "
        "số hồ sơ TTHC giải quyết đúng hạn là 1.226 hồ sơ (đạt 99,67%)."
    )
    assert [f.code for f in drafts["II.2.c.3"].figures] == ["3.3", "3.3.1", "3.3.2"]


def test_a_total_comes_before_its_parts_and_other_levels_are_left_out() -> None:
    template = get_template("pl-2024")
    numbers = {
        ("PL4", "1.4"): Decimal(137),
        ("PL4", "1.4.1"): Decimal(5),  # a province row: not the commune's to state
        ("PL4", "1.4.3"): Decimal(132),
        ("PL2", "1"): Decimal(0),  # a bare zero count is not drafted
    }
    drafts = draft_own(template, numbers, "xa")
    assert drafts["II.2.b"].text == (
        "Trong kỳ, tổng số TTHC thuộc thẩm quyền giải quyết tại địa phương là 137 thủ tục, "
        "trong đó: số TTHC cấp xã là 132 thủ tục."
    )
    assert "I.1" not in drafts
    assert [f.code for f in drafts["II.2.b"].figures] == ["1.4", "1.4.3"]
    wrong = {("PL2", "7"): Decimal("1.5"), ("PL8", "2"): Decimal(3)}  # answers not in the lists
    assert draft_own(template, wrong, "xa") == {}


def test_sections_of_plans_and_judgements_get_no_figures() -> None:
    for template_id in ("pl-2024", "xa-2022", "ha-trung-9t-2022"):
        template = get_template(template_id)
        titles = {s.code: s.title for s in template.all_sections()}
        for code in section_blocks(template):
            assert not code.startswith(("III", "IV", "V")), (template_id, titles[code])
        blocks = [b for bs in section_blocks(template).values() for b in bs]
        roots = [(b.form.code, b.root.code) for b in blocks]
        assert len(roots) == len(set(roots))  # each figure drafted once


def test_the_upper_draft_gathers_the_subordinates_words_not_their_figures() -> None:
    template = get_template("pl-2024")
    numbers = {("PL4", "3.3.1"): Decimal(2000), ("PL4", "3.3.2"): Decimal(1990)}
    numbers[("PL4", "3.3")] = Decimal(1990) / Decimal(2000) * 100
    texts = {
        "II.2.c.3": [
            Subordinate(
                "UBND xã An",
                "Tổng số hồ sơ TTHC đã giải quyết xong là 1.200 hồ sơ, đúng hạn 1.195 hồ sơ. "
                "Bộ phận Một cửa trả kết quả đúng hẹn, không để người dân đi lại nhiều lần.",
            ),
            Subordinate("UBND xã Bình", "Công chức một cửa được tập huấn phần mềm mới."),
        ],
        "IV.1": [Subordinate("UBND xã An", "Tiếp tục chỉ đạo quyết liệt.")],
    }
    drafts = draft_upper(template, numbers, texts, "huyen")
    text = drafts["II.2.c.3"].text
    assert text.split("\n\n") == [
        "Trong kỳ, tổng số hồ sơ TTHC đã giải quyết xong là 2.000 hồ sơ, "
        "số hồ sơ TTHC giải quyết đúng hạn là 1.990 hồ sơ (đạt 99,5%).",
        "UBND xã An: Bộ phận Một cửa trả kết quả đúng hẹn, không để người dân đi lại nhiều lần.",
        "UBND xã Bình: Công chức một cửa được tập huấn phần mềm mới.",
    ]
    assert "1.200" not in text
    assert drafts["IV.1"].text == "UBND xã An: Tiếp tục chỉ đạo quyết liệt."


def test_cchc_draft_prints_the_sections_and_gathers_with_from(capsys) -> None:
    from cchc.cli import main

    assert main(["draft", str(SEED_001), "--section", "II.2.c.3"]) == 0
    out = capsys.readouterr().out
    assert "== Mục II.2.c.3. Tổng hợp, cập nhật kết quả giải quyết hồ sơ TTHC" in out
    assert "(đạt 100%)" in out
    assert main(["draft", str(SEED_001), "--from", str(SEED_001), "--section", "I.3"]) == 0
    assert capsys.readouterr().out.startswith(
        "== Mục I.3. Công tác tuyên truyền CCHC\nUBND xã Hương Sơn: "
    )
    assert main(["draft", str(SEED_001), "--section", "IX"]) == 2
    assert "không có mục «IX»" in capsys.readouterr().err
