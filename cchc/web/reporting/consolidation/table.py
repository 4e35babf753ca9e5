"""The consolidated round as rows a person reads, a CSV file or a workbook: one layout for all."""

from __future__ import annotations

import io
from dataclasses import dataclass

from cchc.core.consolidation import Consolidation, IndicatorTotal
from cchc.core.figures import format_figure
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate
from cchc.documents.cells import csv_bytes, write_row

HEADER = [
    "Biểu",
    "STT",
    "Chỉ tiêu thống kê",
    "Đơn vị tính",
    "Tổng hợp",
    "Số đơn vị có số liệu",
    "Đơn vị chưa có số liệu",
]


@dataclass(frozen=True)
class TableRow:
    """One indicator of the consolidated table; a heading (or a row with no total) shows
    only its name."""

    form: Form
    ind: Indicator
    heading: bool
    total: IndicatorTotal | None
    shown: str
    coverage: str
    missing: list[str]


def _shown(total: IndicatorTotal, ind: Indicator) -> str:
    if ind.kind is Kind.CHOICE:
        return "; ".join(f"{ind.choices.get(k, k)}: {n}" for k, n in sorted(total.counts.items()))
    return format_figure(total.value, ind.kind)


def table_rows(
    template: ReportTemplate, result: Consolidation, names: dict[str, str]
) -> list[TableRow]:
    """One row per indicator of every form, headings included, as the pages and files show them."""
    rows = []
    for form in template.forms:
        for ind in form.indicators:
            total = result.totals.get((form.code, ind.code))
            if ind.kind is Kind.HEADING or total is None:
                rows.append(TableRow(form, ind, True, total, "", "", []))
                continue
            missing = [names.get(u, u) for u in total.missing]
            rows.append(
                TableRow(form, ind, False, total, _shown(total, ind), total.coverage, missing)
            )
    return rows


def as_csv(template: ReportTemplate, result: Consolidation, names: dict[str, str]) -> bytes:
    return csv_bytes(
        [HEADER]
        + [
            [
                r.form.label or r.form.code,
                r.ind.stt,
                r.ind.name,
                r.ind.unit,
                r.shown,
                r.coverage,
                "; ".join(r.missing),
            ]
            for r in table_rows(template, result, names)
        ]
    )


def as_xlsx(template: ReportTemplate, result: Consolidation, names: dict[str, str]) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 — openpyxl loads only for a workbook
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 — openpyxl loads only for a workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    write_row(sheet, 1, HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, r in enumerate(table_rows(template, result, names), start=2):
        value = r.total.value if r.total is not None and not r.heading else None
        number = float(value) if value is not None and r.ind.kind is not Kind.CHOICE else r.shown
        write_row(
            sheet,
            n,
            [
                r.form.label or r.form.code,
                r.ind.stt,
                r.ind.name,
                r.ind.unit,
                number,
                r.coverage,
                "; ".join(r.missing),
            ],
        )
        if r.heading:
            sheet.cell(n, 3).font = Font(bold=True)
    for col, width in zip("ABCDEFG", (12, 8, 60, 14, 14, 14, 40), strict=True):
        sheet.column_dimensions[col].width = width
    for row in sheet.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
