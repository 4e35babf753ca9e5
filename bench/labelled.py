"""Precision and recall over labelled cases, printed per rule with a verdict; shared
by the narrative and the unknown-table benchmarks.

A label is (rule, severity, line). A finding with the right rule and line but
another severity counts as found, and is listed; a finding at error level that
no label expects is a false error, and fails the verdict whatever the figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

PRECISION_TARGET, RECALL_TARGET = 0.95, 0.90
Labels = Iterable[tuple[str, str, Any] | list[Any]]


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def report(cases: Iterable[tuple[str, Labels, Labels]], heading: str) -> int:
    """Print the figures of (case id, found, expected) triples; 0 when the targets are met."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    false_errors, severity_off = [], []
    n_cases = clean = 0
    for case_id, found, expected in cases:
        n_cases += 1
        got = {(r, line): sev for r, sev, line in found}
        want = {(r, line): sev for r, sev, line in expected}
        clean += not want
        for key, sev in got.items():
            if key in want:
                tp[key[0]] += 1
                if want[key] != sev:
                    severity_off.append((case_id, key, sev, want[key]))
            else:
                fp[key[0]] += 1
                if sev == "error":
                    false_errors.append((case_id, key))
        for key in want.keys() - got.keys():
            fn[key[0]] += 1
    labelled = sum(tp.values()) + sum(fn.values())
    print(f"{n_cases} {heading} ({clean} trường hợp sạch), {labelled} nhãn")
    print(f"{'quy tắc':<28} {'đúng':>5} {'thừa':>5} {'sót':>5} {'precision':>10} {'recall':>7}")
    for rule in sorted(tp.keys() | fp.keys() | fn.keys()):
        p, r = _ratio(tp[rule], tp[rule] + fp[rule]), _ratio(tp[rule], tp[rule] + fn[rule])
        print(f"{rule:<28} {tp[rule]:>5} {fp[rule]:>5} {fn[rule]:>5} {p:>10.2f} {r:>7.2f}")
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision, recall = _ratio(t, t + f), _ratio(t, t + n)
    print(f"{'tổng':<28} {t:>5} {f:>5} {n:>5} {precision:>10.2f} {recall:>7.2f}")
    print(f"lỗi (mức error) báo sai: {len(false_errors)}; khác mức: {len(severity_off)}")
    for item in false_errors + severity_off:
        print("  ", item)
    ok = precision >= PRECISION_TARGET and recall >= RECALL_TARGET and not false_errors
    print(
        f"Kết luận: {'đạt' if ok else 'chưa đạt'} (precision ≥ {PRECISION_TARGET}, "
        f"recall ≥ {RECALL_TARGET}, không lỗi nào báo sai)"
    )
    return 0 if ok else 1
