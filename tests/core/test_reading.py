"""A report is read once: one `ReadReport` serves validation, the writers and the pages.

`reading_seeds.json` holds what validation found in each seed (findings, numbers,
computed values) before the reading became one object: the object must find the same.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Hashable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

import cchc.core.cell_reading as cell_reading
from cchc.core.reading import read_report
from cchc.core.report_content import values_document, with_computed
from cchc.documents.docx_writer import render_docx
from cchc.documents.xlsx_writer import render_xlsx
from cchc.importers.report_file import import_report, report_content
from tests.cell_reads import count_reads
from tests.seeds import SEED_001, SEEDS

GOLDEN = json.loads((Path(__file__).parent / "reading_seeds.json").read_text(encoding="utf-8"))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[Hashable]:
    """Reads by (the indicator's id, raw text): codes repeat across forms."""
    return count_reads(monkeypatch, lambda ind, raw: (id(ind), raw))


def test_validation_word_excel_and_the_values_file_read_each_cell_once(reads) -> None:
    imported = import_report(SEED_001)
    template = imported.template
    values = {form: dict(entries) for form, entries in imported.values.items()}
    del values["PL2"]["2"]  # a rate left blank: the writers print it as computed
    content = replace(report_content(imported), values=values, read=None)  # as the web has it
    reads.clear()

    read = read_report(template, content.values)  # validation, the form page, the API
    filled = with_computed(replace(content, read=read), read.computed, template)
    render_docx(template, filled)
    render_xlsx(template, filled)
    values_document(filled, template)

    def key(form: str, code: str, raw: str) -> tuple[int, str]:
        return id(template.indicator(form, code)), raw.strip()

    typed = {key(f, c, e.raw) for f, entries in values.items() for c, e in entries.items()}
    assert typed <= set(reads)  # every typed cell was read …
    assert key("PL2", "2", "78,95") in reads  # … and the rate filled in for the writers
    assert {k: n for k, n in reads.items() if n != 1} == {}  # each exactly once


def test_a_writer_given_content_without_a_reading_reads_it_once(reads) -> None:
    imported = import_report(SEED_001)
    content = replace(report_content(imported), read=None)
    reads.clear()
    render_docx(imported.template, content)
    render_xlsx(imported.template, content)
    assert reads and set(reads.values()) == {1}


def test_a_cell_changed_after_reading_is_read_again() -> None:
    imported = import_report(SEED_001)
    read = imported.read
    assert read is not None
    ind = imported.template.indicator("PL7", "1.1")
    assert ind is not None
    assert read.read("PL7", ind, "3,887").ambiguous
    assert read.read("PL7", ind, "3.887").value == Decimal(3887)  # the new text, read


@pytest.mark.parametrize("seed", sorted(GOLDEN))
def test_the_reading_finds_what_validation_found(seed: str) -> None:
    imported = import_report(SEEDS / seed)
    read = read_report(imported.template, imported.values)
    expected = GOLDEN[seed]
    assert imported.template.id == expected["template"]
    assert [f.to_json() for f in read.findings] == expected["findings"]
    assert {f"{f}|{c}": str(v) for (f, c), v in read.values.items()} == expected["values"]
    computed = {f"{f}|{c}": None if v is None else str(v) for (f, c), v in read.computed.items()}
    assert computed == expected["computed"]


@pytest.mark.parametrize("seed", sorted(GOLDEN))
def test_each_reading_is_the_cell_read_alone(seed: str) -> None:
    imported = import_report(SEEDS / seed)
    read = read_report(imported.template, imported.values)
    for form, entries in imported.values.items():
        for code, entry in entries.items():
            ind = imported.template.indicator(form, code)
            if ind is not None:
                assert read.reading(form, code) == cell_reading.read_value(ind, entry.raw)


def test_only_the_readers_import_the_cell_reader() -> None:
    """A new consumer takes the `ReadReport`; it does not read cells on its own."""
    root = Path(cell_reading.__file__).parents[1]
    importers = {
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if re.search(
            r"^\s*from cchc\.core\.cell_reading import .*\bread_value\b",
            p.read_text(encoding="utf-8"),
            re.M,
        )
    }
    assert importers == {
        "core/reading.py",  # a report, once
        "core/consolidation/reading.py",  # many reports' texts, through a cache
        "core/limits.py",  # one value before it is saved
        "documents/docx_writer.py",  # `display_value` of a value alone
    }
