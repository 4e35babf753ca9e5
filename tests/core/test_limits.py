"""What one value, note or section text may hold (cchc/core/limits.py)."""

from __future__ import annotations

import pytest

from cchc.core.limits import (
    MAX_RAW_CHARS,
    strip_control,
    text_problem,
    value_problem,
)
from cchc.core.templates import Indicator, Kind

COUNT = Indicator(code="2.2", name="Số nhiệm vụ đã hoàn thành", measure="Nhiệm vụ", kind=Kind.COUNT)
TEXT = Indicator(code="9", name="Hình thức khác", kind=Kind.TEXT)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("bình thường\ttab\nxuống dòng\r\n", None),
        (
            "a\x00b",
            "Ghi chú có ký tự rỗng (NUL) (mã 0) ở vị trí 2; cchc không lưu ký tự này, "
            "hãy gõ lại hoặc dán từ văn bản thường.",
        ),
        (
            "\x0b",
            "Ghi chú có ký tự điều khiển (mã 11) ở vị trí 1; cchc không lưu ký tự này, "
            "hãy gõ lại hoặc dán từ văn bản thường.",
        ),
        ("x" * 11, "Ghi chú dài 11 ký tự, vượt giới hạn 10 ký tự."),
    ],
)
def test_a_text_is_refused_for_control_characters_or_length(text, problem) -> None:
    assert text_problem(text, limit=10 if len(text) == 11 else 100, what="Ghi chú") == problem


@pytest.mark.parametrize(
    ("ind", "raw", "refused"),
    [
        (COUNT, "999.999.999.999.999.999", False),
        (COUNT, "1.000.000.000.000.000.000", True),
        (COUNT, "3,887", False),  # doubtful, not impossible: validation asks a person
        (COUNT, "không rõ", False),  # unreadable: saved, and reported by validation
        (TEXT, "1" * 40, False),  # a text answer is no number
        (TEXT, "x" * (MAX_RAW_CHARS + 1), True),
    ],
)
def test_only_values_no_report_could_mean_are_refused(ind, raw, refused) -> None:
    assert (value_problem(ind, raw, what="Giá trị") is not None) == refused


def test_control_characters_stored_earlier_are_left_out_of_documents() -> None:
    assert strip_control("ghi\x00chú\x0b cũ\n") == "ghichú cũ\n"
