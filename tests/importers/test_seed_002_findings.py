"""Seed 002: every inconsistency a careful reader finds in Hà Vinh's table, and nothing else."""

from __future__ import annotations

import pytest

from cchc.core.reading import read_report
from cchc.core.templates import Severity
from cchc.importers.report_file import import_report
from tests.seeds import SEED_002

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

# (rule, severity, codes, line in the seed)
EXPECTED_WITH_DISTRICT_TEMPLATE = [
    ("heading-has-value", W, ("1.2",), 174),  # the group row "Tự kiểm tra CCHC" holds a 0
    ("duplicate-code", W, ("1.1.1", "1.2.1"), 175),  # printed 1.1.1 again under 1.2
    ("duplicate-code", W, ("1.1.2", "1.2.2"), 176),
    ("missing-unit", N, ("3.1.3",), 199),
    ("code-gap", N, ("3.2.3",), 202),  # 3.2.2 is missing
    ("missing-unit", N, ("3.2.4",), 203),
    ("duplicate-code", W, ("3.3.1", "3.3.1b"), 212),  # on-time row printed 3.3.1 again
    ("count-under-percent", W, ("4.5",), 230),  # people counted under a "%" unit
    ("count-under-percent", W, ("4.6",), 231),
    ("sl-ty-le-van-ban-dien-tu", E, ("7.3.a", "7.3.b"), 249),  # 100% + 50% of the same documents
]


def _summary(findings):
    return [(f.rule, f.severity, f.codes, f.line) for f in findings]


def test_seed_002_is_matched_to_the_district_template() -> None:
    imported = import_report(SEED_002)
    assert (imported.template.id, imported.how, imported.score) == ("ha-trung-9t-2022", "auto", 1.0)


def test_validating_seed_002_reports_exactly_the_inconsistencies_of_its_table() -> None:
    imported = import_report(SEED_002)
    result = read_report(imported.template, imported.values, imported.findings)
    assert _summary(result.findings) == EXPECTED_WITH_DISTRICT_TEMPLATE


def test_the_shares_finding_names_both_values() -> None:
    imported = import_report(SEED_002)
    result = read_report(imported.template, imported.values, imported.findings)
    shares = next(f for f in result.findings if f.rule == "sl-ty-le-van-ban-dien-tu")
    assert shares.values == {"7.3.a": 100, "7.3.b": 50}
    assert shares.message.endswith("(7.3.a = 100; 7.3.b = 50).")


def test_an_inferred_template_finds_the_same_problems_in_seed_002() -> None:
    imported = import_report(SEED_002, "infer")
    result = read_report(imported.template, imported.values, imported.findings)
    assert imported.how == "inferred"
    renamed = [
        (r if not r.startswith("b1-") else "shares", s, c, n)
        for r, s, c, n in _summary(result.findings)
    ]
    expected = [
        (r if r != "sl-ty-le-van-ban-dien-tu" else "shares", s, c, n)
        for r, s, c, n in EXPECTED_WITH_DISTRICT_TEMPLATE
    ]
    assert renamed == expected


@pytest.mark.parametrize(
    ("code", "kind", "parent"),
    [
        ("1.2", "heading", "1"),  # no unit and rows beneath it
        ("1.2.1", "count", "1.2"),  # printed 1.1.1 under 1.2: its position decides
        ("3.3.1b", "count", "3.3"),  # the second printed 3.3.1 gets a code of its own
        ("3.3.1.a", "count", "3.3.1"),  # the first "Trong đó" row
        ("1.4.2", "choice", "1.4"),  # options spread over three lines
        ("4.5", "count", "4"),  # "Số người …" under "%" stays a count
        ("3.2.5", "rate", "3.2"),  # "Tỷ lệ …" with no unit printed
        ("7.3.b", "rate", "7.3"),
    ],
)
def test_inference_reads_codes_hierarchy_and_kinds_from_the_table(code, kind, parent) -> None:
    template = import_report(SEED_002, "infer").template
    ind = template.forms[0].get(code)
    assert (ind.kind.value, ind.parent) == (kind, parent)


def test_inference_reads_coded_options_from_the_unit_column() -> None:
    template = import_report(SEED_002, "infer").template
    assert dict(template.forms[0].get("1.4.2").choices) == {
        0: "Trực tuyến",
        1: "Phát phiếu",
        2: "Kết hợp",
    }
