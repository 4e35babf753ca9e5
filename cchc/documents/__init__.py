"""Document writers, the exports layer: the report as Word (Decree 30 layout), Excel and
PDF; tables as CSV and workbooks (`tables`); charts as SVG and PNG (`charts`).

Every writer tells what it makes (`Output`: an identifier, the file extension and
media type) and renders one thing to bytes: a report writer (`Writer`)
`render(template, content)`, a table writer (`tables.TableWriter`) `render(table)`.
`writer_for(".docx")` and `tables.table_writer("csv")` pick one by extension; the
modules (and their libraries) are imported only when a writer is asked for.
"""

from __future__ import annotations

from typing import Protocol

from cchc.core.report_content import ReportContent
from cchc.core.templates import ReportTemplate

__all__ = ["EXTENSIONS", "Output", "Writer", "writer_for"]

EXTENSIONS = ("docx", "xlsx", "pdf")


class Output(Protocol):
    """What every writer tells about its file: `identifier` "docx", `extension` ".docx"
    (with the dot), `media_type` the MIME type."""

    identifier: str
    extension: str
    media_type: str


class Writer(Output, Protocol):
    """A report (template and content) as a file."""

    def render(self, template: ReportTemplate, content: ReportContent) -> bytes: ...


def writer_for(extension: str) -> Writer:
    """The writer for `.docx`, `.xlsx` or `.pdf` (with or without the dot, any case)."""
    ext = extension.lower().lstrip(".")
    if ext == "docx":
        from cchc.documents.docx_writer import DocxWriter  # noqa: PLC0415 — a writer's libraries load only when it is asked for

        return DocxWriter()
    if ext == "pdf":
        from cchc.documents.pdf import PdfWriter  # noqa: PLC0415 — a writer's libraries load only when it is asked for

        return PdfWriter()
    if ext == "xlsx":
        try:
            from cchc.documents.xlsx_writer import XlsxWriter  # noqa: PLC0415 — a writer's libraries load only when it is asked for
        except ModuleNotFoundError as exc:
            if exc.name != "cchc.documents.xlsx_writer":
                raise
            raise ValueError("Bản cchc này chưa xuất được tệp Excel (.xlsx).") from exc
        return XlsxWriter()
    shown = f"«.{ext}»" if ext else "không có đuôi"
    raise ValueError(
        f"Không xuất được tệp {shown}: cchc chỉ xuất .docx (Word), .xlsx (Excel) và .pdf."
    )
