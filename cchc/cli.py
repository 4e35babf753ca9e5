"""`cchc` command line: import and render here; validation, templates, drafts and the web
commands in `cli_validate`, `cli_templates`, `cli_drafts` and `cli_web`.

A thin shell: every command calls one core or importer function and prints
its result, in Vietnamese for people or as JSON (`--json`) for programs.
Exit status: 0 no error-level finding, 1 errors found, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cchc.cli_drafts import add_draft_parser
from cchc.cli_shared import EXIT_OK, EXIT_UNREADABLE, InputError
from cchc.cli_shared import print_json as _print_json
from cchc.cli_templates import cmd_templates_check, cmd_templates_list, cmd_templates_show
from cchc.cli_validate import (
    cmd_validate,
    import_file,
    is_json_file,
    print_findings,
    read_values_file,
    template_line,
)
from cchc.cli_web import (
    cmd_backup,
    cmd_compare,
    cmd_consolidate,
    cmd_manage,
    cmd_restore,
    cmd_serve,
)
from cchc.core.limits import printable_content
from cchc.core.numbers import format_number
from cchc.core.report_content import ReportContent
from cchc.core.report_content import values_document as report_values_document
from cchc.core.templates import ReportTemplate
from cchc.documents import writer_for
from cchc.importers.report_file import (
    ImportResult,
    period_key,
    report_content,
)

SAMPLES = Path(__file__).parent / "samples" / "seeds"


# ---------------------------------------------------------------- import


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
    result = import_file(args.file, args.template)
    if args.json:
        _print_json(values_document(result))
        return EXIT_OK
    doc, h = result.document, result.document.header
    print(f"Tệp: {args.file}")
    print(template_line(result.template, result.how, result.score))
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
    print_findings(result.findings)
    return EXIT_OK


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
    if is_json_file(path):
        report_template, _, _, data = read_values_file(path)
        content = ReportContent.from_values_document(data, Path(path).name)
        content.template_id = report_template.id
        return report_template, printable_content(content)
    result = import_file(path, template)
    return result.template, printable_content(report_content(result))


def cmd_render(args: argparse.Namespace) -> int:
    """Write a report as Word (Decree 30 layout), Excel or PDF; OUT's extension decides."""

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
