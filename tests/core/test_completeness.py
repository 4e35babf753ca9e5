"""What counts as still empty before «xong» and approval (cchc/core/completeness.py)."""

from __future__ import annotations

from cchc.bundled_templates import get_template
from cchc.core.completeness import Completeness, EmptyCells, EmptySection, completeness
from cchc.core.values import Entry

BM1_REQUIRED = (
    "1", "2.1", "2.2", "3.1", "3.2", "3.3.1", "3.3.2",
    "4.1", "4.2", "4.3", "4.4", "5", "5.1", "5.2", "6",
)  # fmt: skip


def _values(**codes: str) -> dict:
    return {"BM1": {code.replace("_", "."): Entry(raw) for code, raw in codes.items()}}


def test_an_empty_form_lists_every_required_cell_but_not_headings_or_computed_rates() -> None:
    template = get_template("xa-2022")
    result = completeness(template, {}, {}, forms=["BM1"], sections=[])
    assert result == Completeness(cells=(EmptyCells("BM1", "Biểu mẫu 1", BM1_REQUIRED, 15),))
    assert result.lines() == [
        "Biểu mẫu 1: 15/15 ô bắt buộc còn trống (chỉ tiêu 1, 2.1, 2.2, 3.1, 3.2, 3.3.1, "
        "3.3.2, 4.1, …)."
    ]


def test_a_blank_value_counts_as_empty_and_a_zero_does_not() -> None:
    template = get_template("xa-2022")
    values = _values(**{c.replace(".", "_"): "0" for c in BM1_REQUIRED})
    values["BM1"]["4.4"] = Entry("  ")
    result = completeness(template, values, {}, forms=["BM1"], sections=[])
    assert result.cells == (EmptyCells("BM1", "Biểu mẫu 1", ("4.4",), 15),)


def test_an_empty_part_is_listed_once_at_its_highest_level() -> None:
    template = get_template("xa-2022")
    texts = {"I": "Công tác chỉ đạo…", "II.1.1": "Ban hành 2 văn bản."}
    result = completeness(template, {}, texts, forms=[])
    assert [s.code for s in result.sections] == [
        "II.1.2", "II.1.3", "II.1.4", "II.2", "II.3", "II.4", "II.5", "II.6", "III", "IV", "V",
    ]  # fmt: skip
    # I is written as a whole, so its items are covered; of II.1 only one item is written,
    # so its other items are listed, each once; III, IV and V once each, not their items.
    assert result.sections[-1] == EmptySection("V", "V.", template.sections[-1].title)


def test_a_section_named_alone_is_covered_by_text_above_it() -> None:
    template = get_template("xa-2022")
    assert completeness(template, {}, {"I": "Nội dung."}, forms=[], sections=["I.2"]).complete
    gaps = completeness(template, {}, {}, forms=[], sections=["I.2"])
    assert [s.code for s in gaps.sections] == ["I.2"]
