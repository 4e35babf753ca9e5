"""The report template model (mẫu báo cáo): outline, forms, indicators, rules.

Plain immutable objects; `cchc.core.templates.build_template` makes them from
checked data. Kept apart from the building so readers of a template (the
writers, the validation, the pages) need not load the checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from cchc.core.formulas import Expression, Ref

Path = tuple[str | int, ...]


class Kind(StrEnum):
    HEADING = "heading"
    COUNT = "count"
    AMOUNT = "amount"
    RATE = "rate"
    CHOICE = "choice"
    TEXT = "text"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


RULE_KINDS = ("parts_le_total", "sum_equals_total", "shares_le_100", "check")
PERIOD_TYPES = ("quarter", "half_year", "nine_months", "year")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class TemplateProblem:
    path: Path
    message: str


class TemplateError(ValueError):
    """Every problem found in one template, each with the path of its key."""

    def __init__(self, problems: list[TemplateProblem], source: str = "") -> None:
        self.problems = problems
        self.source = source
        super().__init__("\n".join(f"{format_path(p.path)}: {p.message}" for p in problems))


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(gốc)"


@dataclass(frozen=True)
class Role:
    id: str
    title: str


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    stt: str = ""
    guidance: str = ""
    role: str | None = None
    support_roles: tuple[str, ...] = ()
    items: tuple[Section, ...] = ()

    def walk(self) -> Iterable[Section]:
        yield self
        for item in self.items:
            yield from item.walk()


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    kind: Kind
    measure: str = ""  # the unit of measurement («đơn vị tính»); the YAML key is `unit`
    stt: str = ""
    note: str = ""
    remark: str = ""
    choices: Mapping[int, str] = field(default_factory=dict)
    formula: Expression | None = None
    parent: str | None = None
    levels: tuple[str, ...] = ()
    cumulative: bool = False

    @property
    def label(self) -> str:
        """The name with its note, as a reader sees it."""
        return f"{self.name} ({self.note})" if self.note else self.name

    @property
    def has_value(self) -> bool:
        return self.kind is not Kind.HEADING


@dataclass(frozen=True)
class Form:
    code: str
    title: str
    indicators: tuple[Indicator, ...]
    label: str = ""
    role: str | None = None
    support_roles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {i.code: i for i in self.indicators})

    def get(self, code: str) -> Indicator | None:
        return self._by_code.get(code)  # type: ignore[attr-defined]

    def children(self, code: str) -> list[Indicator]:
        return [i for i in self.indicators if i.parent == code]


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    check: Expression
    severity: Severity = Severity.ERROR
    form: str | None = None
    total: Ref | None = None
    parts: tuple[Ref, ...] = ()
    message: str = ""

    def resolve(self, ref: Ref) -> tuple[str, str]:
        return (ref.form or self.form or "", ref.code)


@dataclass(frozen=True)
class ReportTemplate:
    id: str
    title: str
    forms: tuple[Form, ...]
    levels: tuple[str, ...] = ()
    period_types: tuple[str, ...] = PERIOD_TYPES
    source: str = ""
    roles: tuple[Role, ...] = ()
    sections: tuple[Section, ...] = ()
    rules: tuple[Rule, ...] = ()
    example_round: Mapping[str, Any] = field(default_factory=dict)
    inferred: bool = False
    derived_order: tuple[tuple[str, str], ...] = ()

    def form(self, code: str) -> Form | None:
        return next((f for f in self.forms if f.code == code), None)

    def indicator(self, form: str, code: str) -> Indicator | None:
        f = self.form(form)
        return f.get(code) if f else None

    def all_sections(self) -> list[Section]:
        return [s for top in self.sections for s in top.walk()]

    @property
    def indicator_count(self) -> int:
        return sum(len(f.indicators) for f in self.forms)
