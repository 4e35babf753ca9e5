"""Periods, cut-off windows, deadlines and working days (cchc/core/periods.py)."""

import unicodedata
from datetime import date, datetime, timedelta
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.core.periods import (
    Period,
    PeriodError,
    PeriodType,
    Regime,
    Window,
    document_date,
    parse_date,
    parse_period_label,
    same_span,
    short_date,
    span_months,
    window,
)
from cchc.core.schedule import (
    Deadline,
    RoundSchedule,
    add_working_days,
    default_deadline,
    is_late,
    is_working_day,
    parse_deadline,
    working_days_between,
)

Q1_2026 = Period(PeriodType.QUARTER, 2026, 1)
H1_2022 = Period(PeriodType.HALF_YEAR, 2022, 1)
H1_2024 = Period(PeriodType.HALF_YEAR, 2024, 1)
H2_2024 = Period(PeriodType.HALF_YEAR, 2024, 2)
M9_2022 = Period(PeriodType.NINE_MONTHS, 2022)
Y_2025 = Period(PeriodType.YEAR, 2025)


def quarter(year: int, number: int) -> Period:
    return Period(PeriodType.QUARTER, year, number)


def at(text: str) -> datetime:
    return datetime.strptime(text, "%d/%m/%Y %H:%M")


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


# --- periods, labels and keys -----------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "label", "key", "last_month"),
    [
        (quarter(2022, 1), "Quý I năm 2022", "2022-Q1", 3),
        (quarter(2023, 2), "Quý II năm 2023", "2023-Q2", 6),
        (quarter(2023, 3), "Quý III năm 2023", "2023-Q3", 9),
        (quarter(2021, 4), "Quý IV năm 2021", "2021-Q4", 12),
        (H1_2024, "6 tháng đầu năm 2024", "2024-H1", 6),
        (H2_2024, "6 tháng cuối năm 2024", "2024-H2", 12),
        (M9_2022, "9 tháng đầu năm 2022", "2022-9M", 9),
        (Period(PeriodType.YEAR, 2024), "Năm 2024", "2024-Y", 12),
    ],
)
def test_each_period_has_a_vietnamese_label_a_stable_key_and_a_last_month(
    period, label, key, last_month
):
    assert (period.label, period.key, period.last_month) == (label, key, last_month)
    assert Period.from_key(key) == period


def test_period_type_may_be_given_as_its_plain_string_value():
    assert Period("half_year", 2024, 2) == H2_2024


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("quarter", 2024, 5), "Số quý phải từ 1 đến 4, nhận được 5."),
        (("quarter", 2024, 0), "Số quý phải từ 1 đến 4, nhận được 0."),
        (
            ("half_year", 2024, 3),
            "Kỳ 6 tháng chỉ có số 1 (đầu năm) hoặc 2 (cuối năm), nhận được 3.",
        ),
        (("nine_months", 2022, 2), "Kỳ 9 tháng chỉ có số 1, nhận được 2."),
        (("year", 2024, 2), "Kỳ báo cáo năm chỉ có số 1, nhận được 2."),
        (("year", 24), "Năm báo cáo không hợp lệ: 24 (phải từ 1900 đến 2099)."),
        (
            ("month", 2024),
            "Loại kỳ báo cáo không hợp lệ: 'month' "
            "(chỉ nhận quarter, half_year, nine_months, year).",
        ),
    ],
)
def test_an_impossible_period_is_refused_with_a_vietnamese_message(args, message):
    with pytest.raises(PeriodError) as raised:
        Period(*args)
    assert str(raised.value) == message


@pytest.mark.parametrize("key", ["", "2024", "2024-Q5", "2024-H3", "2024-Y1", "2022-9M2", "24-Q1"])
def test_a_malformed_key_is_refused_with_a_vietnamese_message(key):
    with pytest.raises(PeriodError) as raised:
        Period.from_key(key)
    assert str(raised.value) == (
        f"Mã kỳ báo cáo không hợp lệ: '{key}' "
        "(dạng đúng: 2024-Q1, 2024-H1, 2024-H2, 2022-9M, 2024-Y)."
    )


