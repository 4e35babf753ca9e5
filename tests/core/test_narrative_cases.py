"""Each constructed narrative case raises exactly the findings it is labelled with
(clean controls raise nothing); bench/bench_narrative.py measures the same cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cchc.core.narrative import (
    NarrativeResult,
    SectionText,
    check_narrative,
    check_report_narrative,
)
from cchc.core.periods import Period
from cchc.core.reading import read_report
from cchc.importers.report_file import import_report, report_content
from tests.seeds import SEEDS

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "narrative_cases.yaml").read_text("utf-8")
)


def run_case(case: dict[str, Any], tmp: Path) -> NarrativeResult:
    """A text case checked alone, or a seed (possibly with one figure changed) with its tables."""
    if "seed" not in case:
        period = Period.from_key(case["period"]) if case.get("period") else None
        return check_narrative(
            [SectionText("", "", case["text"])], period=period, level=case.get("level")
        )
    path = next(SEEDS.glob(f"{case['seed']}_*.txt"))
    if case.get("replace"):
        old, new = case["replace"]
        text = path.read_text("utf-8")
        assert old in text, f"{case['id']}: «{old}» is not in the seed"
        path = tmp / path.name
        path.write_text(text.replace(old, new), "utf-8")
    imported = import_report(path)
    values = read_report(imported.template, imported.values, imported.findings).values
    return check_report_narrative(report_content(imported), imported.template, values)


def labels(result: NarrativeResult) -> list[list[Any]]:
    return [[f.rule, f.severity.value, f.line] for f in result.findings]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_a_constructed_narrative_raises_exactly_its_labelled_findings(case, tmp_path) -> None:
    assert labels(run_case(case, tmp_path)) == case["expected"]


def test_the_cases_cover_every_narrative_rule_and_have_clean_controls() -> None:
    rules = {e[0] for c in CASES for e in c["expected"]}
    assert rules == {
        "narrative-parts-sum",
        "narrative-parts-exceed",
        "narrative-parts-fewer",
        "narrative-flow",
        "narrative-rate-mismatch",
        "narrative-rate-rounding",
        "narrative-rate-over-100",
        "narrative-period",
        "narrative-level",
        "narrative-count-conflict",
        "narrative-table-mismatch",
    }
    assert sum(1 for c in CASES if not c["expected"]) >= 14
