"""Vietnamese numbers: parsing what people type, formatting (cchc/core/numbers.py)."""

import contextlib
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cchc.core.numbers import (
    MAX_WHOLE_DIGITS,
    NumberError,
    NumberTooLong,
    ParsedNumber,
    decimals_of,
    format_number,
    format_percent,
    json_float,
    parse_number,
    rounded,
)
from tests.fuzzing import FUZZ

D = Decimal


# --- parsing: one reading ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # plain integers and leading zeros
        ("0", D("0")),
        ("7", D("7")),
        ("1102", D("1102")),
        ("01", D("1")),
        ("007", D("7")),
        # Vietnamese grouping: `.` between groups of three
        ("2.715.925.699", D("2715925699")),
        ("1.234.567", D("1234567")),
        ("1.234,5", D("1234.5")),
        ("2.715.925.699,25", D("2715925699.25")),
        # decimal comma
        ("78,94", D("78.94")),
        ("0,5", D("0.5")),
        ("1234,567", D("1234.567")),
        ("0,500", D("0.500")),
        ("0,05", D("0.05")),
        # spaces as grouping (plain, no-break and narrow no-break spaces)
        ("1 102", D("1102")),
        ("2 715 925 699", D("2715925699")),
        ("1\u00a0102", D("1102")),
        ("1\u202f102", D("1102")),
        ("1 102,5", D("1102.5")),
        # US style, where it cannot be read the Vietnamese way
        ("1,234.5", D("1234.5")),
        ("1,234,567", D("1234567")),
        ("1,234,567.89", D("1234567.89")),
        # a dot decimal that cannot be grouping (groups have three digits)
        ("1.5", D("1.5")),
        ("78.94", D("78.94")),
        ("1234.567", D("1234.567")),
        ("1.2345", D("1.2345")),
        # surrounding blanks are ignored
        ("  42 ", D("42")),
        ("\t78,94\n", D("78.94")),
    ],
)
def test_a_number_with_one_reading_is_read_the_vietnamese_way(text, value):
    assert parse_number(text) == ParsedNumber(value=value, raw=text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-5", D("-5")),
        ("-0", D("0")),
        ("+7", D("7")),
        ("- 5", D("-5")),
        ("-2.715.925.699", D("-2715925699")),
        ("-78,94", D("-78.94")),
        ("\u22121.234,5", D("-1234.5")),  # the typographic minus sign
        ("-1 102", D("-1102")),
    ],
)
def test_a_sign_applies_to_the_whole_number(text, value):
    assert parse_number(text) == ParsedNumber(value=value, raw=text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("78,94%", D("78.94")),
        ("100 %", D("100")),
        ("100%", D("100")),
        ("0,5%", D("0.5")),
        ("-12,5%", D("-12.5")),
        (" 78,94 % ", D("78.94")),
    ],
)
def test_a_percent_sign_is_noted_and_the_number_read_without_it(text, value):
    assert parse_number(text) == ParsedNumber(value=value, raw=text, percent=True)


def test_the_raw_text_is_kept_exactly_as_typed():
    assert parse_number("  1 102 ").raw == "  1 102 "


# --- parsing: two readings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "readings"),
    [
        ("3,887", (D("3.887"), D("3887"))),
        ("12,345", (D("12.345"), D("12345"))),
        ("999,999", (D("999.999"), D("999999"))),
        ("1.102", (D("1102"), D("1.102"))),
        ("12.345", (D("12345"), D("12.345"))),
        ("100.000", (D("100000"), D("100.000"))),
        ("-3,887", (D("-3.887"), D("-3887"))),
        ("-1.102", (D("-1102"), D("-1.102"))),
    ],
)
def test_one_separator_followed_by_three_digits_is_ambiguous_vietnamese_reading_first(
    text, readings
):
    assert parse_number(text) == ParsedNumber(
        value=readings[0], raw=text, ambiguous=True, readings=readings
    )


