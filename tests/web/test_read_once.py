"""Each page and file of a report reads each of its cells once: the form page, the
API, readiness and the Word and Excel downloads all take the one `ReadReport`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable

import pytest
from django.urls import reverse

from cchc.web.reporting.entry import saving
from cchc.web.reporting.workflow.readiness import readiness_of
from tests.cell_reads import count_reads

VALUES = {"1": ("12", None), "2.1": ("19", None), "2.2": ("15", None), "3.1": ("1.102", None)}


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter[Hashable]:
    """Reads by (indicator code, raw text): one form has values."""
    return count_reads(monkeypatch, lambda ind, raw: (ind.code, raw))


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("form-entry", ["BM1"]),
        ("api-report", []),
        ("report-export", ["docx"]),
        ("report-export", ["xlsx"]),
    ],
)
def test_a_page_or_file_reads_each_cell_once(world, login, reads, name, args) -> None:
    saving.save_values(user=world.officer, report=world.report_a, form="BM1", changes=VALUES)
    client = login(world.leader)
    reads.clear()
    response = client.get(reverse(name, args=[world.report_a.pk, *args]))
    assert response.status_code == 200
    assert {(code, raw) for code, (raw, _) in VALUES.items()} <= set(reads)
    assert {k: n for k, n in reads.items() if n != 1} == {}


def test_readiness_reads_each_cell_once(world, reads) -> None:
    saving.save_values(user=world.officer, report=world.report_a, form="BM1", changes=VALUES)
    saving.save_section(
        user=world.officer,
        report=world.report_a,
        code="I",
        text="Đã làm 12 việc.",
        base_version=None,
    )
    reads.clear()
    readiness_of(world.report_a)
    assert {k: n for k, n in reads.items() if n != 1} == {}
    assert ("1", "12") in reads
