"""`cchc validate`, `import`, `render` on figures no report holds and on oversized files:
a finding and exit 0/1, or exit 2 with a message naming the file; never a traceback."""

from __future__ import annotations

import json

import pytest

from cchc.cli import main
from cchc.importers.safety import MAX_TEXT_BYTES
from tests.seeds import SEED_001

HUGE = "12345678901234567890123456789"
TOO_LONG = (
    "Phụ lục 2, chỉ tiêu 2.2 «Số nhiệm vụ đã hoàn thành»: «12345678901234567890123456789» "
    "có 29 chữ số phần nguyên, vượt giới hạn của một số liệu "
    "(tối đa 18 chữ số phần nguyên và 15 chữ số thập phân)."
)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _seed_with_huge_numerator(tmp_path):
    text = SEED_001.read_text(encoding="utf-8")
    row = "2.2\tSố nhiệm vụ đã hoàn thành\tNhiệm vụ\t15"
    assert row in text
    path = tmp_path / "bao-cao.txt"
    path.write_text(text.replace(row, row[:-2] + HUGE), encoding="utf-8")
    return path


@pytest.mark.parametrize("huge", [HUGE, int(HUGE)], ids=["text", "json-number"])
def test_validate_on_a_values_file_with_a_29_digit_numerator_gives_a_finding(
    capsys, tmp_path, huge
) -> None:
    path = tmp_path / "so-lieu.json"
    values = {"PL2": {"2.1": 19, "2.2": huge, "2": 78.94}}
    path.write_text(json.dumps({"template": "pl-2024", "values": values}), encoding="utf-8")
    code, out, _ = _run(capsys, "validate", str(path), "--json")
    data = json.loads(out)
    assert code == 1
    assert [(f["rule"], f["values"], f["message"]) for f in data["findings"]] == [
        ("number-too-long", {"2.2": HUGE}, TOO_LONG)
    ]
    assert data["computed"]["PL2"]["2"] is None


def test_validate_on_a_text_report_with_a_29_digit_numerator_gives_a_finding(
    capsys, tmp_path
) -> None:
    code, out, _ = _run(capsys, "validate", str(_seed_with_huge_numerator(tmp_path)))
    assert code == 1
    assert f"LỖI       [number-too-long] {TOO_LONG} (dòng 246)" in out.splitlines()


def test_a_report_with_a_29_digit_value_renders_it_as_written(capsys, tmp_path) -> None:
    from docx import Document

    out_file = tmp_path / "bao-cao.docx"
    code, _, _ = _run(
        capsys, "render", str(_seed_with_huge_numerator(tmp_path)), "-o", str(out_file)
    )
    assert code == 0
    cells = [c.text for t in Document(str(out_file)).tables for r in t.rows for c in r.cells]
    assert HUGE in cells


def test_numbers_beyond_any_float_or_int_in_a_values_file_are_findings(capsys, tmp_path) -> None:
    path = tmp_path / "so-lieu.json"
    path.write_text(
        '{"template": "pl-2024", "values": {"PL2": {"1": 1e400, "2.1": ' + "9" * 5000 + "}}}",
        encoding="utf-8",
    )
    code, out, _ = _run(capsys, "validate", str(path), "--json")
    assert code == 1
    assert [(f["rule"], f["codes"]) for f in json.loads(out)["findings"]] == [
        ("unreadable-value", ["1"]),
        ("number-too-long", ["2.1"]),
    ]


@pytest.mark.parametrize("command", ["import", "validate", "render"])
def test_an_oversized_text_report_is_refused_with_exit_2_naming_file_and_limit(
    capsys, tmp_path, command
) -> None:
    path = tmp_path / "qua-lon.txt"
    seed = SEED_001.read_bytes()
    path.write_bytes(seed + b"x" * (MAX_TEXT_BYTES + 1024 * 1024 - len(seed)))  # 6 MB
    extra = ["-o", str(tmp_path / "ra.docx")] if command == "render" else []
    code, out, err = _run(capsys, command, str(path), *extra)
    assert (code, out) == (2, "")
    assert err.strip() == f"Lỗi: {path}: tệp quá lớn (6 MB); cchc chỉ nhận tệp đến 5 MB."


def test_an_oversized_values_file_is_refused_with_exit_2(capsys, tmp_path) -> None:
    path = tmp_path / "so-lieu.json"
    path.write_text('{"template": "pl-2024", "values": {}, "x": "' + "x" * MAX_TEXT_BYTES + '"}')
    code, _, err = _run(capsys, "validate", str(path))
    assert code == 2
    assert "tệp quá lớn" in err and str(path) in err


def test_a_text_report_holding_control_characters_renders_to_excel_without_them(
    capsys, tmp_path
) -> None:
    suffix = "xlsx"  # the Word writer always left them out
    text = SEED_001.read_text(encoding="utf-8")
    row = "2.2\tSố nhiệm vụ đã hoàn thành\tNhiệm vụ\t15"
    path = tmp_path / "bao-cao.txt"
    path.write_text(text.replace(row, row[:-2] + "1\x005\x0b"), encoding="utf-8")
    out_file = tmp_path / f"bao-cao.{suffix}"
    code, out, _ = _run(capsys, "render", str(path), "-o", str(out_file))
    assert code == 0
    assert out.startswith(f"Đã ghi {out_file}")
