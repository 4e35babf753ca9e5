"""Unknown tables without false alarms: each constructed table (clean controls
included) raises exactly its labelled findings under an inferred template, and
the seeds read with `infer` find what their registered templates find;
bench/bench_tables.py measures the same cases."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from cchc.core.reading import read_report
from cchc.core.validation import Finding
from cchc.importers.report_file import import_report
from tests.seeds import SEEDS

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "table_cases.yaml").read_text("utf-8")
)
HEADER = "BÁO CÁO\nSố liệu năm 2024\n\nSTT\tChỉ tiêu thống kê\tĐơn vị tính\tSố liệu\n"
# Findings about the table (not the document's header, nor the narrative).
_DOCUMENT = ("document-", "narrative-", "legacy-")


def _table_findings(path: Path, template: str) -> list[Finding]:
    imported = import_report(path, template)
    checked = read_report(imported.template, imported.values, imported.findings)
    return [f for f in checked.findings if not f.rule.startswith(_DOCUMENT)]


def _rule(finding: Finding, template_rules: set[str]) -> str:
    """A rule the template states (its own id, or one inferred) is a "rule"."""
    stated = finding.rule in template_rules or re.match(r"b\d+-", finding.rule)
    return "rule" if stated else finding.rule


def labels_of(findings: list[Finding], template_rules: set[str]) -> list[list[Any]]:
    return sorted(
        ([_rule(f, template_rules), f.severity.value, f.line] for f in findings),
        key=lambda x: (x[2] or 0, x[0]),
    )


def run_case(case: dict[str, Any], tmp: Path) -> tuple[list[list[Any]], list[list[Any]]]:
    """(found, expected) labels of a case."""
    if "seed" in case:
        path = next(SEEDS.glob(f"{case['seed']}_*.txt"))
        registered = import_report(path)
        rules = {r.id for r in registered.template.rules}
        expected = labels_of(_table_findings(path, "auto"), rules)
        return labels_of(_table_findings(path, "infer"), rules), expected
    path = tmp / f"{case['id']}.txt"
    path.write_text(HEADER + case["rows"], "utf-8")
    found = labels_of(_table_findings(path, "infer"), set())
    return found, sorted(case["expected"], key=lambda x: (x[2] or 0, x[0]))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_an_unknown_table_raises_exactly_its_labelled_findings(case, tmp_path) -> None:
    found, expected = run_case(case, tmp_path)
    assert found == expected


def test_the_cases_have_clean_controls_for_every_class() -> None:
    assert sum(1 for c in CASES if c.get("expected") == []) >= 8
