"""How long validating one full commune report takes (target: under 5 ms).

Builds a report on the `pl-2024` template (151 indicators) with every value
filled — seed 001's own figures where it has them, generated ones elsewhere —
and times `read_report` over many runs. Prints the median and the 95th
percentile.

    make bench        # or: .venv/bin/python bench/bench_validation.py [runs]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

from cchc.bundled_templates import get_template
from cchc.core.reading import read_report
from cchc.core.templates import Kind
from cchc.core.values import Entry, ReportValues
from cchc.importers.report_file import import_report

SEED_001 = (
    Path(__file__).resolve().parents[1] / "cchc" / "samples" / "seeds" / "001_81e409cca2244e78.txt"
)


def full_report(seed: int = 1) -> ReportValues:
    """Seed 001's values, with every other valued indicator filled in."""
    rng = random.Random(seed)
    template = get_template("pl-2024")
    values = import_report(SEED_001, template).values
    for form in template.forms:
        form_values = values.setdefault(form.code, {})
        for ind in form.indicators:
            if ind.code in form_values or ind.kind is Kind.HEADING:
                continue
            if ind.kind is Kind.CHOICE:
                raw = str(min(ind.choices))
            elif ind.kind is Kind.RATE:
                raw = f"{rng.randint(0, 100)}"
            elif ind.kind is Kind.AMOUNT:
                raw = f"{rng.randint(1, 9999)},{rng.randint(0, 9)}"
            else:
                raw = str(rng.randint(0, 500))
            form_values[ind.code] = Entry(raw)
    return values


def main(runs: int = 2000) -> None:
    template = get_template("pl-2024")
    values = full_report()
    filled = sum(len(v) for v in values.values())
    read_report(template, values)  # warm up caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = read_report(template, values)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"template pl-2024: {template.indicator_count} indicators, {filled} values filled, "
        f"{len(template.rules)} rules, {len(result.findings)} findings"
    )
    print(
        f"read_report over {runs} runs: median {statistics.median(times):.3f} ms, "
        f"p95 {p95:.3f} ms, min {times[0]:.3f} ms (target < 5 ms)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
