"""Which level fills a row (cchc/core/levels.py), and what a commune is asked for."""

from __future__ import annotations

import pytest

from cchc.bundled_templates import get_template
from cchc.core.completeness import completeness
from cchc.core.consolidation.figures import allowed_levels
from cchc.core.levels import fills_row, level_names


@pytest.mark.parametrize(
    ("form", "code", "level", "fills"),
    [
        ("PL2", "3.1", "xa", False),  # «Số sở, ngành đã kiểm tra»: the province's
        ("PL2", "3.1", "tinh", True),
        ("PL3", "1.2", "huyen", True),  # «Số VBQPPL do cấp huyện ban hành»
        ("PL3", "1.2", "xa", False),
        ("PL2", "1", "xa", True),  # every level's
        ("PL2", "3.1", "so", True),  # a level the template does not know: no limit
    ],
)
def test_a_row_of_pl_2024_is_filled_by_the_levels_it_names(form, code, level, fills) -> None:
    template = get_template("pl-2024")
    ind = template.form(form).get(code)
    assert fills_row(template, ind, level) is fills
    assert (level in allowed_levels(template, ind, [level])) is fills  # one rule for both


def test_a_row_without_levels_is_everyones() -> None:
    template = get_template("xa-2022")
    assert fills_row(template, template.form("BM1").get("1"), "tinh") is True


def test_levels_are_named_as_a_sentence_says_them() -> None:
    assert level_names(("tinh", "huyen")) == "cấp tỉnh, cấp huyện"
    assert level_names(("phuong",)) == "cấp phuong"


def test_a_commune_is_not_asked_for_the_rows_of_the_province_and_district() -> None:
    template = get_template("pl-2024")
    everyone = completeness(template, {}, {}, forms=["PL3"], sections=[])
    commune = completeness(template, {}, {}, forms=["PL3"], sections=[], level="xa")
    asked = set(commune.cells[0].codes)
    assert asked < set(everyone.cells[0].codes)
    assert {"1.1", "1.2", "2.1"}.isdisjoint(asked)
    form = template.form("PL3")
    assert all(fills_row(template, form.get(c), "xa") for c in asked)
