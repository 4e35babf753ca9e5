"""Which level of government fills a row: the `levels` a template gives a row.

`pl-2024` is one set of forms for the province, its districts and its communes: a
commune fills the commune's rows and leaves the province's and the district's to
them. The commune's form shows those rows read-only, its saves refuse them, its
completeness does not ask for them, and a consolidation does not wait for them.
"""

from __future__ import annotations

from cchc.core.templates import Indicator, ReportTemplate

__all__ = ["LEVEL_NAMES", "fills_row", "level_names"]

# How a sentence names a level ("dòng dành cho cấp tỉnh, cấp huyện").
LEVEL_NAMES = {"bo": "cấp bộ", "tinh": "cấp tỉnh", "huyen": "cấp huyện", "xa": "cấp xã"}


def fills_row(template: ReportTemplate, ind: Indicator, level: str) -> bool:
    """Whether a unit of `level` gives this row's figure.

    A row without levels is everyone's; a level the template does not know (a
    department, "so") is held to no limit, so that its figures are never dropped.
    """
    return not ind.levels or level in ind.levels or level not in template.levels


def level_names(levels: tuple[str, ...]) -> str:
    """`cấp tỉnh, cấp huyện`: the levels a row is for, as a sentence names them."""
    return ", ".join(LEVEL_NAMES.get(lv, f"cấp {lv}") for lv in levels)
