"""Version mappings: which indicator of an older template stands for which of a newer.

Reports of another template version consolidate only on the indicators the
mapping names (reading.py reads it); this module builds and
checks a mapping from its data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cchc.core.templates import ReportTemplate

__all__ = ["Key", "VersionMapping", "mapping_from_data"]

Key = tuple[str, str]  # (form, indicator code)


@dataclass(frozen=True)
class VersionMapping:
    """Which indicator of an older template version stands for which of the target's.

    Data, like templates: reports of another version consolidate only on the
    indicators the mapping names.
    """

    target: str
    indicators: Mapping[tuple[str, str, str], Key]  # (template id, form, code) → (form, code)

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(t for t, _, _ in self.indicators)


# ---------------------------------------------------------------- version mappings

_CODE = re.compile(r"([A-Za-z][A-Za-z0-9_]*)(?:\.(.+)|\[(.+)\])")


def _split_code(text: Any) -> Key | None:
    """`BM1.2.1` or `BM1[2.1]` → ("BM1", "2.1")."""
    m = _CODE.fullmatch(str(text).strip())
    return (m[1], (m[2] or m[3]).strip()) if m else None


def mapping_from_data(
    data: Any, *, templates: Mapping[str, ReportTemplate] | None = None
) -> VersionMapping:
    """Build a mapping from `{"from": …, "to": …, "indicators": {"BM1.2.1": "PL2.2.1"}}`
    (or a list of them, all to the same target).

    Raises ValueError listing every bad entry in Vietnamese. With `templates`
    (by id), codes are checked against them and paired indicators must be of the
    same kind, since a count cannot be summed into a rate.
    """
    problems: list[str] = []
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ValueError("Bảng chuyển đổi rỗng: cần ít nhất một mục from, to, indicators.")
    targets: set[str] = set()
    pairs: dict[tuple[str, str, str], Key] = {}
    for n, item in enumerate(items, 1):
        where = f"Bảng chuyển đổi {n}" if len(items) > 1 else "Bảng chuyển đổi"
        if not isinstance(item, Mapping):
            problems.append(f"{where} phải là một bảng khóa: giá trị.")
            continue
        for extra in sorted(set(map(str, item)) - {"from", "to", "indicators"}):
            problems.append(f"{where}: khóa không được hỗ trợ «{extra}».")
        source, target = str(item.get("from") or "").strip(), str(item.get("to") or "").strip()
        for name, value in (("from", source), ("to", target)):
            if not value:
                problems.append(f"{where}: thiếu khóa bắt buộc «{name}» (mã mẫu).")
        if source and source == target:
            problems.append(f"{where}: «from» và «to» cùng là mẫu {source}.")
        targets.add(target)
        indicators = item.get("indicators")
        if not isinstance(indicators, Mapping) or not indicators:
            problems.append(
                f"{where}: «indicators» phải là bảng mã cũ: mã mới, ví dụ BM1.2.1: PL2.2.1."
            )
            continue
        problems += _pairs(where, source, target, indicators, pairs, templates or {})
    if len(targets - {""}) > 1:
        problems.append(
            f"Các bảng chuyển đổi phải cùng chuyển về một mẫu (có: {', '.join(sorted(targets))})."
        )
    if problems:
        raise ValueError("\n".join(problems))
    return VersionMapping(target=next(iter(targets)), indicators=pairs)


def _pairs(
    where: str,
    source: str,
    target: str,
    indicators: Mapping[Any, Any],
    pairs: dict[tuple[str, str, str], Key],
    templates: Mapping[str, ReportTemplate],
) -> list[str]:
    problems: list[str] = []
    taken = {(s, *v): (s, f, c) for (s, f, c), v in pairs.items()}
    for old_text, new_text in indicators.items():
        old, new = _split_code(old_text), _split_code(new_text)
        for text, code in ((old_text, old), (new_text, new)):
            if code is None:
                problems.append(
                    f"{where}: «{text}» không phải mã chỉ tiêu có mã biểu (ví dụ BM1.2.1)."
                )
        if old is None or new is None:
            continue
        problems += _check_pair(where, templates.get(source), templates.get(target), old, new)
        if (source, *old) in pairs:
            problems.append(f"{where}: chỉ tiêu {old_text} được chuyển đổi hai lần.")
        elif (source, *new) in taken:
            first = taken[(source, *new)]
            problems.append(
                f"{where}: chỉ tiêu {new_text} nhận từ hai chỉ tiêu "
                f"{first[1]}.{first[2]} và {old_text}."
            )
        else:
            pairs[(source, *old)] = new
            taken[(source, *new)] = (source, *old)
    return problems


def _check_pair(
    where: str, old_t: ReportTemplate | None, new_t: ReportTemplate | None, old: Key, new: Key
) -> list[str]:
    problems = []
    old_ind = old_t.indicator(*old) if old_t else None
    new_ind = new_t.indicator(*new) if new_t else None
    for t, ind, code in ((old_t, old_ind, old), (new_t, new_ind, new)):
        if t is not None and ind is None:
            problems.append(f"{where}: mẫu {t.id} không có chỉ tiêu {code[0]}.{code[1]}.")
    if old_ind and new_ind and old_ind.kind is not new_ind.kind:
        problems.append(
            f"{where}: {old[0]}.{old[1]} ({old_ind.kind.value}) và {new[0]}.{new[1]} "
            f"({new_ind.kind.value}) khác loại, không tổng hợp chung được."
        )
    return problems
