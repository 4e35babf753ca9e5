"""Deadlines, working days and timeliness of a reporting round.

A deadline is a date and an hour at least one working day after the cut-off
(DESIGN.md §6); a report is late only after the deadline's minute.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from cchc.core.periods import (
    Period,
    PeriodError,
    Regime,
    Window,
    parse_date,
    require_in_cycle,
    short_date,
    window,
)

OFFICE_CLOSING = time(17, 0)
"""End of office hours: a deadline given as a bare date means this time of that day."""


@cache
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


def is_working_day(d: date) -> bool:
    """Mon–Fri and not a public holiday; a make-up Saturday (ngày làm bù) counts as working."""
    return _calendar(d.year).is_working_day(d)


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after d (before d when n < 0); d itself when n == 0."""
    step = timedelta(days=1 if n > 0 else -1)
    for _ in range(abs(n)):
        d += step
        while not is_working_day(d):
            d += step
    return d


def working_days_between(start_exclusive: date, end_inclusive: date) -> int:
    """Working days after start and up to end; 0 when end is not after start."""
    days = (end_inclusive - start_exclusive).days
    return sum(is_working_day(start_exclusive + timedelta(days=i)) for i in range(1, days + 1))


_TIME_RE = re.compile(
    r"(?<![\d/])(?P<h>\d{1,2})\s*(?::|h|giờ)\s*(?P<m>\d{2}(?![/\d]))?(?:\s*phút)?(?!\w)"
)


@dataclass(frozen=True)
class Deadline:
    """When a report is due (thời hạn gửi báo cáo): a date and an hour, naive local time."""

    at: datetime

    @property
    def label(self) -> str:
        return f"{self.at:%H:%M} ngày {short_date(self.at.date())}"


def parse_deadline(text: str) -> Deadline:
    """Read "10:00 09/06/2022", "09/06/2022 10:00", "10 giờ ngày 09 tháng 6 năm 2022".

    A bare date ("9/6/2022") means the end of office hours that day (17:00): the
    report is due within that working day, not at midnight when nobody receives it.
    """
    cleaned = unicodedata.normalize("NFC", text).casefold()
    found = _TIME_RE.search(cleaned)
    at = OFFICE_CLOSING
    if found:
        hour, minute = int(found["h"]), int(found["m"] or 0)
        if hour > 23 or minute > 59:
            raise PeriodError(f"Giờ không hợp lệ trong thời hạn '{text}'.")
        at = time(hour, minute)
        cleaned = cleaned[: found.start()] + " " + cleaned[found.end() :]
    cleaned = re.sub(r"(?<!\w)lúc(?!\w)|,", " ", cleaned).strip()
    try:
        day = parse_date(cleaned)
    except PeriodError:
        raise PeriodError(
            f"Không đọc được thời hạn nộp báo cáo '{text}' (dạng đúng: 10:00 09/06/2022)."
        ) from None
    return Deadline(datetime.combine(day, at))


def default_deadline(period: Period, regime: Regime | str) -> Deadline:
    """The upward deadline: CCHC to the Ministry by the 20th, Decree 09 by the 25th.

    These are the deadlines of the province; provinces set earlier ones for their
    communes and departments, so a round normally overrides this. When the day is
    not a working day, the report is due on the last working day before it.
    """
    regime = require_in_cycle(period, regime)
    day = date(period.year, period.last_month, 20 if regime is Regime.CCHC else 25)
    if not is_working_day(day):
        day = add_working_days(day, -1)
    return Deadline(datetime.combine(day, OFFICE_CLOSING))


@dataclass(frozen=True)
class RoundSchedule:
    """The period, cut-off window and deadline of a reporting round (đợt báo cáo)."""

    period: Period
    window: Window
    deadline: Deadline

    @classmethod
    def default(cls, period: Period, regime: Regime | str = Regime.CCHC) -> RoundSchedule:
        return cls(period, window(period, regime), default_deadline(period, regime))

    def with_overrides(
        self, window: Window | None = None, deadline: Deadline | None = None
    ) -> RoundSchedule:
        """A round may set its own window and deadline (seed 000: 10/12 → 09/6, 10:00)."""
        return replace(
            self,
            window=self.window if window is None else window,
            deadline=self.deadline if deadline is None else deadline,
        )

    def full_working_days_after_cutoff(self) -> int:
        """Whole working days from the end of the cut-off day to the deadline.

        The deadline's own day counts only when it falls at or after the end of
        office hours: a 10:00 deadline leaves no full day that morning.
        """
        due, cutoff = self.deadline.at, self.window.end
        days = working_days_between(cutoff, due.date() - timedelta(days=1))
        last_day_counts = due.date() > cutoff and due.time() >= OFFICE_CLOSING
        return days + int(last_day_counts and is_working_day(due.date()))

    def check(self) -> list[str]:
        """Problems with this schedule, in Vietnamese; empty when it is sound."""
        problems = []
        end = short_date(self.window.end)
        if self.window.end < self.window.start:
            problems.append(
                f"Thời gian chốt số liệu không hợp lệ: ngày kết thúc {end} "
                f"trước ngày bắt đầu {short_date(self.window.start)}."
            )
        if self.deadline.at.date() < self.window.end:
            problems.append(
                f"Thời hạn nộp báo cáo {self.deadline.label} trước ngày kết thúc "
                f"chốt số liệu {end}."
            )
        elif self.full_working_days_after_cutoff() < 1:
            problems.append(
                f"Thời hạn nộp báo cáo {self.deadline.label} không để đủ 01 ngày làm việc "
                f"sau khi chốt số liệu ngày {end} (Nghị định 09/2019/NĐ-CP, Điều 8 khoản 5 "
                "điểm b)."
            )
        return problems


def is_late(submitted_at: datetime, deadline: datetime) -> bool:
    """The one rule of timeliness, for the dashboard, the tasks and every consolidation:
    late only after the deadline's minute (a report sent at 17:00:40 for a 17:00
    deadline is on time). Both naive, or both aware."""
    return submitted_at.replace(second=0, microsecond=0) > deadline