def test_comma_followed_by_three_digits_is_ambiguous():
    assert parse_number("3,887") == ParsedNumber(
        value=D("3.887"), raw="3,887", ambiguous=True, readings=(D("3.887"), D("3887"))
    )


def test_an_ambiguous_percent_keeps_both_the_percent_and_the_readings():
    assert parse_number("3,887%") == ParsedNumber(
        value=D("3.887"),
        raw="3,887%",
        percent=True,
        ambiguous=True,
        readings=(D("3.887"), D("3887")),
    )


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0,500", D("0.5")),  # a group never starts with 0, so it is a decimal
        ("1234,567", D("1234.567")),  # four digits before: not a group
        ("1,2345", D("1.2345")),  # four digits after: not a group
        ("1,23", D("1.23")),  # two digits after: not a group
        ("1.234.567", D("1234567")),  # two separators: grouping
        ("1,234,567", D("1234567")),  # two commas can only be US grouping
    ],
)
def test_a_separator_that_cannot_be_grouping_is_not_ambiguous(text, value):
    assert parse_number(text) == ParsedNumber(value=value, raw=text)


@pytest.mark.parametrize(("text", "value"), [("0.500", D("0.5")), ("0.250", D("0.25"))])
def test_a_dot_after_a_leading_zero_is_a_decimal_not_grouping(text, value):
    assert parse_number(text) == ParsedNumber(value=value, raw=text)


# --- parsing: refusals ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1..2",
        "1,2,3",
        "1.2.3",
        "1,,2",
        "12a",
        "1 2",
        "1  102",
        "1.23.456",
        "1,234.5.6",
        "--1",
        "-",
        "+",
        ",5",
        "5,",
        ".5",
        "5.",
        "5%%",
        "% 5",
        "1e5",
        "0x10",
        "một trăm",
    ],
)
def test_garbage_is_refused_with_a_vietnamese_message_quoting_the_text(text):
    with pytest.raises(NumberError) as raised:
        parse_number(text)
    assert str(raised.value) == f"«{text.strip()}» không phải là một số."


@pytest.mark.parametrize("text", ["", "   ", "%", " % ", "\n"])
def test_blank_text_is_refused_with_a_vietnamese_message(text):
    with pytest.raises(NumberError) as raised:
        parse_number(text)
    assert str(raised.value) == f"«{text.strip()}» không phải là một số."


@pytest.mark.parametrize(
    "text",
    [
        "1,abc",  # decimal.InvalidOperation
        "a.123",
        "1,-12",
        "1.00:",
        "nan.123",
        "1.2e3",  # accepted: ambiguous 12000 / 1200
        "1,2e3",  # accepted: ambiguous 1200 / 12000
        "2,0e1",  # accepted: ambiguous 20 / 200
        "1.E+5",  # accepted: 100000 both ways
        "1_0.123",  # accepted: Decimal allows underscores, 10123 / 10.123
    ],
)
def test_garbage_around_a_single_separator_is_refused_with_a_vietnamese_message(text):
    with pytest.raises(NumberError) as raised:
        parse_number(text)
    assert str(raised.value) == f"«{text}» không phải là một số."


