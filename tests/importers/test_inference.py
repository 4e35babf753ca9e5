"""Inferring a template from a table of unknown design."""

from __future__ import annotations

import pytest

from cchc.bundled_templates import get_template
from cchc.importers.errors import ImportError_
from cchc.importers.inference import infer_template, parse_choices
from cchc.importers.report_file import import_report
from cchc.importers.seed_text import read_text_report
from tests.seeds import SEED_000, SEED_001


@pytest.mark.parametrize(
    ("unit", "choices"),
    [
        ("Có = 1; Không = 0", {1: "Có", 0: "Không"}),
        (
            "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2",
            {0: "Trực tuyến", 1: "Phát phiếu", 2: "Kết hợp"},
        ),
        ("Chưa có = 0 2 cấp = 1 3 cấp = 2", {0: "Chưa có", 1: "2 cấp", 2: "3 cấp"}),
        ("Văn bản", {}),
    ],
)
def test_coded_options_are_read_from_the_unit_text(unit, choices) -> None:
    assert parse_choices(unit) == choices


@pytest.mark.parametrize("seed", [SEED_000, SEED_001])
def test_rate_formulas_inferred_from_the_forms_equal_the_transcribed_ones(seed) -> None:
    """The `Tỷ lệ …` over `Tổng số …` / `Số …` heuristic reproduces every hand-written formula."""
    named = import_report(seed).template
    doc = read_text_report(seed.read_text(encoding="utf-8"), seed.name)
    inferred = infer_template(doc.tables)
    hand = {
        (f.label, i.code): i.formula.source.replace("[", "").replace("]", "")
        for f in named.forms
        for i in f.indicators
        if i.formula
    }
    guessed = {
        (f.label, i.code): i.formula.source.replace("[", "").replace("]", "")
        for f in inferred.forms
        for i in f.indicators
        if i.formula and (f.label, i.code) in hand
    }
    assert guessed == hand


def test_the_blank_forms_of_seed_000_are_recognised_as_the_commune_template() -> None:
    imported = import_report(SEED_000)
    assert (imported.template.id, imported.how, imported.values) == ("xa-2022", "auto", {})


def test_a_table_matching_no_registered_template_is_inferred_and_said_so(tmp_path) -> None:
    text = (
        "Bảng 1\nSố liệu của thôn\n\nSTT\tChỉ tiêu thống kê\tĐơn vị tính\tSố liệu\tGhi chú\n"
        "1.\tTỷ lệ hộ dùng nước sạch\t%\t50\t\n"
        "1.1.\tTổng số hộ\tHộ\t200\t\n"
        "1.2.\tSố hộ dùng nước sạch\tHộ\t120\t\n"
    )
    path = tmp_path / "thon.txt"
    path.write_text(text, encoding="utf-8")
    imported = import_report(path)
    form = imported.template.forms[0]
    assert (imported.how, form.get("1").formula.source) == ("inferred", "[1.2] / [1.1] * 100")
    assert get_template("xa-2022") is not imported.template


def test_a_table_longer_than_a_template_may_be_is_an_import_error_naming_the_file(
    tmp_path,
) -> None:
    rows = [f"{i}.\tSố hồ sơ loại {i}\tHồ sơ\t{i}" for i in range(1, 1102)]
    path = tmp_path / "dai.txt"
    path.write_text(
        "\n".join(["Phụ lục 2", "STT\tChỉ tiêu thống kê\tĐơn vị tính\tKết quả thống kê", *rows]),
        encoding="utf-8",
    )

    with pytest.raises(ImportError_) as caught:
        import_report(path, "infer")

    assert str(caught.value) == (
        f"{path}: không suy ra được mẫu từ bảng số liệu: "
        "forms[0].indicators: có 1.101 chỉ tiêu, quá giới hạn 1.000"
    )
