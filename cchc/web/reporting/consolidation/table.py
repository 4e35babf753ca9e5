"""The consolidated round as rows a person reads, and as the table its files hold: one layout."""

from __future__ import annotations

from dataclasses import dataclass

from cchc.core.consolidation import Consolidation, IndicatorTotal
from cchc.core.figures import format_figure
from cchc.core.templates import Form, Indicator, Kind, ReportTemplate
from cchc.documents.tables import Cell, Figure, Table

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


def export_table(template: ReportTemplate, result: Consolidation, names: dict[str, str]) -> Table:
    """The rows as the CSV and Excel files hold them: a coded answer as its counts, any
    other total as its figure (a number in the workbook)."""
    rows = table_rows(template, result, names)
    return Table(
        "Tổng hợp",
        HEADER,
        [
            [
                r.form.label or r.form.code,
                r.ind.stt,
                r.ind.name,
                r.ind.measure,
                _figure(r),
                r.coverage,
                "; ".join(r.missing),
            ]
            for r in rows
        ],
        [None] * len(HEADER),
        widths=(12, 8, 60, 14, 14, 14, 40),
        headings=frozenset(n for n, r in enumerate(rows) if r.heading),
    )


def _figure(row: TableRow) -> Cell:
    if row.heading or row.total is None or row.ind.kind is Kind.CHOICE:
        return row.shown
    return Figure(row.total.value, row.ind.kind)