# --- reading the period from a report title ---------------------------------------------

SEED_TITLES = [
    (
        "001_81e409cca2244e78.txt",
        "Kết quả triển khai thực hiện công tác cải cách hành chính 6 tháng đầu năm và "
        "phương hướng, nhiệm vụ 6 tháng cuối năm 2024",
        H1_2024,
    ),
    (
        "002_525a275af6cc0ed4.txt",
        "Kết quả thực hiện công tác Cải cách hành chính 9 tháng đầu năm 2022.",
        M9_2022,
    ),
]


@pytest.mark.parametrize(("seed", "title", "period"), SEED_TITLES)
def test_the_period_of_a_seed_report_is_read_from_its_title(seed, title, period):
    assert title in files("cchc.samples").joinpath("seeds", seed).read_text(encoding="utf-8")
    assert parse_period_label(title) == period


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("quý I năm 2025", quarter(2025, 1)),
        ("Quý III/2023", quarter(2023, 3)),
        ("quý 3 năm 2023", quarter(2023, 3)),
        ("BÁO CÁO CCHC QUÝ IV NĂM 2021", quarter(2021, 4)),
        ("<b>Quý II</b> năm 2024", quarter(2024, 2)),
        ("Quý&nbsp;II năm 2024", quarter(2024, 2)),
        ("năm 2024", Period(PeriodType.YEAR, 2024)),
        ("Báo cáo kết quả CCHC cả năm 2024", Period(PeriodType.YEAR, 2024)),
        ("6 tháng đầu năm 2022", H1_2022),
        ("**6 tháng cuối năm 2024**", H2_2024),
        ("Báo cáo 6 tháng năm 2022", H1_2022),
        ("9 tháng năm 2022", M9_2022),
        (
            "V/v triển khai thực hiện chế độ báo cáo cải cách hành chính 6 tháng đầu năm 2022",
            H1_2022,
        ),
        (
            "Thực hiện Công văn số 2384/UBND-NV, ngày 30/8/2022 về việc báo cáo "
            "định kỳ công tác CCHC 9 tháng đầu năm 2022",
            M9_2022,
        ),
        (unicodedata.normalize("NFD", SEED_TITLES[0][1]), H1_2024),
        (unicodedata.normalize("NFD", "QUÝ III NĂM 2023"), quarter(2023, 3)),
    ],
)
def test_period_is_found_in_title_variants(title, period):
    assert parse_period_label(title) == period


@pytest.mark.parametrize(
    "title",
    [
        "",
        "Báo cáo công tác cải cách hành chính",
        "6 tháng đầu năm",
        "Hương Sơn, ngày 10 tháng 6 năm 2024",
        "Báo cáo tháng 6/2024",
        "Chỉ tiêu thống kê (sử dụng cho kỳ báo cáo hàng quý, 6 tháng, năm)",
        "Quý V năm 2024",
    ],
)
def test_no_period_is_found_where_the_text_names_none(title):
    assert parse_period_label(title) is None


# --- cut-off windows --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "regime", "start", "end"),
    [
        (Q1_2026, "nd09", "15/12/2025", "14/03/2026"),
        (quarter(2026, 2), "nd09", "15/03/2026", "14/06/2026"),
        (quarter(2026, 3), "nd09", "15/06/2026", "14/09/2026"),
        (quarter(2026, 4), "nd09", "15/09/2026", "14/12/2026"),
        (H1_2024, "nd09", "15/12/2023", "14/06/2024"),
        (H2_2024, "nd09", "15/06/2024", "14/12/2024"),
        (M9_2022, "nd09", "15/12/2021", "14/09/2022"),
        (Y_2025, "nd09", "15/12/2024", "14/12/2025"),
        (Q1_2026, "cchc", "15/12/2025", "14/03/2026"),
        (H1_2024, "cchc", "15/12/2023", "14/06/2024"),
        (quarter(2023, 3), "cchc", "15/06/2023", "14/09/2023"),
        (Y_2025, "cchc", "15/12/2024", "14/12/2025"),
        (H2_2024, "cchc", "15/06/2024", "14/12/2024"),
        (M9_2022, "cchc", "15/12/2021", "14/09/2022"),
    ],
)
def test_window_runs_from_the_15th_to_the_14th_in_both_regimes(period, regime, start, end):
    assert window(period, regime) == Window(d(start), d(end))


