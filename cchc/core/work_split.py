"""The split of a report's work among a unit's people: by duty, with internal deadlines.

Seed 000 is the model. The commune's chairman gives each civil servant the parts of
their field (Văn phòng - Thống kê, Đảng ủy - Nội vụ: part I, items II.3 and II.4,
forms 1, 4 and 5; Tư pháp - Hộ tịch: item II.1 and form 2; …) and asks for them by
10:00 on 09/6, before the commune itself submits. A template names the duty (role)
of each part; a person's duty in their unit says which parts are theirs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from cchc.core.templates import ReportTemplate

__all__ = ["DUE_FORMAT", "DutySplit", "Part", "parse_due", "parts_of", "split_by_duty"]

Person = TypeVar("Person")
Key = tuple[str, str]  # (kind, code): ("form", "BM1"), ("section", "II.3")

# How an internal deadline is written and typed: `10:00 09/06/2026`, as the rounds' own.
DUE_FORMAT = "%H:%M %d/%m/%Y"


@dataclass(frozen=True)
class Part:
    kind: str  # "section" or "form"
    code: str
    role: str | None  # the duty the template gives it

    @property
    def key(self) -> Key:
        return (self.kind, self.code)


def parts_of(template: ReportTemplate) -> list[Part]:
    """Every part a person can be given, in the template's order: sections, then forms."""
    parts = [Part("section", s.code, s.role) for s in template.all_sections()]
    return parts + [Part("form", f.code, f.role) for f in template.forms]


@dataclass(frozen=True)
class DutySplit(Generic[Person]):
    """Who gets what by duty, and the parts it leaves for a person to decide."""

    given: dict[Key, Person]
    no_duty: tuple[Part, ...] = ()  # the template names no duty for them
    nobody: tuple[Part, ...] = ()  # nobody of the unit holds the duty
    shared: tuple[Part, ...] = ()  # several people hold it: which one is not ours to guess


def split_by_duty(parts: Sequence[Part], holders: Mapping[str, Sequence[Person]]) -> DutySplit:
    """Each part to the one person holding its duty (`holders`: duty → people)."""
    given: dict[Key, Person] = {}
    no_duty, nobody, shared = [], [], []
    for part in parts:
        people = holders.get(part.role or "", ())
        if not part.role:
            no_duty.append(part)
        elif not people:
            nobody.append(part)
        elif len(people) > 1:
            shared.append(part)
        else:
            given[part.key] = people[0]
    return DutySplit(given, tuple(no_duty), tuple(nobody), tuple(shared))


def parse_due(text: str) -> datetime | None:
    """`10:00 09/06/2026` → a naive datetime (the caller gives it the office's time zone);
    empty → None (the round's deadline). Bad text raises ValueError, said in Vietnamese."""
    text = " ".join(text.split())
    if not text:
        return None
    try:
        return datetime.strptime(text, DUE_FORMAT)
    except ValueError:
        pass
    try:  # a date alone means the end of the office's day
        return datetime.strptime(f"17:00 {text}", DUE_FORMAT)
    except ValueError:
        raise ValueError(
            f"Hạn nội bộ «{text}» không đúng dạng giờ:phút ngày/tháng/năm (ví dụ 10:00 09/06/2026)."
        ) from None
