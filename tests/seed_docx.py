"""A seed report as the Word file an office keeps: paragraphs, bold headings, tables.

The seeds are Word reports converted to text (tab-separated rows, `**bold**`);
this turns one back into a .docx with python-docx, the way a secretary's file
is built (a paragraph per line, a Word table per run of rows), so the upload
tests read a real Word document rather than our own writer's output.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from cchc.core.text import clean, has_markup_bold


def seed_as_docx(seed: Path) -> bytes:
    document = Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for tr, cells in zip(table.rows, rows, strict=True):
            for cell, text in zip(tr.cells, cells, strict=False):
                cell.text = clean(text)
        rows.clear()

    for line in seed.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        if line.strip():
            document.add_paragraph().add_run(clean(line)).bold = has_markup_bold(line)
    flush()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
