"""Counting the calls of the one cell reader (`cell_reading.read_value`), wherever
cchc imports it, to show that a report is read once."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any

import pytest

import cchc.core.cell_reading as cell_reading
import cchc.documents.docx_writer
import cchc.documents.xlsx_writer  # noqa: F401 — loaded only when asked for: loaded here to be counted


def count_reads(
    monkeypatch: pytest.MonkeyPatch, key: Callable[[Any, str], Hashable]
) -> Counter[Hashable]:
    """A counter of reads by `key(indicator, raw)`, filled as cchc reads cells."""
    original = cell_reading.read_value
    calls: Counter[Hashable] = Counter()

    def counting(ind, raw):  # type: ignore[no-untyped-def]
        calls[key(ind, raw.strip())] += 1
        return original(ind, raw)

    for name, module in list(sys.modules.items()):
        if name.startswith("cchc") and getattr(module, "read_value", None) is original:
            monkeypatch.setattr(module, "read_value", counting)
    return calls