# --- formatting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, "1.000"),
        (1102, "1.102"),
        (2715925699, "2.715.925.699"),
        (10**18, "1.000.000.000.000.000.000"),
        (-1234567, "-1.234.567"),
        (D("78.94"), "78,94"),
        (D("0.5"), "0,5"),
        (D("-0.5"), "-0,5"),
        (D("1234567.5"), "1.234.567,5"),
        (D("-1234567.5"), "-1.234.567,5"),
        (D("1.50"), "1,5"),  # trailing zeros dropped
        (D("100.00"), "100"),
        (D("1E+3"), "1.000"),
        (D("0.00"), "0"),
        (1.1, "1,1"),  # a float is formatted as it prints, not as its binary value
        (0.1, "0,1"),
    ],
)
def test_format_number_keeps_the_value_s_own_decimals(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (D("78.945"), 2, "78,95"),  # half up, not half even
        (D("78.955"), 2, "78,96"),
        (D("78.944"), 2, "78,94"),
        (D("2.5"), 0, "3"),
        (D("3.5"), 0, "4"),
        (D("-2.5"), 0, "-3"),  # half away from zero
        (D("-78.945"), 2, "-78,95"),
        (5, 2, "5,00"),
        (0, 2, "0,00"),
        (D("1234567.891"), 1, "1.234.567,9"),
        (D("999.995"), 2, "1.000,00"),
        (D("-0.001"), 2, "0,00"),  # no "-0,00"
        (D("-0.4"), 0, "0"),
    ],
)
def test_format_number_with_decimals_rounds_half_up(value, decimals, text):
    assert format_number(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("78.945"), "78,95%"),
        (D("78.95"), "78,95%"),
        (100, "100%"),
        (D("100.00"), "100%"),
        (D("50.5"), "50,5%"),
        (D("33.333333"), "33,33%"),
        (D("99.995"), "100%"),
        (D("0.004"), "0%"),
        (0, "0%"),
        (D("-5.555"), "-5,56%"),
        (D("1234.5"), "1.234,5%"),
    ],
)
def test_format_percent_rounds_to_two_decimals_and_drops_trailing_zeros(value, text):
    assert format_percent(value) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (D("12.345"), None, "12,345%"),
        (D("12.345"), 1, "12,3%"),
        (D("12.35"), 1, "12,4%"),
        (D("12.5"), 0, "13%"),
    ],
)
def test_format_percent_takes_other_decimals(value, decimals, text):
    assert format_percent(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "decimals"),
    [
        (D("78.94"), 2),
        (D("100"), 0),
        (D("0.500"), 3),
        (D("1E+2"), 0),
        (D("-1.5"), 1),
        (parse_number("78,94").value, 2),
        (parse_number("2.715.925.699").value, 0),
    ],
)
def test_decimals_of_counts_the_decimals_a_number_was_written_with(value, decimals):
    assert decimals_of(value) == decimals


# --- properties -------------------------------------------------------------------------


def vietnamese_reading(parsed: ParsedNumber) -> Decimal:
    """The Vietnamese reading, checked to be the first of the readings when ambiguous."""
    if parsed.ambiguous:
        assert parsed.readings[0] == parsed.value
    return parsed.value


@given(st.integers(min_value=-(10**18 - 1), max_value=10**18 - 1))  # MAX_WHOLE_DIGITS
def test_a_formatted_integer_reads_back_as_itself(n):
    assert vietnamese_reading(parse_number(format_number(n))) == n


two_decimals = st.decimals(
    min_value=-(10**15), max_value=10**15, places=2, allow_nan=False, allow_infinity=False
)


@given(two_decimals)
def test_a_formatted_two_decimal_number_reads_back_as_itself(x):
    assert vietnamese_reading(parse_number(format_number(x))) == x


@given(two_decimals)
def test_a_number_formatted_with_two_decimals_reads_back_as_itself(x):
    assert vietnamese_reading(parse_number(format_number(x, 2))) == x


@given(two_decimals)
def test_a_formatted_percent_reads_back_as_itself_with_the_percent_noted(x):
    parsed = parse_number(format_percent(x))
    assert (vietnamese_reading(parsed), parsed.percent) == (x, True)


# Signs, digits, separators and blanks in any order, with or without a percent sign: the
# texts people actually type, and every branch of the parser. Blank text is left to the
# test of blank text.
number_like = st.builds(
    lambda sign, body, percent: sign + body + percent,
    st.sampled_from(["", "-", "+", "\u2212", "- "]),
    st.text(alphabet="0123456789., \u00a0\u202f", max_size=20).filter(str.strip),
    st.sampled_from(["", "%", " %"]),
)


@given(number_like)
def test_parse_number_raises_nothing_but_number_error_on_number_like_text(text):
    try:
        parsed = parse_number(text)
    except NumberError:
        return
    assert parsed.raw == text
    assert parsed.ambiguous == (len(parsed.readings) == 2)


