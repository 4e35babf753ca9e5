"""`cchc` command line: import, validate, render here; templates, drafts and the web
commands in `cli_templates`, `cli_drafts` and `cli_web`.

A thin shell: every command calls one core or importer function and prints
its result, in Vietnamese for people or as JSON (`--json`) for programs.
Exit status: 0 no error-level finding, 1 errors found, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cchc.cli_drafts import add_draft_parser
from cchc.cli_shared import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, InputError
from cchc.cli_shared import print_json as _print_json
from cchc.cli_templates import cmd_templates_check, cmd_templates_list, cmd_templates_show
from cchc.cli_web import (
    cmd_backup,
    cmd_compare,
    cmd_consolidate,
    cmd_manage,
    cmd_restore,
    cmd_serve,
)
from cchc.core.limits import printable_content
from cchc.core.narrative import check_report_narrative
from cchc.core.numbers import format_number, json_float
from cchc.core.report import ReportContent
from cchc.core.report import values_document as report_values_document
from cchc.core.templates import ReportTemplate, Severity, build_template
from cchc.core.validation import Finding, ValidationResult, validate_report
from cchc.core.values import ReportValues
from cchc.importers.reports import (
    ImportError_,
    ImportResult,
    NoTablesError,
    import_report,
    narrative_parts,
    period_key,
    report_content,
)
from cchc.importers.safety import MAX_TEXT_BYTES, UnsafeFileError, check_upload_size
from cchc.templates import get_template

SAMPLES = Path(__file__).parent / "samples" / "seeds"
_SEVERITY_LABEL = {Severity.ERROR: "LỖI", Severity.WARNING: "CẢNH BÁO", Severity.INFO: "THÔNG TIN"}
_HOW_LABEL = {"named": "chỉ định", "auto": "tự chọn", "inferred": "suy ra từ bảng"}


# ---------------------------------------------------------------- import


def _import(path: str, template: str, prose_ok: bool = False) -> ImportResult:
    try:
        return import_report(path, template)
    except NoTablesError:
        if prose_ok:
            raise
        raise InputError(str(sys.exc_info()[1])) from None
    except ImportError_ as exc:
        raise InputError(str(exc)) from exc
    except KeyError as exc:
        raise InputError(exc.args[0]) from exc


def values_document(result: ImportResult) -> dict[str, Any]:
    """The values file `cchc import --json` prints and `cchc validate` reads back."""
    tables = [
        {"label": tb.label, "title": tb.title, "line": tb.line, "rows": len(tb.rows)}
        for tb in result.document.tables
    ]
    return report_values_document(
        report_content(result),
        result.template,
        how=result.how,
        findings=result.findings,
        template_data=result.template_data,
        tables=tables,
    )


def cmd_import(args: argparse.Namespace) -> int:
    result = _import(args.file, args.template)
    if args.json:
        _print_json(values_document(result))
        return EXIT_OK
    doc, h = result.document, result.document.header
    print(f"Tệp: {args.file}")
    print(_template_line(result.template, result.how, result.score))
    for label, value in (
        ("Cơ quan ban hành", h.issuing_body),
        ("Số, ký hiệu", f"{h.number}/{h.symbol}" if h.symbol else ""),
        ("Địa danh, ngày", f"{h.place}, {h.date:%d/%m/%Y}" if h.date else ""),
        ("Loại văn bản", h.doc_type),
        ("Trích yếu", h.summary),
        ("Kính gửi", "; ".join(h.recipients)),
        ("Đơn vị báo cáo", h.unit),
        ("Kỳ báo cáo", period_key(doc)),
        ("Người ký", " / ".join([*h.signing_authority, h.signer]) if h.signer else ""),
        ("Nơi nhận", "; ".join(h.distribution)),
    ):
        if value:
            print(f"{label}: {value}")
    print(f"Đề cương: {len([s for s in doc.narrative if s.code])} mục có nội dung")
    for form_code, form_values in result.values.items():
        form = result.template.form(form_code)
        print(f"\n{form.label if form else form_code}: {len(form_values)} giá trị")
        for code, entry in form_values.items():
            line = entry.source.line if entry.source else ""
            print(f"  {code:<10} {entry.raw:<12} (dòng {line})")
    _print_findings(result.findings)
    return EXIT_OK


def _template_line(t: ReportTemplate, how: str, score: float | None) -> str:
    match = f", khớp {format_number(round(score * 100, 1))}% số dòng" if score is not None else ""
    return f"Mẫu: {t.id} ({_HOW_LABEL.get(how, how)}{match}) — {t.title}"


# ---------------------------------------------------------------- validate


def _json_int(digits: str) -> int | str:
    """A whole number from a values file; one too long for Python to read as an int
    (over 4.300 digits) stays as written, to be reported by validation."""
    return int(digits) if len(digits) <= 64 else digits


def _read_values_file(
    path: str,
) -> tuple[ReportTemplate, ReportValues, list[Finding], dict[str, Any]]:
    p = Path(path)
    try:
        check_upload_size(p.stat().st_size, str(p), limit=MAX_TEXT_BYTES)
        data = json.loads(p.read_text(encoding="utf-8"), parse_int=_json_int)
    except UnsafeFileError as exc:
        raise InputError(str(exc)) from exc
    except OSError as exc:
        raise InputError(f"{p}: không mở được tệp ({exc.strerror or exc}).") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: không phải văn bản UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}, dòng {exc.lineno}: JSON không hợp lệ ({exc.msg}).") from exc
    except RecursionError as exc:  # thousands of nested `[`: the decoder refuses, not crashes
        raise InputError(f"{p}: JSON lồng quá sâu.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        raise InputError(f"{p}: thiếu khóa «values» (bảng biểu → mã chỉ tiêu → giá trị).")
    if isinstance(data.get("template_data"), dict):
        try:
            template = build_template(data["template_data"], source=p.name)
        except ValueError as exc:
            raise InputError(f"{p}: «template_data» không hợp lệ: {exc}") from exc
    else:
        try:
            template = get_template(str(data.get("template", "")))
        except KeyError as exc:
            raise InputError(f"{p}: {exc.args[0]}") from exc
    for form_code, form_values in data["values"].items():
        if not isinstance(form_values, dict):
            raise InputError(f"{p}: «values.{form_code}» phải là bảng mã chỉ tiêu → giá trị.")
        for code, value in form_values.items():
            if isinstance(value, dict | list):
                raise InputError(f"{p}: giá trị «values.{form_code}.{code}» phải là số hoặc chuỗi.")
    try:
        values = ReportContent.from_values_document(data, p.name).values
    except (TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{p}: tệp số liệu không đúng cấu trúc ({exc}).") from exc
    extra = [
        _finding_from_json(f) for f in data.get("import_findings") or [] if isinstance(f, dict)
    ]
    return template, values, extra, data


def _finding_from_json(d: dict[str, Any]) -> Finding:
    return Finding(
        rule=str(d.get("rule", "")),
        severity=Severity(d.get("severity", "info")),
        message=str(d.get("message", "")),
        form=str(d.get("form", "")),
        codes=tuple(d.get("codes") or ()),
        labels=tuple(d.get("labels") or ()),
        values=d.get("values") or {},
        line=d.get("line"),
    )


def _is_json_file(path: str) -> bool:
    if path.lower().endswith(".json"):
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(64).lstrip().startswith(b"{")
    except OSError:
        return False


def cmd_validate(args: argparse.Namespace) -> int:
    if _is_json_file(args.file):
        template, values, extra, data = _read_values_file(args.file)
        how, score = data.get("template_how", "named"), None
        unit, period = data.get("unit", ""), data.get("period", "")
        content = ReportContent.from_values_document(data, Path(args.file).name)
    else:
        try:
            imported = _import(args.file, args.template, prose_ok=True)
        except NoTablesError as exc:
            return _validate_prose(args, exc)
        template, values, extra = imported.template, imported.values, imported.findings
        how, score = imported.how, imported.score
        unit, period = imported.document.header.unit, period_key(imported.document)
        content = report_content(imported)
    result = validate_report(template, values, extra)
    result.findings.extend(check_report_narrative(content, template, result.values).findings)
    _print_validation(args, template, how, score, unit, period, result)
    return EXIT_ERRORS if result.errors else EXIT_OK


def _validate_prose(args: argparse.Namespace, exc: NoTablesError) -> int:
    """A report with no table (a prose summary): its figures are read and checked alone."""
    doc = exc.document
    content = ReportContent(
        template_id="",
        values={},
        unit=doc.header.unit,
        period=period_key(doc),
        narrative=narrative_parts(doc),
    )
    narrative = check_report_narrative(content)
    if not narrative.facts:
        raise InputError(f"{str(exc).rstrip('.')}; nội dung cũng không có con số nào để kiểm tra.")
    result = ValidationResult(narrative.findings, {}, {})
    _print_validation(args, None, "none", None, content.unit, content.period, result)
    return EXIT_ERRORS if result.errors else EXIT_OK


def _print_validation(
    args: argparse.Namespace,
    template: ReportTemplate | None,
    how: str,
    score: float | None,
    unit: str,
    period: str,
    result: ValidationResult,
) -> None:
    if args.json:
        _print_json(validation_document(args.file, template, how, score, unit, period, result))
        return
    print(f"Tệp: {args.file}")
    if template is None:
        print("Mẫu: không có (văn bản không có bảng số liệu; kiểm tra các con số trong nội dung)")
    else:
        print(_template_line(template, how, score))
    if unit or period:
        print(f"Đơn vị: {unit or '—'}; kỳ: {period or '—'}")
    _print_findings(result.findings)


def validation_document(
    file: str,
    template: ReportTemplate | None,
    how: str,
    score: float | None,
    unit: str,
    period: str,
    result: ValidationResult,
) -> dict[str, Any]:
    computed: dict[str, dict[str, Any]] = {}
    for (form, code), value in result.computed.items():
        computed.setdefault(form, {})[code] = None if value is None else json_float(value)
    return {
        "file": file,
        "template": {"id": template.id if template else None, "how": how, "score": score},
        "unit": unit,
        "period": period,
        "summary": {s.value: result.count(s) for s in Severity},
        "findings": [f.to_json() for f in result.findings],
        "computed": computed,
    }


def _print_findings(findings: list[Finding]) -> None:
    if not findings:
        print("\nKhông phát hiện sai sót nào.")
        return
    print()
    for f in findings:
        where = f" (dòng {f.line})" if f.line else ""
        print(f"{_SEVERITY_LABEL[f.severity]:<9} [{f.rule}] {f.message}{where}")
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    print(
        f"\nTổng cộng: {counts[Severity.ERROR]} lỗi, {counts[Severity.WARNING]} cảnh báo, "
        f"{counts[Severity.INFO]} thông tin."
    )


def cmd_demo(args: argparse.Namespace) -> int:
    """Validate the bundled sample reports, as a first look at what cchc does."""
    for path in sorted(SAMPLES.glob("00[12]_*.txt")):
        print("=" * 78)
        cmd_validate(argparse.Namespace(file=str(path), template="auto", json=False))
    return EXIT_OK


# ---------------------------------------------------------------- render

_KIND_LABEL = {"docx": "Word", "xlsx": "Excel", "pdf": "PDF"}


def _content_for_render(path: str, template: str) -> tuple[ReportTemplate, ReportContent]:
    """The report to write: from a values file (`cchc.values/1`) or read from a report,
    without control characters (a pasted text may hold some; Excel refuses them)."""
    if _is_json_file(path):
        report_template, _, _, data = _read_values_file(path)
        content = ReportContent.from_values_document(data, Path(path).name)
        content.template_id = report_template.id
        return report_template, printable_content(content)
    result = _import(path, template)
    return result.template, printable_content(report_content(result))


def cmd_render(args: argparse.Namespace) -> int:
    """Write a report as Word (Decree 30 layout), Excel or PDF; OUT's extension decides."""
    from cchc.documents import writer_for

    out = Path(args.output)
    try:
        writer = writer_for(out.suffix)
    except ValueError as exc:
        raise InputError(f"{out}: {exc}") from exc
    report_template, content = _content_for_render(args.file, args.template)
    try:
        data = writer.render(report_template, content)
    except (RuntimeError, ValueError) as exc:  # PdfError: LibreOffice missing or failing
        raise InputError(str(exc)) from exc
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise InputError(f"{out}: không ghi được tệp ({exc.strerror or exc}).") from exc
    size = format_number(round(len(data) / 1024))
    print(f"Đã ghi {out} ({_KIND_LABEL.get(writer.identifier, writer.extension)}, {size} KB).")
    return EXIT_OK


