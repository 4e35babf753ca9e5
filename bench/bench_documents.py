"""How long writing and reading the report documents take.

Seed 001's whole report (outline text, signer, seven appendices, 151 form
rows) is rendered to .docx (and to .xlsx when that writer is present), and
the .docx is read back. Prints the median and the slowest of N runs.
Targets: render under 300 ms, read back under 1 s.

    .venv/bin/python bench/bench_documents.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from cchc.documents.docx_writer import render_docx
from cchc.importers.docx_reader import read_docx_report
from cchc.importers.mapping import match_template
from cchc.importers.report_file import import_report, report_content

SEED_001 = (
    Path(__file__).resolve().parents[1] / "cchc" / "samples" / "seeds" / "001_81e409cca2244e78.txt"
)


def timed(label: str, runs: int, target_ms: float | None, work: Callable[[], object]) -> None:
    work()  # warm up imports and caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    verdict = ""
    if target_ms is not None:
        verdict = (
            f"  (mục tiêu < {target_ms:.0f} ms: {'đạt' if median < target_ms else 'CHƯA ĐẠT'})"
        )
    print(f"{label:<44} trung vị {median:7.1f} ms, chậm nhất {max(times):7.1f} ms{verdict}")


def main(runs: int = 20) -> None:
    result = import_report(SEED_001, "pl-2024")
    template, content = result.template, report_content(result)
    docx = render_docx(template, content)
    rows = sum(len(f.indicators) for f in template.forms)
    print(f"Báo cáo seed 001: {len(template.forms)} phụ lục, {rows} dòng biểu; {runs} lần đo.")
    timed("Xuất Word (.docx)", runs, 300, lambda: render_docx(template, content))
    try:
        from cchc.documents.xlsx_writer import render_xlsx
    except ModuleNotFoundError:
        print("Xuất Excel (.xlsx): chưa có trình ghi Excel, bỏ qua.")
    else:
        timed("Xuất Excel (.xlsx)", runs, 300, lambda: render_xlsx(template, content))
    timed("Đọc lại tệp Word (bảng, đề cương, văn bản)", runs, 1000,
          lambda: read_docx_report(docx, "bao-cao.docx"))  # fmt: skip
    document = read_docx_report(docx, "bao-cao.docx")
    timed("Khớp các bảng đã đọc vào mẫu pl-2024", max(3, runs // 4), None,
          lambda: match_template(document.tables, template, "bao-cao.docx"))  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
