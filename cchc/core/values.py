"""A report's figures as entered or imported, with where each one came from.

Values are kept as the text people wrote (`78,94%`, `3,887`, `Có`): reading
them depends on the indicator (a count, an amount, a coded answer), and a value
that reads two ways must stay ambiguous until a person confirms it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = ["Entry", "ReportValues", "Source", "entry_from_json", "entry_to_json"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a value was read: file, line, and the row as printed."""

    file: str = ""
    line: int | None = None
    stt: str = ""
    name: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "stt": self.stt, "name": self.name}


@dataclass(frozen=True, slots=True)  # slots: a national round holds ~500.000 of these
class Entry:
    """One value: the text as written, its note (Ghi chú) and its source."""

    raw: str
    note: str = ""
    source: Source | None = None


# form code → indicator code → entry
ReportValues = dict[str, dict[str, Entry]]


def entry_from_json(value: Any, *, note: str = "", source: Source | None = None) -> Entry:
    """An entry from a JSON values file: numbers, strings or null (blank)."""
    if value is None:
        raw = ""
    elif isinstance(value, bool):
        raw = "1" if value else "0"
    elif isinstance(value, int | Decimal):
        raw = str(value)
    elif isinstance(value, float) and not math.isfinite(value):
        raw = repr(value)  # `inf` (1e400 in the file): kept as written, reported as unreadable
    elif isinstance(value, float):
        raw = repr(value).replace(".", ",") if value != int(value) else str(int(value))
    else:
        raw = str(value)
    return Entry(raw=raw, note=note, source=source)


def entry_to_json(entry: Entry, parsed: Decimal | None, ambiguous: bool) -> Any:
    """What a values file stores: a plain number when it is certain, else the text."""
    if parsed is None or ambiguous:
        return entry.raw if entry.raw != "" else None
    return int(parsed) if parsed == parsed.to_integral() else float(parsed)