def test_window_defaults_to_decree_09():
    assert window(quarter(2026, 2)) == window(quarter(2026, 2), Regime.ND09)


def test_q1_window_starts_in_the_previous_year():
    assert window(Q1_2026, "cchc") == Window(date(2025, 12, 15), date(2026, 3, 14))


def test_q3_window_is_not_cumulative():
    q3 = quarter(2023, 3)
    assert window(q3, "cchc") == Window(date(2023, 6, 15), date(2023, 9, 14))


@pytest.mark.parametrize(
    ("period", "regime", "cumulative"),
    [
        (Q1_2026, "cchc", True),
        (H1_2024, "cchc", True),
        (quarter(2026, 3), "cchc", False),
        (Y_2025, "cchc", True),
        (quarter(2026, 2), "nd09", False),
        (quarter(2026, 4), "nd09", False),
        (H2_2024, "nd09", False),
        (M9_2022, "nd09", True),
    ],
)
def test_cumulative_windows_are_those_starting_on_15_december_of_the_year_before(
    period, regime, cumulative
):
    starts = window(period, regime).start == date(period.year - 1, 12, 15)
    assert starts is cumulative


def test_cchc_cycle_has_four_reports_q1_half_year_q3_and_year():
    cycle = [Period.from_key(f"2026-{code}") for code in ("Q1", "H1", "Q3", "Y")]
    assert cycle == [
        quarter(2026, 1),
        Period(PeriodType.HALF_YEAR, 2026, 1),
        quarter(2026, 3),
        Period(PeriodType.YEAR, 2026),
    ]
    assert [window(p, "cchc") for p in cycle] == [
        Window(date(2025, 12, 15), date(2026, 3, 14)),
        Window(date(2025, 12, 15), date(2026, 6, 14)),
        Window(date(2026, 6, 15), date(2026, 9, 14)),
        Window(date(2025, 12, 15), date(2026, 12, 14)),
    ]


@pytest.mark.parametrize(
    ("number", "absorbed_by"), [(2, "6 tháng đầu năm"), (4, "năm")], ids=["Q2", "Q4"]
)
def test_q2_and_q4_are_not_in_the_cchc_cycle(number, absorbed_by):
    roman = {2: "II", 4: "IV"}[number]
    message = (
        f"Quý {roman} không có báo cáo riêng trong chu kỳ báo cáo CCHC của Bộ Nội vụ: "
        f"số liệu quý {roman} nằm trong báo cáo {absorbed_by}."
    )
    for compute in (window, default_deadline, RoundSchedule.default):
        with pytest.raises(PeriodError) as raised:
            compute(quarter(2026, number), "cchc")
        assert str(raised.value) == message


def test_an_unknown_regime_is_refused_with_a_vietnamese_message():
    with pytest.raises(PeriodError) as raised:
        window(H1_2024, "bnv")
    assert str(raised.value) == "Chế độ báo cáo không hợp lệ: 'bnv' (chỉ nhận nd09, cchc)."


def test_a_window_counts_both_of_its_ends_among_its_days():
    assert window(Q1_2026).days == 90  # 15/12/2025 … 14/03/2026


# --- working days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("13/02/2026", True),  # Friday before Tết
        ("14/02/2026", False),  # Saturday
        ("15/02/2026", False),  # Sunday
        ("16/02/2026", False),  # Lunar New Year's Eve
        ("17/02/2026", False),  # Tết
        ("20/02/2026", False),  # fourth day of Tết
        ("23/02/2026", True),  # first Monday after Tết
        ("26/04/2025", True),  # make-up Saturday (ngày làm bù) for 02/05/2025
        ("02/05/2025", False),  # the Friday it bought off
        ("02/09/2025", False),  # National Day
        ("10/06/2024", True),  # an ordinary Monday
    ],
)
def test_working_days_skip_weekends_and_vietnamese_holidays(day, working):
    assert is_working_day(d(day)) is working


