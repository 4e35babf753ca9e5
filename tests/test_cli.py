"""The `cchc` command: output, JSON schema, round trip and exit status."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cchc.cli import main
from tests.seeds import SEED_001, SEED_002


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_json_on_seed_001_reports_its_findings_and_exits_1(capsys) -> None:
    code, out, _ = run(capsys, "validate", str(SEED_001), "--json")
    data = json.loads(out)
    assert code == 1
    assert data["template"] == {"id": "pl-2024", "how": "auto", "score": 1.0}
    assert (data["unit"], data["period"]) == ("UBND xã Hương Sơn", "2024-H1")
    assert data["summary"] == {"error": 1, "warning": 4, "info": 0}
    assert [(f["rule"], f["form"], f["codes"]) for f in data["findings"]] == [
        ("rate-rounding", "PL2", ["2", "2.2", "2.1"]),
        ("ambiguous-number", "PL7", ["1.1"]),
        ("ambiguous-number", "PL7", ["1.2"]),
        ("choice-out-of-range", "PL8", ["2"]),
        # the narrative's "15/19 nhiệm vụ … (đạt 78,94%)", checked with the tables
        ("narrative-rate-rounding", "", []),
    ]
    assert set(data["findings"][0]) == {
        "rule",
        "severity",
        "form",
        "codes",
        "labels",
        "values",
        "message",
        "line",
    }


def test_the_coded_answer_outside_its_options_is_explained_in_vietnamese(capsys) -> None:
    _, out, _ = run(capsys, "validate", str(SEED_001), "--json")
    finding = next(f for f in json.loads(out)["findings"] if f["rule"] == "choice-out-of-range")
    assert finding["message"] == (
        "Phụ lục 8, chỉ tiêu 2 «Xây dựng và vận hành Hệ thống họp trực tuyến»: "
        "giá trị 3 không có trong "
        "danh sách lựa chọn (Chưa có = 0; 2 cấp = 1; 3 cấp = 2)."
    )
    assert (finding["values"], finding["line"]) == ({"2": 3}, 417)


@pytest.mark.parametrize("seed", [SEED_001, SEED_002])
def test_import_json_fed_back_to_validate_gives_the_same_findings(capsys, tmp_path, seed) -> None:
    _, direct, _ = run(capsys, "validate", str(seed), "--json")
    code, imported, _ = run(capsys, "import", str(seed), "--json")
    values_file = tmp_path / "values.json"
    values_file.write_text(imported, encoding="utf-8")
    _, again, _ = run(capsys, "validate", str(values_file), "--json")
    assert code == 0
    assert json.loads(again)["findings"] == json.loads(direct)["findings"]


def test_an_inferred_template_travels_with_the_values_file(capsys, tmp_path) -> None:
    _, imported, _ = run(capsys, "import", str(SEED_002), "--template", "infer", "--json")
    data = json.loads(imported)
    assert data["template_how"] == "inferred" and data["template_data"]["forms"][0]["code"] == "B1"
    values_file = tmp_path / "values.json"
    values_file.write_text(imported, encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(values_file))
    assert code == 1 and "b1-7.3-ty-le-cong-lai" in out


def test_import_json_keeps_header_facts_narrative_and_provenance(capsys) -> None:
    _, out, _ = run(capsys, "import", str(SEED_001), "--json")
    data = json.loads(out)
    assert data["header"] | {"summary": ""} == {
        "governing_body": "",
        "issuing_body": "",
        "number": "341",
        "symbol": "BC-UBND",
        "place": "Hương Sơn",
        "date": "2024-06-10",
        "doc_type": "BÁO CÁO",
        "summary": "",
        "recipients": ["Ủy ban nhân dân huyện Nam Đông"],
        "signing_authority": ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        "signer": "Hồ Thanh Nghi",
        "distribution": [
            "Nhu trên",
            "Phòng Nội vụ huyện",
            "CT, PCT UBND xã",
            "Các bộ phận chuyên môn UBND xã",
            "Lưu: VT",
        ],
    }
    assert [s["code"] for s in data["narrative"] if s["level"] == 1] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
    ]
    assert data["values"]["PL7"] == {
        "1": 100,
        "1.1": "3,887",
        "1.2": "3,887",
    }  # ambiguous stays text
    assert data["provenance"]["PL2"]["2"] == {
        "file": SEED_001.name,
        "line": 244,
        "stt": "2.",
        "raw": "78,94%",
        "name": "Tỷ lệ hoàn thành Kế hoạch CCHC năm (Lũy kế đến thời điểm báo cáo)",
    }


def test_a_missing_file_is_unreadable_input_with_exit_2(capsys, tmp_path) -> None:
    missing = tmp_path / "khong-co.txt"
    code, _, err = run(capsys, "validate", str(missing))
    assert code == 2 and str(missing) in err and "không mở được tệp" in err


def test_a_binary_file_is_refused_with_exit_2(capsys, tmp_path) -> None:
    path = tmp_path / "bao-cao.txt"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    code, _, err = run(capsys, "import", str(path))
    assert code == 2 and "không phải tệp văn bản" in err


def test_a_text_file_that_is_not_utf8_names_its_line(capsys, tmp_path) -> None:
    path = tmp_path / "bao-cao.txt"
    path.write_bytes(
        "dòng một\ndòng hai\n".encode()
        + "Kết quả".encode("windows-1252", errors="replace")
        + b"\xe2\x80"
    )
    code, _, err = run(capsys, "import", str(path))
    assert (code, err.strip()) == (2, f"Lỗi: {path}, dòng 3: không phải văn bản UTF-8.")


def test_a_report_without_tables_is_unreadable(capsys, tmp_path) -> None:
    path = tmp_path / "bao-cao.txt"
    path.write_text("BÁO CÁO\nKhông có bảng.\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2 and "không tìm thấy bảng số liệu" in err


def test_a_prose_only_report_is_read_and_its_figures_checked(capsys, tmp_path) -> None:
    path = tmp_path / "tin-bai.txt"
    path.write_text(
        "Tiếp nhận 12.480 hồ sơ; đã giải quyết 12.100, trong đó đúng hạn 11.950 (98,76%), "
        "quá hạn 160; đang giải quyết 380\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 1
    assert out.splitlines()[1:] == [
        "Mẫu: không có (văn bản không có bảng số liệu; kiểm tra các con số trong nội dung)",
        "",
        "LỖI       [narrative-parts-sum] Phần mở đầu: «Tiếp nhận 12.480 hồ sơ; đã giải quyết "
        "12.100, trong đó đúng hạn 11.950 (98,76%), quá hạn 160; đang giải quyết 380» — các phần "
        "11.950 + 160 = 12.110, không bằng tổng 12.100 nêu cùng câu (các phần này phải cộng "
        "đúng bằng tổng). (dòng 1)",
        "",
        "Tổng cộng: 1 lỗi, 0 cảnh báo, 0 thông tin.",
    ]


def test_a_consistent_prose_only_report_exits_0(capsys, tmp_path) -> None:
    path = tmp_path / "tin-bai.txt"
    path.write_text(
        "Tiếp nhận 12.480 hồ sơ; đã giải quyết 12.100, trong đó đúng hạn 11.940 (98,68%), "
        "quá hạn 160; đang giải quyết 380\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(path), "--json")
    data = json.loads(out)
    assert (code, data["template"], data["findings"]) == (
        0,
        {"id": None, "how": "none", "score": None},
        [],
    )


def test_a_word_report_has_its_narrative_checked_with_its_table(capsys, tmp_path) -> None:
    docx = tmp_path / "ha-vinh.docx"
    run(capsys, "render", str(SEED_002), "-o", str(docx))
    code, out, _ = run(capsys, "validate", str(docx), "--json")
    rules = [f["rule"] for f in json.loads(out)["findings"] if f["rule"].startswith("narrative")]
    assert (code, rules) == (1, ["narrative-count-conflict", "narrative-period"])


def test_a_broken_values_file_names_its_line(capsys, tmp_path) -> None:
    path = tmp_path / "values.json"
    path.write_text('{\n  "template": "pl-2024",\n  "values": {,}\n}', encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2 and f"{path}, dòng 3: JSON không hợp lệ" in err


def test_a_values_file_with_an_unknown_template_is_refused(capsys, tmp_path) -> None:
    path = tmp_path / "values.json"
    path.write_text('{"template": "khong-co", "values": {}}', encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2 and "Không có mẫu báo cáo «khong-co»" in err


def test_a_values_file_with_an_unknown_indicator_is_an_error_finding(capsys, tmp_path) -> None:
    path = tmp_path / "values.json"
    path.write_text(
        '{"template": "pl-2024", "values": {"PL2": {"9.9": 1, "2.1": 19, "2.2": 15}}}',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "validate", str(path), "--json")
    assert code == 1
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["unknown-indicator"]


def test_an_explicit_template_id_is_used(capsys) -> None:
    code, out, _ = run(capsys, "import", str(SEED_001), "--template", "pl-2024")
    assert code == 0 and "Mẫu: pl-2024 (chỉ định" in out


def test_an_unknown_template_id_is_refused(capsys) -> None:
    code, _, err = run(capsys, "import", str(SEED_001), "--template", "khong-co")
    assert code == 2 and "Không có mẫu báo cáo «khong-co»" in err


def test_templates_list_names_every_registered_template(capsys) -> None:
    code, out, _ = run(capsys, "templates", "list", "--json")
    assert code == 0
    assert [t["id"] for t in json.loads(out)] == ["ha-trung-9t-2022", "pl-2024", "xa-2022"]


def test_templates_show_prints_roles_outline_forms_and_the_example_round(capsys) -> None:
    code, out, _ = run(capsys, "templates", "show", "xa-2022")
    assert code == 0
    assert (
        "Biểu mẫu 1 (BM1): Công tác chỉ đạo điều hành CCHC  [Công chức Văn phòng - Thống kê" in out
    )
    assert "= 2.2 / 2.1 * 100" in out
    assert "chốt số liệu 10/12/2021 → 09/06/2022; hạn nộp 10:00 ngày 09/06/2022" in out
    assert "không để đủ 01 ngày làm việc" in out


def test_templates_check_reports_every_problem_with_its_line(capsys, tmp_path) -> None:
    path = tmp_path / "mau.yaml"
    path.write_text(
        "id: thu\ntitle: Thử\nlevels: [xa]\nforms:\n  - code: B1\n"
        "    title: Bảng\n    indicators:\n"
        "      - {code: '1', name: Tỷ lệ, unit: '%', formula: '1.2 / 1.1 *'}\n"
        "      - {code: '1.1', name: Tổng, unit: Hồ sơ, kindd: count}\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "templates", "check", str(path))
    assert code == 2
    assert "mau.yaml, dòng 8 (forms[0].indicators[0].formula): Biểu thức «1.2 / 1.1 *»" in err
    assert "mau.yaml, dòng 9 (forms[0].indicators[1].kindd): khóa không được hỗ trợ «kindd»" in err


def test_templates_check_accepts_a_registered_file(capsys) -> None:
    from cchc.bundled_templates import TEMPLATE_DIR

    code, out, _ = run(capsys, "templates", "check", str(TEMPLATE_DIR / "pl-2024.yaml"))
    assert code == 0 and "mẫu «pl-2024» hợp lệ" in out


def test_demo_validates_the_bundled_reports(capsys) -> None:
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert "Mẫu: pl-2024" in out and "Mẫu: ha-trung-9t-2022" in out


def test_the_console_script_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cchc.cli", "templates", "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and "xa-2022" in done.stdout