# ---------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cchc", description="Báo cáo cải cách hành chính định kỳ."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    templates = sub.add_parser("templates", help="mẫu báo cáo").add_subparsers(
        dest="action", required=True
    )
    p = templates.add_parser("list", help="liệt kê các mẫu đã đăng ký")
    p.add_argument("--json", action="store_true", help="in JSON")
    p.set_defaults(func=cmd_templates_list)
    p = templates.add_parser("show", help="xem một mẫu: đề cương, biểu, chỉ tiêu, quy tắc")
    p.add_argument("id")
    p.set_defaults(func=cmd_templates_show)
    p = templates.add_parser("check", help="kiểm tra một tệp mẫu YAML")
    p.add_argument("file")
    p.set_defaults(func=cmd_templates_check)

    for name, func, help_text in (
        ("import", cmd_import, "đọc một báo cáo: thông tin văn bản, đề cương, số liệu"),
        (
            "validate",
            cmd_validate,
            "kiểm tra số liệu một báo cáo (tệp văn bản hoặc tệp số liệu JSON)",
        ),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("file")
        p.add_argument(
            "--template",
            default="auto",
            help="mã mẫu, «auto» (tự chọn mẫu khớp nhất, không có thì suy ra) hoặc «infer»",
        )
        p.add_argument("--json", action="store_true", help="in JSON")
        p.set_defaults(func=func)

    add_draft_parser(sub)

    p = sub.add_parser("demo", help="kiểm tra các báo cáo mẫu đi kèm")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "render", help="xuất báo cáo ra Word (thể thức Nghị định 30/2020), Excel hoặc PDF"
    )
    p.add_argument("file", help="báo cáo (.txt, .docx, .xlsx) hoặc tệp số liệu JSON")
    p.add_argument(
        "-o", "--output", required=True, help="tệp ghi ra; đuôi .docx, .xlsx hoặc .pdf quyết định"
    )
    p.add_argument(
        "--template",
        default="auto",
        help="mã mẫu, «auto» (tự chọn mẫu khớp nhất, không có thì suy ra) hoặc «infer»",
    )
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("serve", help="chạy ứng dụng web (tạo cơ sở dữ liệu và dữ liệu mẫu lần đầu)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-demo", action="store_true", help="không tạo dữ liệu mẫu")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("consolidate", help="tổng hợp số liệu một đợt báo cáo (như trang Tổng hợp)")
    p.add_argument("round", nargs="?", type=int, help="số đợt báo cáo; bỏ trống để liệt kê các đợt")
    p.add_argument("--json", action="store_true", help="in JSON")
    p.add_argument(
        "-o", "--output", help="ghi ra tệp .csv, .xlsx, hoặc báo cáo tổng hợp Word .docx"
    )
    p.set_defaults(func=cmd_consolidate)

    p = sub.add_parser("compare", help="so sánh một đợt báo cáo (như trang So sánh)")
    p.add_argument("round", type=int, help="số đợt báo cáo (xem: cchc consolidate)")
    p.add_argument("--indicator", help="chỉ tiêu BIỂU.MÃ, ví dụ BM1.2; mặc định tỷ lệ đầu tiên")
    p.add_argument("--unit", help="mã đơn vị để xem xu hướng; mặc định đơn vị đứng đầu")
    p.add_argument("--json", action="store_true", help="in JSON")
    p.add_argument("-o", "--output", help="ghi một bảng ra tệp .csv hoặc .xlsx")
    p.add_argument(
        "--table",
        choices=["xep-hang", "canh-bao", "xu-huong"],
        default="xep-hang",
        help="bảng ghi ra tệp: xếp hạng, cần xem lại, xu hướng",
    )
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu web (kể cả khi đang chạy)")
    p.add_argument("file", help="tệp sao lưu mới (không ghi đè tệp đã có)")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="khôi phục cơ sở dữ liệu web từ một bản sao lưu")
    p.add_argument("file", help="tệp do «cchc backup» ghi")
    p.add_argument("--yes", action="store_true", help="không hỏi lại khi thay dữ liệu đang có")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "manage", help="lệnh quản trị Django (migrate, load_units, createsuperuser …)"
    )
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE


if __name__ == "__main__":
    raise SystemExit(main())