@pytest.mark.parametrize(
    ("start", "n", "result"),
    [
        ("13/02/2026", 1, "23/02/2026"),
        ("12/02/2026", 2, "23/02/2026"),
        ("23/02/2026", -1, "13/02/2026"),
        ("05/06/2026", 1, "08/06/2026"),
        ("06/06/2026", 0, "06/06/2026"),
    ],
)
def test_add_working_days_steps_over_weekends_and_tet(start, n, result):
    assert add_working_days(d(start), n) == d(result)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        ("13/02/2026", "23/02/2026", 1),
        ("01/02/2026", "28/02/2026", 15),
        ("09/06/2022", "09/06/2022", 0),
        ("09/06/2022", "10/06/2022", 1),
        ("10/06/2022", "13/06/2022", 1),
        ("13/06/2022", "10/06/2022", 0),
    ],
)
def test_working_days_between_excludes_the_start_and_includes_the_end(start, end, count):
    assert working_days_between(d(start), d(end)) == count


# --- deadlines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "regime", "due"),
    [
        (H1_2024, "cchc", "20/06/2024 17:00"),
        (quarter(2027, 1), "cchc", "19/03/2027 17:00"),  # 20/03/2027 is a Saturday
        (quarter(2025, 3), "cchc", "19/09/2025 17:00"),  # 20/09/2025 is a Saturday
        (quarter(2026, 3), "cchc", "18/09/2026 17:00"),  # 20/09/2026 is a Sunday
        (H1_2024, "nd09", "25/06/2024 17:00"),
        (Period(PeriodType.YEAR, 2022), "nd09", "23/12/2022 17:00"),  # 25/12 is a Sunday
        (M9_2022, "nd09", "23/09/2022 17:00"),  # 25/09/2022 is a Sunday
    ],
)
def test_default_deadline_is_the_20th_or_25th_moved_back_to_a_working_day(period, regime, due):
    assert default_deadline(period, regime) == Deadline(at(due))


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("10:00 09/06/2022", "09/06/2022 10:00"),
        ("09/06/2022 10:00", "09/06/2022 10:00"),
        ("9/6/2022", "09/06/2022 17:00"),
        ("  09/06/2022  ", "09/06/2022 17:00"),
        ("10h30 ngày 9/6/2022", "09/06/2022 10:30"),
        ("10 giờ ngày 09 tháng 6 năm 2022", "09/06/2022 10:00"),
        ("10:00 ngày 09/06/2022", "09/06/2022 10:00"),
        ("9/6/2022, lúc 8:05", "09/06/2022 08:05"),
    ],
)
def test_parse_deadline_reads_a_date_and_an_hour_defaulting_to_closing_time(text, due):
    assert parse_deadline(text) == Deadline(at(due))


def test_deadline_label_reads_back_as_the_same_deadline():
    deadline = Deadline(datetime(2022, 6, 9, 10, 0))
    assert (deadline.label, parse_deadline(deadline.label)) == ("10:00 ngày 09/06/2022", deadline)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hôm qua", "Không đọc được thời hạn nộp báo cáo 'hôm qua' (dạng đúng: 10:00 09/06/2022)."),
        ("10:00", "Không đọc được thời hạn nộp báo cáo '10:00' (dạng đúng: 10:00 09/06/2022)."),
        (
            "31/02/2024",
            "Không đọc được thời hạn nộp báo cáo '31/02/2024' (dạng đúng: 10:00 09/06/2022).",
        ),
        ("25:00 09/06/2022", "Giờ không hợp lệ trong thời hạn '25:00 09/06/2022'."),
        ("10:75 09/06/2022", "Giờ không hợp lệ trong thời hạn '10:75 09/06/2022'."),
    ],
)
def test_a_bad_deadline_is_refused_naming_the_text(text, message):
    with pytest.raises(PeriodError) as raised:
        parse_deadline(text)
    assert str(raised.value) == message


