"""A small province consolidated on the 2024 template of the seed report (seed 001)."""

from __future__ import annotations

from cchc.bundled_templates import get_template
from cchc.core.consolidation import Consolidation, UnitReport, consolidate
from cchc.core.templates import ReportTemplate
from cchc.core.values import Entry

NAMES = {"S": "Sở Nội vụ", "H": "Huyện Đông", "X1": "Xã Một", "X2": "Xã Hai", "T": "Tỉnh"}


def _unit(unit: str, level: str, path: tuple[str, ...], values: dict, submitted=True):
    entries = {f: {c: Entry(raw=v) for c, v in codes.items()} for f, codes in values.items()}
    return UnitReport(unit, level, path, entries, submitted=submitted)


def province(
    names: dict[str, str] = NAMES,
) -> tuple[ReportTemplate, Consolidation, dict[str, str]]:
    """A province over a department, a district and two communes (one not sent)."""
    template = get_template("pl-2024")
    reports = [
        _unit("S", "tinh", ("T",), {"PL4": {"3.1.1": "35186", "3.1.2": "35000"}}),
        _unit("H", "huyen", ("T",), {"PL4": {"3.2.1": "11406", "3.2.2": "11000"}}),
        _unit(
            "X1",
            "xa",
            ("T", "H"),
            {"PL4": {"3.3.1": "167344", "3.3.2": "160000"}, "PL2": {"7": "1"}},
        ),
        _unit("X2", "xa", ("T", "H"), {}, submitted=False),
    ]
    expected = [(r.unit, r.level, r.path) for r in reports]
    return template, consolidate(template, reports, expected_units=expected), names
