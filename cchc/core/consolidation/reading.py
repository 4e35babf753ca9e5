"""How each indicator's raw text is read for a consolidation, through a shared cache.

A national round is ~3.321 reports × ~150 values, and the same few thousand texts
come back in every round: each is read once per kind and kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cchc.core.cell_reading import read_value
from cchc.core.consolidation.version_mapping import Key, VersionMapping
from cchc.core.templates import Indicator, Kind, ReportTemplate

BAD = object()  # unreadable, or readable two ways: never summed
NO_PLAN: dict[str, Any] = {}

# ---------------------------------------------------------------- reading plans


# Raw text → what `reader` made of it, per (kind, choices): reading depends on nothing
# else, and the same few thousand texts come back in every round. Cleared when full.
_READ_CACHES: dict[Any, dict[str, Any]] = {}
CACHE_LIMIT = 100_000


class Plans:
    """How each indicator's raw text is read, and which (form, code) of each template
    version feeds which indicator; shared by a result's breakdowns."""

    def __init__(self, template: ReportTemplate, mapping: VersionMapping | None) -> None:
        if mapping is not None and mapping.target != template.id:
            raise ValueError(
                f"Bảng chuyển đổi dành cho mẫu {mapping.target}, không phải mẫu {template.id}."
            )
        self.template = template
        self.mapping = mapping or VersionMapping(template.id, {})
        self.readers: dict[Key, tuple[dict[str, Any] | None, Callable[[str], Any] | None]] = {}
        self.kinds: dict[Key, str] = {}
        native: dict[str, dict[str, Key]] = {}
        for form in template.forms:
            for ind in form.indicators:
                key = (form.code, ind.code)
                native.setdefault(form.code, {})[ind.code] = key
                self.kinds[key] = slot_kind(ind)
                if self.kinds[key] == "number":
                    reading = (ind.kind, tuple(sorted(ind.choices.items())))
                    cache = _READ_CACHES.setdefault(reading, {})
                    self.readers[key] = (cache, reader(ind))
        self._codes: dict[str, dict[str, dict[str, Key]]] = {template.id: native}

    def codes_for(self, template_id: str) -> dict[str, dict[str, Key]]:
        """Form → code → indicator, for reports of `template_id` (native, or mapped)."""
        template_id = template_id or self.template.id
        if template_id not in self._codes:
            codes: dict[str, dict[str, Key]] = {}
            for (source, form, code), target in self.mapping.indicators.items():
                if source == template_id and target in self.kinds:
                    codes.setdefault(form, {})[code] = target
            self._codes[template_id] = codes
        return self._codes[template_id]


def slot_kind(ind: Indicator) -> str:
    """What `add` does with a raw text: read a number, keep a text, or nothing."""
    if ind.kind is Kind.HEADING or ind.formula is not None:
        return "none"  # a computed figure is recomputed from its operands, never read
    return "text" if ind.kind is Kind.TEXT else "number"


def reader(ind: Indicator) -> Callable[[str], Any]:
    """A raw text → a Decimal, None when blank, or BAD when unreadable or ambiguous."""

    def read(raw: str) -> Any:
        r = read_value(ind, raw)
        if r.value is None:
            return BAD if r.problem else None
        return BAD if r.ambiguous else r.value

    return read