# --- round schedules --------------------------------------------------------------------


def test_default_round_schedule_uses_the_cchc_window_and_deadline_and_is_sound():
    schedule = RoundSchedule.default(H1_2024)
    assert schedule == RoundSchedule(
        H1_2024,
        Window(date(2023, 12, 15), date(2024, 6, 14)),
        Deadline(datetime(2024, 6, 20, 17, 0)),
    )
    assert schedule.check() == []


def test_seed_000_round_leaves_less_than_one_working_day_after_the_cut_off():
    schedule = RoundSchedule.default(H1_2022).with_overrides(
        window=Window(date(2021, 12, 10), date(2022, 6, 9)),
        deadline=parse_deadline("10:00 09/06/2022"),
    )
    assert schedule.check() == [
        "Thời hạn nộp báo cáo 10:00 ngày 09/06/2022 không để đủ 01 ngày làm việc "
        "sau khi chốt số liệu ngày 09/06/2022 (Nghị định 09/2019/NĐ-CP, Điều 8 khoản 5 điểm b)."
    ]


def test_with_overrides_keeps_what_is_not_overridden():
    schedule = RoundSchedule.default(H1_2024)
    deadline = Deadline(datetime(2024, 6, 18, 10, 0))
    assert schedule.with_overrides(deadline=deadline) == RoundSchedule(
        H1_2024, schedule.window, deadline
    )


CUT_OFF_FRIDAY = Window(date(2023, 12, 15), date(2024, 6, 14))  # 14/06/2024 is a Friday


@pytest.mark.parametrize(
    ("window_", "due", "problems"),
    [
        (CUT_OFF_FRIDAY, "17/06/2024 17:00", []),
        (CUT_OFF_FRIDAY, "18/06/2024 10:00", []),
        (
            CUT_OFF_FRIDAY,
            "17/06/2024 10:00",
            [
                "Thời hạn nộp báo cáo 10:00 ngày 17/06/2024 không để đủ 01 ngày làm việc "
                "sau khi chốt số liệu ngày 14/06/2024 (Nghị định 09/2019/NĐ-CP, Điều 8 "
                "khoản 5 điểm b)."
            ],
        ),
        (
            CUT_OFF_FRIDAY,
            "16/06/2024 17:00",
            [
                "Thời hạn nộp báo cáo 17:00 ngày 16/06/2024 không để đủ 01 ngày làm việc "
                "sau khi chốt số liệu ngày 14/06/2024 (Nghị định 09/2019/NĐ-CP, Điều 8 "
                "khoản 5 điểm b)."
            ],
        ),
        (
            CUT_OFF_FRIDAY,
            "13/06/2024 17:00",
            [
                "Thời hạn nộp báo cáo 17:00 ngày 13/06/2024 trước ngày kết thúc "
                "chốt số liệu 14/06/2024."
            ],
        ),
        (
            Window(date(2024, 6, 14), date(2023, 12, 15)),
            "20/06/2024 17:00",
            [
                "Thời gian chốt số liệu không hợp lệ: ngày kết thúc 15/12/2023 "
                "trước ngày bắt đầu 14/06/2024."
            ],
        ),
    ],
)
def test_check_reports_unsound_windows_and_deadlines(window_, due, problems):
    schedule = RoundSchedule(H1_2024, window_, Deadline(at(due)))
    assert schedule.check() == problems


def test_a_report_is_late_only_after_the_deadline():
    schedule = RoundSchedule.default(H1_2024)
    due = schedule.deadline.at
    late = [is_late(due + timedelta(minutes=m), due) for m in (-1, 0, 1)]
    assert late == [False, False, True]


def test_within_the_deadline_minute_is_on_time():
    due = datetime(2024, 6, 20, 17, 0)
    seconds = (0, 59, 60)
    assert [is_late(due + timedelta(seconds=n), due) for n in seconds] == [False, False, True]


