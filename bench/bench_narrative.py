"""Precision and recall of the narrative checks (targets: precision ≥ 0.95 for
errors and overall, recall ≥ 0.90).

Runs every labelled case of `tests/core/narrative_cases.yaml` — constructed
Vietnamese texts, the three seeds as they are, and the seeds with one figure
changed — and compares the findings (rule and line) with the labels. A finding
with the right rule and line but another severity counts as found, and is
listed. Prints the figures per rule, then a verdict.

    .venv/bin/python bench/bench_narrative.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.labelled import report  # noqa: E402
from tests.core.test_narrative_cases import CASES, labels, run_case  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        cases = [(c["id"], labels(run_case(c, Path(tmp))), c["expected"]) for c in CASES]
    return report(cases, "trường hợp có nhãn")


if __name__ == "__main__":
    raise SystemExit(main())
