"""What a value cell of the Excel forms accepts, as Excel data validations.

Whole numbers ≥ 0 for counts, 0–100 for rates, non-negative amounts, and a
drop-down of "1 - Có" style options for coded answers, each with its
Vietnamese message: the workbook is filled offline, and Excel refuses what the
import would. One validation per kind of cell, shared by all its cells.
"""

from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation

from cchc.core.templates import Indicator, Kind

__all__ = ["add_rule", "choice_text"]


def choice_text(code: int, label: str) -> str:
    """How a coded answer shows in its cell and its drop-down: "1 - Có"."""
    return f"{code} - {label}"


def add_rule(dvs: dict[tuple[str, ...], DataValidation], ind: Indicator, ref: str) -> None:
    """Add the cell `ref` to the validation of its kind, made when first needed."""
    if ind.kind is Kind.CHOICE:
        options = [choice_text(c, label) for c, label in ind.choices.items()]
        key: tuple[str, ...] = ("choice", *options)
        if key not in dvs:
            shown = "; ".join(options)
            inline = '"' + ",".join(options) + '"'
            if any("," in o or '"' in o for o in options) or len(inline) > 255:
                inline = '"' + ",".join(str(c) for c in ind.choices) + '"'
            dvs[key] = DataValidation(
                type="list",
                formula1=inline,
                allow_blank=True,
                showErrorMessage=True,
                showInputMessage=True,
                errorTitle="Mã lựa chọn không hợp lệ",
                error=f"Chọn một trong các mã: {shown}."[:255],
                promptTitle="Chọn mã",
                prompt=shown[:255],
            )
    elif ind.kind is Kind.COUNT:
        key = ("count",)
        if key not in dvs:
            dvs[key] = number_rule(
                "whole", "greaterThanOrEqual", "0", "Số liệu phải là số nguyên không âm, ví dụ 13."
            )
    elif ind.kind is Kind.RATE:
        key = ("rate",)
        if key not in dvs:
            dvs[key] = number_rule(
                "decimal", "between", "0", "Tỷ lệ (%) phải là số từ 0 đến 100, ví dụ 78,95.", "100"
            )
    elif ind.kind is Kind.AMOUNT:
        key = ("amount",)
        if key not in dvs:
            dvs[key] = number_rule(
                "decimal", "greaterThanOrEqual", "0", "Số tiền phải là số không âm, ví dụ 3,887."
            )
    else:
        return
    dvs[key].add(ref)


def number_rule(
    kind: str, operator: str, low: str, message: str, high: str | None = None
) -> DataValidation:
    return DataValidation(
        type=kind,
        operator=operator,
        formula1=low,
        formula2=high,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Số liệu không hợp lệ",
        error=message,
    )