def test_a_quarter_is_compared_with_a_quarter_not_with_a_year_to_date_half():
    h1 = window(H1_2024, "cchc")  # 15/12/2023 → 14/6/2024: year to date
    q3 = window(Period.from_key("2024-Q3"), "cchc")  # 15/6 → 14/9: the quarter alone
    q1 = window(Period.from_key("2025-Q1"), "cchc")
    assert (span_months(h1), span_months(q3), span_months(q1)) == (6, 3, 3)
    assert not same_span(q3, h1, cumulative=False)
    assert same_span(q3, q1, cumulative=False)
    assert same_span(q3, h1, cumulative=True)  # lũy kế: a running figure


# --- dates in documents -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2022, 6, 3), "ngày 03 tháng 6 năm 2022"),
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2024, 6, 10), "ngày 10 tháng 6 năm 2024"),
        (date(2024, 2, 15), "ngày 15 tháng 02 năm 2024"),
        (date(2023, 10, 1), "ngày 01 tháng 10 năm 2023"),
        (date(2024, 12, 25), "ngày 25 tháng 12 năm 2024"),
    ],
)
def test_document_date_pads_days_under_10_and_only_months_1_and_2(day, text):
    assert document_date(day) == text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("09/06/2022", date(2022, 6, 9)),
        ("9/6/2022", date(2022, 6, 9)),
        ("09-06-2022", date(2022, 6, 9)),
        ("2022-06-09", date(2022, 6, 9)),
        ("ngày 03 tháng 6 năm 2022", date(2022, 6, 3)),
        (unicodedata.normalize("NFD", "Ngày 05 tháng 01 năm 2026"), date(2026, 1, 5)),
    ],
)
def test_parse_date_reads_day_month_year(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Không đọc được ngày '' (dạng đúng: dd/mm/yyyy, ví dụ 09/06/2022)."),
        ("06/2022", "Không đọc được ngày '06/2022' (dạng đúng: dd/mm/yyyy, ví dụ 09/06/2022)."),
        ("31/02/2024", "Ngày không tồn tại: '31/02/2024'."),
        ("09/13/2022", "Ngày không tồn tại: '09/13/2022'."),
    ],
)
def test_a_bad_date_is_refused_naming_the_text(text, message):
    with pytest.raises(PeriodError) as raised:
        parse_date(text)
    assert str(raised.value) == message


def test_short_date_pads_day_and_month():
    assert short_date(date(2022, 6, 9)) == "09/06/2022"


# --- properties -------------------------------------------------------------------------

NUMBERS = {
    PeriodType.QUARTER: 4,
    PeriodType.HALF_YEAR: 2,
    PeriodType.NINE_MONTHS: 1,
    PeriodType.YEAR: 1,
}
periods = st.sampled_from(list(PeriodType)).flatmap(
    lambda t: st.builds(Period, st.just(t), st.integers(1900, 2099), st.integers(1, NUMBERS[t]))
)


def in_cchc_cycle(period: Period) -> bool:
    return not (period.type is PeriodType.QUARTER and period.number in (2, 4))


@given(periods)
def test_every_window_runs_from_a_15th_to_the_14th_of_the_periods_last_month(period):
    w = window(period)
    assert (w.start < w.end, w.start.day, w.end) == (
        True,
        15,
        date(period.year, period.last_month, 14),
    )
    if in_cchc_cycle(period):
        assert window(period, "cchc") == w


@given(periods)
def test_every_period_reads_back_from_its_key_and_from_its_label(period):
    assert (Period.from_key(period.key), parse_period_label(period.label)) == (period, period)


@given(periods.filter(in_cchc_cycle), st.sampled_from(list(Regime)))
def test_every_default_schedule_passes_its_own_check(period, regime):
    assert RoundSchedule.default(period, regime).check() == []


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 40))
def test_add_working_days_lands_on_a_working_day_that_many_working_days_later(start, n):
    end = add_working_days(start, n)
    assert (working_days_between(start, end), n == 0 or is_working_day(end)) == (n, True)


@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)))
def test_document_and_short_dates_read_back_as_the_same_date(day):
    assert (parse_date(document_date(day)), parse_date(short_date(day))) == (day, day)
