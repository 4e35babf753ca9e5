"""Precision and recall of the checks on tables of unknown design (targets:
precision ≥ 0.95, recall ≥ 0.90, no false error).

Runs every case of `tests/importers/table_cases.yaml` — constructed tables
with clean controls, and seeds 001/002 read with an inferred template, whose
labels are what their registered templates find — and compares the findings
(rule and line; a rule the template states counts as "rule") with the labels.

    .venv/bin/python bench/bench_tables.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.labelled import report  # noqa: E402
from tests.importers.test_table_cases import CASES, run_case  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        cases = [(c["id"], *run_case(c, Path(tmp))) for c in CASES]
    return report(cases, "bảng có nhãn (hai bản mẫu đọc bằng mẫu suy ra)")


if __name__ == "__main__":
    raise SystemExit(main())
