"""The split of a report's work by duty, and internal deadlines (cchc/core/work_split.py)."""

from __future__ import annotations

from datetime import datetime

import pytest

from cchc.bundled_templates import get_template
from cchc.core.work_split import DutySplit, Part, parse_due, parts_of, split_by_duty


def test_seed_000s_split_gives_each_civil_servant_the_parts_of_their_field() -> None:
    parts = parts_of(get_template("xa-2022"))
    holders = {
        "vp-noi-vu": ["Hoa"],
        "vp-ubnd": ["Bình"],
        "tu-phap": ["Lan"],
        "tai-chinh": ["Minh"],
        "van-hoa-xh": ["Sơn"],
    }
    split = split_by_duty(parts, holders)
    forms = {code: who for (kind, code), who in split.given.items() if kind == "form"}
    # The directive: forms 1, 4 and 5 to Văn phòng (Nội vụ), 3 to Văn phòng (UBND),
    # 2 to Tư pháp, 6 to Tài chính, 7 to Văn hóa - xã hội.
    assert forms == {
        "BM1": "Hoa",
        "BM2": "Lan",
        "BM3": "Bình",
        "BM4": "Hoa",
        "BM5": "Hoa",
        "BM6": "Minh",
        "BM7": "Sơn",
    }
    sections = {code for (kind, code), who in split.given.items() if who == "Hoa"}
    assert {"I", "II.3", "II.4", "III", "IV", "V"} <= sections
    assert split.given[("section", "I.5")] == "Bình"  # the district's tasks: HĐND - UBND
    assert split.given[("section", "II.1")] == "Lan"
    # part II itself names no duty: its items do
    assert split.no_duty == (Part("section", "II", None),)
    assert split.nobody == split.shared == ()
    assert len(split.given) == len(parts) - 1


def test_a_duty_nobody_holds_or_several_hold_is_left_for_a_person_to_decide() -> None:
    parts = [Part("form", "BM1", "vp-noi-vu"), Part("form", "BM2", "tu-phap")]
    split = split_by_duty(parts, {"vp-noi-vu": ["Hoa", "Thu"]})
    assert split == DutySplit(
        given={}, nobody=(Part("form", "BM2", "tu-phap"),), shared=(parts[0],)
    )


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("10:00 09/06/2026", datetime(2026, 6, 9, 10, 0)),
        ("  10:00   09/06/2026 ", datetime(2026, 6, 9, 10, 0)),
        ("9:5 9/6/2026", datetime(2026, 6, 9, 9, 5)),
        ("09/06/2026", datetime(2026, 6, 9, 17, 0)),  # a day alone: its office hours' end
        ("", None),
    ],
)
def test_an_internal_deadline_is_read_the_vietnamese_way(text, due) -> None:
    assert parse_due(text) == due


@pytest.mark.parametrize("text", ["2026-06-09 10:00", "10h 09/06/2026", "31/02/2026", "mai"])
def test_an_unreadable_internal_deadline_is_refused_with_an_example(text) -> None:
    with pytest.raises(ValueError) as refused:
        parse_due(text)
    assert str(refused.value) == (
        f"Hạn nội bộ «{text}» không đúng dạng giờ:phút ngày/tháng/năm (ví dụ 10:00 09/06/2026)."
    )
