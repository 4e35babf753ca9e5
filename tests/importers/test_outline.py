"""An imported narrative goes into the template's outline: by code, else by title, else nowhere."""

from __future__ import annotations

from cchc.importers.outline import match_sections, preview
from cchc.importers.report_file import import_report
from cchc.importers.seed_text import NarrativeSection
from tests.seeds import SEED_001, SEED_002


def _placed(seed) -> dict[str, tuple[str, str]]:
    result = import_report(seed)
    return {
        m.part.code: (m.section.code if m.section else "", m.how)
        for m in match_sections(result.document.narrative, result.template)
    }


def test_seed_001_lands_section_by_section_by_its_codes() -> None:
    placed = _placed(SEED_001)
    assert placed[""] == ("", "")  # the opening paragraphs: a person decides
    assert {code for code, (to, how) in placed.items() if how == "code" and to == code} == {
        *(f"I.{n}" for n in range(1, 6)),
        *(f"II.{n}" for n in range(1, 7)),
        "III.1",
        "III.2",
        *(f"IV.{n}" for n in range(1, 8)),
        "V",
    }


def test_seed_002_misnumbered_parts_go_under_the_titles_they_carry() -> None:
    placed = _placed(SEED_002)
    assert placed["3.1"] == ("2.3.1", "title")
    assert placed["3.2"] == ("2.3.2", "title")
    assert placed["5"] == ("5", "code")  # «3 tháng cuối năm 2022» for «kỳ tới»: still section 5


def test_a_part_matching_no_title_is_left_for_a_person_and_a_title_keeps_its_own_words() -> None:
    template = import_report(SEED_001).template
    parts = [
        NarrativeSection("VI", "VI", "Danh sách hội nghị đã tổ chức", 1, 10, "Ba hội nghị."),
        NarrativeSection("V", "V", "KIẾN NGHỊ, ĐỀ XUẤT: Không có", 1, 20, ""),
    ]
    matches = match_sections(parts, template)
    assert [(m.section.code if m.section else "", m.how, m.text) for m in matches] == [
        ("", "", "Ba hội nghị."),
        ("V", "code", "Không có"),
    ]
    assert matches[1].heading == "V. KIẾN NGHỊ, ĐỀ XUẤT: Không có"


def test_a_preview_is_one_line_cut_at_a_word() -> None:
    assert preview("Một\n\nhai ba " + "bốn " * 100, limit=20) == "Một hai ba bốn bốn …"
