"""Every filled value of seed 001 is extracted, onto the right indicator, from the right line."""

from __future__ import annotations

import re

import pytest

from cchc.importers.report_file import import_report
from tests.seeds import SEED_001

# (form, code, value as printed in the seed) — read off the seed's Phụ lục 2–8 by hand.
SEED_001_VALUES = [
    ("PL2", "1", "13"),
    ("PL2", "2", "78,94%"),
    ("PL2", "2.1", "19"),
    ("PL2", "2.2", "15"),
    ("PL2", "5.1", "0"),
    ("PL2", "5.2", "0"),
    ("PL2", "5.3", "0"),
    ("PL2", "5.4", "0"),
    ("PL2", "6.1", "0"),
    ("PL2", "6.2", "0"),
    ("PL2", "6.3", "0"),
    ("PL2", "6.4", "0"),
    ("PL2", "7", "1"),
    ("PL2", "7.1", "276"),
    ("PL2", "7.2", "2"),
    ("PL2", "8", "1"),
    ("PL3", "1.3", "0"),
    ("PL4", "1.1", "0"),
    ("PL4", "1.2", "2"),
    ("PL4", "1.3", "2"),
    ("PL4", "1.4", "137"),
    ("PL4", "1.4.3", "137"),
    ("PL4", "2.1", "01"),
    ("PL4", "2.2", "87"),
    ("PL4", "3.3", "100"),
    ("PL4", "3.3.1", "276"),
    ("PL4", "3.3.2", "276"),
    ("PL4", "3.4.1", "0"),
    ("PL4", "3.4.2", "0"),
    ("PL5", "2.1", "18"),
    ("PL5", "2.2", "18"),
    ("PL5", "2.3", "0"),
    ("PL5", "2.4", "0"),
    ("PL6", "1.1", "01"),
    ("PL7", "1", "100"),
    ("PL7", "1.1", "3,887"),
    ("PL7", "1.2", "3,887"),
    ("PL8", "1", "1"),
    ("PL8", "2", "3"),
    ("PL8", "4", "1"),
    ("PL8", "5.1.3", "100"),
    ("PL8", "5.2", "100"),
    ("PL8", "5.2.3", "100"),
    ("PL8", "5.3.3", "100"),
    ("PL8", "6.1", "100"),
    ("PL8", "6.1.1", "79"),
    ("PL8", "6.1.2", "79"),
    ("PL8", "6.1.3", "6"),
    ("PL8", "6.2", "100"),
    ("PL8", "6.2.1", "49"),
    ("PL8", "6.2.2", "49"),
    ("PL8", "6.2.3", "2"),
    ("PL8", "6.3", "100"),
    ("PL8", "6.3.1", "128"),
    ("PL8", "6.3.2", "128"),
    ("PL8", "6.4", "70,1"),
    ("PL8", "6.4.1", "281"),
    ("PL8", "6.4.2", "197"),
    ("PL8", "6.5", "100"),
    ("PL8", "6.5.1", "29"),
    ("PL8", "6.5.2", "29"),
]


@pytest.fixture(scope="module")
def imported():
    return import_report(SEED_001)


def test_seed_001_is_read_with_the_2024_appendix_template(imported) -> None:
    assert (imported.template.id, imported.how, imported.score) == ("pl-2024", "auto", 1.0)


def test_exactly_the_filled_values_of_seed_001_are_extracted(imported) -> None:
    extracted = {(f, c): e.raw for f, vs in imported.values.items() for c, e in vs.items() if e.raw}
    assert extracted == {(f, c): raw for f, c, raw in SEED_001_VALUES}


@pytest.mark.parametrize(("form", "code", "raw"), SEED_001_VALUES)
def test_each_value_points_at_the_seed_line_that_prints_it(
    imported, seed_001_lines, form, code, raw
) -> None:
    entry = imported.values[form][code]
    cells = [
        re.sub(r"</?[bi]>", "", c).strip()
        for c in seed_001_lines[entry.source.line - 1].split("\t")
    ]
    assert (cells[0].rstrip("."), cells[3]) == (code, raw)


def test_every_valued_row_of_the_seed_is_accounted_for(imported, seed_001_lines) -> None:
    """An independent scan: every tab row with a value cell appears among the extracted lines."""
    valued = set()
    for n, line in enumerate(seed_001_lines, start=1):
        cells = [re.sub(r"</?[bi]>", "", c).strip() for c in line.split("\t")]
        if len(cells) >= 4 and re.fullmatch(r"\d+(\.\d+)*\.?", cells[0]) and cells[3]:
            valued.add(n)
    lines = {e.source.line for vs in imported.values.values() for e in vs.values() if e.raw}
    assert lines == valued


def test_notes_in_the_ghi_chu_column_are_kept(imported) -> None:
    note = "do UBND huyện chuyển xử lý theo lĩnh vực của đơn vị được giao về CCHC"
    assert (imported.values["PL2"]["5"].note, imported.values["PL2"]["6"].note) == (note, note)
