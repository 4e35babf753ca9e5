"""How much one value, note or section text may hold, and what it may not contain.

The bounds fit the reports, not the storage: a cell holds a figure, a code or a
short answer; a note is a remark beside it; a section's text may run to dozens
of pages. Control characters (a NUL byte above all, which PostgreSQL cannot
store and Word cannot open) never belong in any of them. Every shell (pages,
API, import review) asks the same question here and shows the same answer.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from typing import Any

from cchc.core.cell_reading import read_value
from cchc.core.numbers import format_number
from cchc.core.report_content import ReportContent
from cchc.core.templates import Indicator, Kind

__all__ = [
    "MAX_NOTE_CHARS",
    "MAX_RAW_CHARS",
    "MAX_SECTION_CHARS",
    "printable_content",
    "strip_control",
    "text_problem",
    "value_problem",
]

MAX_RAW_CHARS = 200  # a figure, a code, a short answer (`Trực tuyến và phát phiếu`)
MAX_NOTE_CHARS = 2_000  # «Ghi chú»: a few sentences beside a figure
MAX_SECTION_CHARS = 200_000  # a section of the outline: about 60 typed A4 pages

# C0 controls but tab, line feed, carriage return; and DEL. Nobody types them:
# they come from pasting binary data, and break PostgreSQL (NUL), Word and Excel.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_problem(text: str, *, limit: int, what: str) -> str | None:
    """Why `text` cannot be saved as `what` (a Vietnamese sentence), or None."""
    found = _CONTROL.search(text)
    if found:
        code = ord(found.group())
        name = "ký tự rỗng (NUL)" if code == 0 else "ký tự điều khiển"
        return (
            f"{what} có {name} (mã {code}) ở vị trí {found.start() + 1}; "
            "cchc không lưu ký tự này, hãy gõ lại hoặc dán từ văn bản thường."
        )
    if len(text) > limit:
        return (
            f"{what} dài {format_number(len(text))} ký tự, vượt giới hạn "
            f"{format_number(limit)} ký tự."
        )
    return None


def value_problem(ind: Indicator, raw: str, *, what: str) -> str | None:
    """Why `raw` cannot be saved as the value of `ind`, or None.

    Only what no report could mean is refused here (too long, control
    characters, a number with more digits than a report holds); a doubtful value
    (`3,887`, a rate over 100) is saved and reported by validation.
    """
    problem = text_problem(raw, limit=MAX_RAW_CHARS, what=what)
    if problem or ind.kind in (Kind.TEXT, Kind.HEADING):
        return problem
    read = read_value(ind, raw)
    if read.problem == "number-too-long":
        return f"{what} {read.message}."
    return None


def strip_control(text: str) -> str:
    """`text` without control characters: for what was stored before they were refused."""
    return _CONTROL.sub("", text)


def printable_content(content: ReportContent) -> ReportContent:
    """The report without control characters, for the writers: Word and Excel cannot
    open a file holding them, and older data or a pasted text file may."""
    values = {
        form: {
            code: replace(e, raw=strip_control(e.raw), note=strip_control(e.note))
            for code, e in entries.items()
        }
        for form, entries in content.values.items()
    }
    narrative = [
        replace(p, title=strip_control(p.title), text=strip_control(p.text))
        for p in content.narrative
    ]
    header = replace(
        content.header,
        **{f.name: _printable(getattr(content.header, f.name)) for f in fields(content.header)},
    )
    return replace(
        content, values=values, unit=strip_control(content.unit), narrative=narrative, header=header
    )


def _printable(value: Any) -> Any:
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value
