"""What a report still lacks before a part is marked done or the report approved.

The one rule of what counts as required:

- **a cell** of a form is required when its indicator takes a figure or a coded
  answer (count, amount, rate, choice) and the template gives no formula for it:
  headings hold nothing, rates with a formula are computed, and free-text rows
  (`Kind.TEXT`) are remarks an office may leave empty;
- **a section** of the outline is required to have text unless text above it
  already covers it (a `1.` whose text runs through its own `a)`, `b)`, as the
  Word writer prints it) or text below it does (a part `I` written entirely in its
  items). An empty part is listed once, at its highest empty level, not once per
  item.

Nothing here refuses anything: the workflow asks for a reason when this list (or
an error finding) is not empty, so that an office can still send a report with a
part it truly has nothing to say about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cchc.core.levels import fills_row
from cchc.core.templates import Form, Kind, ReportTemplate, Section
from cchc.core.values import ReportValues

__all__ = ["Completeness", "EmptyCells", "EmptySection", "completeness", "required_codes"]

_LISTED = 8  # codes named in one line before "…"


@dataclass(frozen=True)
class EmptyCells:
    form: str
    label: str  # "Phụ lục 2" or the form's code
    codes: tuple[str, ...]
    required: int

    @property
    def message(self) -> str:
        shown = ", ".join(self.codes[:_LISTED]) + (", …" if len(self.codes) > _LISTED else "")
        return (
            f"{self.label}: {len(self.codes)}/{self.required} ô bắt buộc còn trống "
            f"(chỉ tiêu {shown})."
        )


@dataclass(frozen=True)
class EmptySection:
    code: str
    stt: str
    title: str

    @property
    def message(self) -> str:
        number = self.stt.rstrip(".")
        if not any(c.isalnum() for c in number):  # "-", "+": the code says where
            return f"Mục «{self.title}» (mã {self.code}) chưa có nội dung."
        return f"Mục {number}. «{self.title}» chưa có nội dung."


@dataclass(frozen=True)
class Completeness:
    cells: tuple[EmptyCells, ...] = ()
    sections: tuple[EmptySection, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.cells and not self.sections

    def lines(self) -> list[str]:
        return [c.message for c in self.cells] + [s.message for s in self.sections]

    def to_json(self) -> dict[str, Any]:
        """What the audit log keeps: the empty cells by form, the empty sections."""
        return {
            "cells": {c.form: list(c.codes) for c in self.cells},
            "sections": [s.code for s in self.sections],
        }


def required_codes(form: Form) -> list[str]:
    """The codes of the form's required cells (see the module notes)."""
    return [
        ind.code
        for ind in form.indicators
        if ind.kind in (Kind.COUNT, Kind.AMOUNT, Kind.RATE, Kind.CHOICE) and ind.formula is None
    ]


def _has_text(section: Section, texts: Mapping[str, str]) -> bool:
    return bool(texts.get(section.code, "").strip()) or any(
        _has_text(item, texts) for item in section.items
    )


def _empty_sections(
    sections: Iterable[Section], texts: Mapping[str, str], covered: bool
) -> list[EmptySection]:
    out: list[EmptySection] = []
    for s in sections:
        own = bool(texts.get(s.code, "").strip())
        if not covered and not _has_text(s, texts):
            out.append(EmptySection(s.code, s.stt, s.title))
            continue
        out += _empty_sections(s.items, texts, covered or own)
    return out


def completeness(
    template: ReportTemplate,
    values: ReportValues,
    texts: Mapping[str, str],
    *,
    forms: Iterable[str] | None = None,
    sections: Iterable[str] | None = None,
    level: str | None = None,
) -> Completeness:
    """The empty required cells and sections of a report, or of the parts named
    (`forms`, `sections`: codes; None means all). A named section is checked with
    its items, as covered when a section above it has text. With the unit's `level`,
    the rows another level fills (`levels.fills_row`) are not asked for."""
    wanted_forms = None if forms is None else set(forms)
    cells = []
    for form in template.forms:
        if wanted_forms is not None and form.code not in wanted_forms:
            continue
        required = required_codes(form)
        if level is not None:
            required = [
                c for c in required if (ind := form.get(c)) and fills_row(template, ind, level)
            ]
        given = values.get(form.code, {})
        empty = tuple(c for c in required if c not in given or not given[c].raw.strip())
        if empty:
            cells.append(EmptyCells(form.code, form.label or form.code, empty, len(required)))
    if sections is None:
        empty_sections = _empty_sections(template.sections, texts, covered=False)
    else:
        empty_sections = []
        for code in sections:
            chain = _chain(template.sections, code)
            if chain:
                covered = any(texts.get(s.code, "").strip() for s in chain[:-1])
                empty_sections += _empty_sections([chain[-1]], texts, covered)
    return Completeness(tuple(cells), tuple(empty_sections))


def _chain(sections: Iterable[Section], code: str) -> list[Section]:
    """The section of `code` with its ancestors, outermost first."""
    for s in sections:
        if s.code == code:
            return [s]
        if inner := _chain(s.items, code):
            return [s, *inner]
    return []