@example("")
@example("1.00:")
@given(st.text())
def test_parse_number_raises_nothing_but_number_error_on_any_text(text):
    with contextlib.suppress(NumberError):
        parse_number(text)


# Numbers of any length, as pasted from a spreadsheet: digits in groups of any size, with
# every separator, sign and percent.
long_number_like = st.builds(
    lambda sign, groups, sep, decimals, percent: sign + sep.join(groups) + decimals + percent,
    st.sampled_from(["", "-", "+"]),
    st.lists(st.text(alphabet="0123456789", min_size=1, max_size=40), min_size=1, max_size=12),
    st.sampled_from(["", ".", ",", " ", "\u00a0"]),
    st.sampled_from(["", ",5", ".25", ",000", ".999"]),
    st.sampled_from(["", "%"]),
)


@FUZZ
@given(long_number_like)
def test_a_number_of_any_length_is_read_or_is_a_number_error(text):
    try:
        parsed = parse_number(text)
    except NumberError:
        return
    assert parsed.value.is_finite() and all(r.is_finite() for r in parsed.readings)


# --- bounds: what a report can hold ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "12345678901234567890123456789",
            "«12345678901234567890123456789» có 29 chữ số phần nguyên",
        ),
        ("1.000.000.000.000.000.000", "«1.000.000.000.000.000.000» có 19 chữ số phần nguyên"),
        ("-9999999999999999999", "«-9999999999999999999» có 19 chữ số phần nguyên"),
        ("0,1234567890123456", "«0,1234567890123456» có 16 chữ số thập phân"),
        ("9" * 5000, "«999999999999999999999999 … 999999999999» dài 5.000 ký tự"),
    ],
)
def test_a_number_beyond_what_a_report_holds_is_refused_with_its_own_error(text, message):
    with pytest.raises(NumberTooLong) as caught:
        parse_number(text)
    assert str(caught.value) == (
        f"{message}, vượt giới hạn của một số liệu "
        "(tối đa 18 chữ số phần nguyên và 15 chữ số thập phân)"
    )


def test_the_largest_amount_and_the_finest_decimal_are_read() -> None:
    assert parse_number("999.999.999.999.999.999").value == D("999999999999999999")
    assert parse_number("78,947368421052631").value == D("78.947368421052631")
    assert MAX_WHOLE_DIGITS == 18


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (D("12345678901234567890123456789"), None, "12.345.678.901.234.567.890.123.456.789"),
        (D("12345678901234567890123456789"), 2, "12.345.678.901.234.567.890.123.456.789,00"),
        (D("649772573749187783690708252.1"), 4, "649.772.573.749.187.783.690.708.252,1000"),
        (D("1E+60"), None, "1 × 10^60"),
        (D("-1.23456789E+75"), 2, "-1,2346 × 10^75"),
        (D("Infinity"), None, "không xác định"),
    ],
)
def test_formatting_never_fails_whatever_the_magnitude(value, decimals, shown) -> None:
    assert format_number(value, decimals) == shown


def test_rounding_keeps_every_digit_of_a_large_figure() -> None:
    assert rounded(D("1234567890123456789012345678901.555"), 2) == D(
        "1234567890123456789012345678901.56"
    )
    assert json_float(D("1E+400")) is None
    assert json_float(D("78.9473684")) == 78.947368


@given(st.decimals(allow_nan=True, allow_infinity=True), st.none() | st.integers(0, 12))
def test_format_number_answers_any_decimal(value, decimals) -> None:
    assert isinstance(format_number(value, decimals), str)


def test_a_long_text_that_is_no_number_is_not_called_a_number_too_long() -> None:
    with pytest.raises(NumberError) as caught:
        parse_number("không có số liệu vì đơn vị chưa tổng hợp xong trong kỳ báo cáo này")
    assert type(caught.value) is NumberError
    assert str(caught.value) == "«không có số liệu vì đơn … báo cáo này» không phải là một số."
