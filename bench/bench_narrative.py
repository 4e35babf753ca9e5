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
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.core.test_narrative_cases import CASES, labels, run_case  # noqa: E402

PRECISION_TARGET, RECALL_TARGET = 0.95, 0.90


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> int:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    false_errors, severity_off = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            got = {(r, line): sev for r, sev, line in labels(run_case(case, Path(tmp)))}
            want = {(r, line): sev for r, sev, line in case["expected"]}
            for key, sev in got.items():
                if key in want:
                    tp[key[0]] += 1
                    if want[key] != sev:
                        severity_off.append((case["id"], key, sev, want[key]))
                else:
                    fp[key[0]] += 1
                    if sev == "error":
                        false_errors.append((case["id"], key))
            for key in want.keys() - got.keys():
                fn[key[0]] += 1
    clean = sum(1 for c in CASES if not c["expected"])
    labelled = sum(tp.values()) + sum(fn.values())
    print(f"{len(CASES)} trường hợp có nhãn ({clean} trường hợp sạch), {labelled} nhãn")
    print(f"{'quy tắc':<28} {'đúng':>5} {'thừa':>5} {'sót':>5} {'precision':>10} {'recall':>7}")
    for rule in sorted(tp.keys() | fp.keys() | fn.keys()):
        p, r = _ratio(tp[rule], tp[rule] + fp[rule]), _ratio(tp[rule], tp[rule] + fn[rule])
        print(f"{rule:<28} {tp[rule]:>5} {fp[rule]:>5} {fn[rule]:>5} {p:>10.2f} {r:>7.2f}")
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision, recall = _ratio(t, t + f), _ratio(t, t + n)
    print(f"{'tổng':<28} {t:>5} {f:>5} {n:>5} {precision:>10.2f} {recall:>7.2f}")
    print(
        f"lỗi (mức error) báo sai: {len(false_errors)}; khác mức so với nhãn: {len(severity_off)}"
    )
    for item in false_errors + severity_off:
        print("  ", item)
    ok = precision >= PRECISION_TARGET and recall >= RECALL_TARGET and not false_errors
    print(
        f"Kết luận: {'đạt' if ok else 'chưa đạt'} (precision ≥ {PRECISION_TARGET}, "
        f"recall ≥ {RECALL_TARGET}, không lỗi nào báo sai)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
