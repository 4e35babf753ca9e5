"""How long the template editor's live check takes: one form's posted fields put back
into the template data and the whole template checked by the core, as
`…/kiem-tra/<part>/` does on every change, plus the paper view's words.

For each shipped template (its largest form) and for a form at the row limit
(`MAX_INDICATORS_PER_FORM` rows, each with a formula), the median of a few runs.
Target: under 100 ms for a shipped template on a loaded two-core machine, so the
check follows typing (htmx waits 700 ms after the last key).

    .venv/bin/python bench/bench_template_check.py [--runs 7]
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import time

import yaml

from cchc.bundled_templates import TEMPLATE_DIR
from cchc.core.template_editing import check_data, choices_text, form_from_fields, rest_of
from cchc.core.template_limits import MAX_INDICATORS_PER_FORM
from cchc.core.template_words import indicator_formula_words
from cchc.core.templates import build_template

SHOWN = ("code", "stt", "name", "note", "unit", "kind", "choices", "levels", "formula")


def _fields(form: dict) -> dict[str, str]:
    out = {"code": form["code"], "label": form.get("label", ""), "title": form["title"]}
    out["rows"] = str(len(form["indicators"]))
    for j, r in enumerate(form["indicators"]):
        p = f"r-{j}-"
        out |= {p + k: str(r.get(k) or "") for k in SHOWN if k not in ("choices", "levels")}
        out[p + "choices"] = choices_text(r.get("choices"))
        out[p + "levels"] = " ".join(r.get("levels") or [])
        out[p + "rest"] = rest_of(r, SHOWN)
    return out


def _big() -> dict:
    rows = [{"code": "1", "name": "Tổng số hồ sơ", "unit": "Hồ sơ"}]
    for n in range(2, MAX_INDICATORS_PER_FORM + 1):
        rows.append(
            {"code": str(n), "name": f"Tỷ lệ {n}", "unit": "%", "formula": f"[1] / [1] * {n}"}
        )
    return {"id": "lon", "title": "Mẫu lớn", "levels": ["xa"], "forms": [
        {"code": "BM1", "title": "Biểu lớn", "indicators": rows}]}  # fmt: skip


def _time(data: dict, runs: int) -> tuple[float, float]:
    i = max(range(len(data["forms"])), key=lambda k: len(data["forms"][k]["indicators"]))
    fields = _fields(data["forms"][i])
    checks, words = [], []
    for _ in range(runs):
        started = time.perf_counter()
        merged = copy.copy(data)
        merged["forms"] = list(data["forms"])
        merged["forms"][i] = form_from_fields(fields, data["forms"][i], data["levels"])
        assert check_data(merged) == []
        checks.append(time.perf_counter() - started)
        started = time.perf_counter()
        template = build_template(merged)
        for f in template.forms:
            for ind in f.indicators:
                indicator_formula_words(template, f, ind)
        words.append(time.perf_counter() - started)
    return statistics.median(checks) * 1000, statistics.median(words) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    cases = {
        p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted(TEMPLATE_DIR.glob("*.yaml"))
    }
    cases[f"{MAX_INDICATORS_PER_FORM} dòng có công thức"] = _big()
    print(f"load {os.getloadavg()[0]:.2f}")
    for name, data in cases.items():
        check, words = _time(data, args.runs)
        print(f"{name:28} live check {check:7.1f} ms   paper words {words:7.1f} ms")


if __name__ == "__main__":
    main()
