"""Reporting periods and data cut-off windows; deadlines and working days are in schedule.py.

Reports do not follow calendar months: Decree 09/2019/NĐ-CP cuts data off from the
15th to the 14th, and the Home Affairs CCHC cycle has four reports a year (DESIGN.md §6).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

MIN_YEAR, MAX_YEAR = 1900, 2099  # the years a title parser recognises (19xx, 20xx)


class PeriodError(ValueError):
    """A period, window, date or deadline that cannot be used; the message is Vietnamese."""


class PeriodType(StrEnum):
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    NINE_MONTHS = "nine_months"
    YEAR = "year"


class Regime(StrEnum):
    """Which rulebook sets the cut-off windows and the default deadline."""

    ND09 = "nd09"  # Decree 09/2019/NĐ-CP, general reporting regime
    CCHC = "cchc"  # Home Affairs CCHC cycle (581/BNV-CCHC): Q1, 6 months, Q3, year


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_MONTHS = {  # how many months one period of the type is named after
    PeriodType.QUARTER: 3,
    PeriodType.HALF_YEAR: 6,
    PeriodType.NINE_MONTHS: 9,
    PeriodType.YEAR: 12,
}
_LABEL = {
    PeriodType.QUARTER: "Quý {roman} năm {year}",
    PeriodType.HALF_YEAR: "6 tháng {half} năm {year}",
    PeriodType.NINE_MONTHS: "9 tháng đầu năm {year}",
    PeriodType.YEAR: "Năm {year}",
}
_NUMBER_RULE = {
    PeriodType.QUARTER: "Số quý phải từ 1 đến 4",
    PeriodType.HALF_YEAR: "Kỳ 6 tháng chỉ có số 1 (đầu năm) hoặc 2 (cuối năm)",
    PeriodType.NINE_MONTHS: "Kỳ 9 tháng chỉ có số 1",
    PeriodType.YEAR: "Kỳ báo cáo năm chỉ có số 1",
}
_KEY_CODE = {
    PeriodType.QUARTER: "Q",
    PeriodType.HALF_YEAR: "H",
    PeriodType.NINE_MONTHS: "9M",
    PeriodType.YEAR: "Y",
}
_TYPE_BY_KEY_CODE = {code: type_ for type_, code in _KEY_CODE.items()}
_KEY_RE = re.compile(r"(\d{4})-(Q|H|9M|Y)(\d?)")

E = TypeVar("E", bound=StrEnum)


def _member(kind: type[E], value: E | str, what: str) -> E:
    try:
        return kind(value)
    except ValueError:
        names = ", ".join(kind)
        raise PeriodError(f"{what} không hợp lệ: '{value}' (chỉ nhận {names}).") from None


@dataclass(frozen=True)
class Period:
    """A reporting period (kỳ báo cáo): which part of which year a report covers."""

    type: PeriodType
    year: int
    number: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", _member(PeriodType, self.type, "Loại kỳ báo cáo"))
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError(
                f"Năm báo cáo không hợp lệ: {self.year} (phải từ {MIN_YEAR} đến {MAX_YEAR})."
            )
        if not 1 <= self.number <= 12 // _MONTHS[self.type]:
            raise PeriodError(f"{_NUMBER_RULE[self.type]}, nhận được {self.number}.")

    @property
    def label(self) -> str:
        """The Vietnamese name used in report titles, e.g. "Quý I năm 2022"."""
        half = "đầu" if self.number == 1 else "cuối"
        return _LABEL[self.type].format(roman=_ROMAN[self.number], half=half, year=self.year)

    @property
    def in_sentence(self) -> str:
        """The label inside a sentence: "quý I năm 2022" (the numeral stays a capital)."""
        return self.label[:1].lower() + self.label[1:]

    @property
    def key(self) -> str:
        """A short stable identifier for files, URLs and databases, e.g. "2024-H1"."""
        number = self.number if _MONTHS[self.type] < 9 else ""
        return f"{self.year}-{_KEY_CODE[self.type]}{number}"

    @classmethod
    def from_key(cls, key: str) -> Period:
        """Inverse of `key`."""
        m = _KEY_RE.fullmatch(key.strip())
        try:
            period = m and cls(_TYPE_BY_KEY_CODE[m[2]], int(m[1]), int(m[3] or 1))
        except PeriodError:
            period = None
        if not period or period.key != key.strip():
            raise PeriodError(
                f"Mã kỳ báo cáo không hợp lệ: '{key}' "
                "(dạng đúng: 2024-Q1, 2024-H1, 2024-H2, 2022-9M, 2024-Y)."
            )
        return period

    @property
    def last_month(self) -> int:
        """Month in which the cut-off ends and the report is due."""
        return _MONTHS[self.type] * self.number

    @property
    def first_month(self) -> int:
        """First month the period is named after; its window starts the month before."""
        return self.last_month - _MONTHS[self.type] + 1


_DATE_PHRASE_RE = re.compile(
    r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]\d{4}(?!\d)|tháng\s+\d{1,2}\s*(?:năm\s+|/)\s*\d{4}"
)
_PHRASE_RE = re.compile(
    r"(?<!\w)(?:"
    r"quý\s*(?P<quarter>[ivx]+|\d+)"
    r"|(?:6|sáu)\s+tháng\s+(?P<half>đầu|cuối)"
    r"|(?P<half_bare>(?:6|sáu)\s+tháng)(?=\s+năm\s+\d{4})"
    r"|(?P<nine>(?:9|chín)\s+tháng)(?=\s+(?:đầu|năm)(?!\w))"
    r"|(?P<year>năm)(?=\s+\d{4})"
    r")(?!\w)"
)
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_ROMAN_VALUE = {roman.lower(): number for number, roman in _ROMAN.items()}


def _clean_title(text: str) -> str:
    """Lower-case NFC text without HTML tags, entities or markdown emphasis."""
    text = re.sub(r"<[^>]*>", " ", html.unescape(unicodedata.normalize("NFC", text)))
    text = re.sub(r"[*_#`]", " ", text)
    text = unicodedata.normalize("NFC", text.casefold())
    return re.sub(r"\s+", " ", text)


def parse_period_label(text: str) -> Period | None:
    """Find the reporting period named in a report title, or None.

    A title often names two periods ("6 tháng đầu năm và phương hướng … 6 tháng
    cuối năm 2024"): the first one is the period reported on, and its year is the
    first year written after it. Dates ("ngày 10 tháng 6 năm 2024", "30/8/2022")
    are ignored so that they are not read as an annual report.
    """
    cleaned = _DATE_PHRASE_RE.sub(" ", _clean_title(text))
    phrase = _PHRASE_RE.search(cleaned)
    if phrase is None:
        return None
    year_found = _YEAR_RE.search(cleaned, phrase.end())
    if year_found is None:
        return None
    number = int(year_found.group())
    if q := phrase["quarter"]:
        quarter = _ROMAN_VALUE.get(q) or (int(q) if q.isdigit() else 0)
        return Period(PeriodType.QUARTER, number, quarter) if 1 <= quarter <= 4 else None
    if phrase["half"] or phrase["half_bare"]:
        return Period(PeriodType.HALF_YEAR, number, 2 if phrase["half"] == "cuối" else 1)
    if phrase["nine"]:
        return Period(PeriodType.NINE_MONTHS, number)
    return Period(PeriodType.YEAR, number)


@dataclass(frozen=True)
class Window:
    """A data cut-off window (thời gian chốt số liệu), both ends included.

    Not validated on construction, so that a round's overridden window can be
    reported by `RoundSchedule.check` rather than refused mid-edit.
    """

    start: date
    end: date

    @property
    def days(self) -> int:
        return max(0, (self.end - self.start).days + 1)


def require_in_cycle(period: Period, regime: Regime | str) -> Regime:
    regime = _member(Regime, regime, "Chế độ báo cáo")
    if regime is Regime.CCHC and period.type is PeriodType.QUARTER and period.number in (2, 4):
        into = "6 tháng đầu năm" if period.number == 2 else "năm"
        raise PeriodError(
            f"Quý {_ROMAN[period.number]} không có báo cáo riêng trong chu kỳ báo cáo CCHC "
            f"của Bộ Nội vụ: số liệu quý {_ROMAN[period.number]} nằm trong báo cáo {into}."
        )
    return regime


def window(period: Period, regime: Regime | str = Regime.ND09) -> Window:
    """The cut-off window: 15th of the month before the period → 14th of its last month.

    Both regimes share this rule (Q3 in the CCHC cycle is 15/6 → 14/9, the quarter
    alone); CCHC only refuses Q2 and Q4, which it folds into the 6-month and annual
    reports. Nine months (15/12 → 14/9) is a provincial addition, e.g. Khánh Hòa.
    """
    require_in_cycle(period, regime)
    before = period.first_month - 1
    start = date(period.year, before, 15) if before else date(period.year - 1, 12, 15)
    return Window(start, date(period.year, period.last_month, 14))


_NUMERIC_DATE_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WORDED_DATE_RE = re.compile(r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")


def parse_date(text: str) -> date:
    """Read dd/mm/yyyy (also d/m/yyyy, yyyy-mm-dd and "ngày 09 tháng 6 năm 2022")."""
    cleaned = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).strip().casefold())
    cleaned = cleaned.removeprefix("ngày ")
    if m := _NUMERIC_DATE_RE.fullmatch(cleaned) or _WORDED_DATE_RE.fullmatch(cleaned):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO_DATE_RE.fullmatch(cleaned):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise PeriodError(
            f"Không đọc được ngày '{text}' (dạng đúng: dd/mm/yyyy, ví dụ 09/06/2022)."
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise PeriodError(f"Ngày không tồn tại: '{text}'.") from None


def short_date(d: date) -> str:
    """dd/mm/yyyy, as in tables and forms: "09/06/2022"."""
    return d.strftime("%d/%m/%Y")


def document_date(d: date) -> str:
    """The date line of an official document (Decree 30/2020/NĐ-CP).

    Days under 10 and the months 1 and 2 take a leading zero, other months do not
    ("ngày 05 tháng 01 năm 2026", "ngày 10 tháng 6 năm 2024").
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def span_months(w: Window) -> int:
    """How many months a window's figures cover: 15/12 → 14/6 is 6, 15/6 → 14/9 is 3."""
    return (w.end.year - w.start.year) * 12 + w.end.month - w.start.month


def same_span(a: Window, b: Window, *, cumulative: bool) -> bool:
    """Whether an indicator's figures of two rounds can be compared.

    A cumulative indicator (lũy kế đến thời điểm báo cáo) is a running figure that
    reads the same in every report. Any other figure counts what happened within
    the round's window, so a quarter (3 months) is not compared with a year-to-date
    6-month report: the quarter would show a false fall.
    """
    return cumulative or span_months(a) == span_months(b)
