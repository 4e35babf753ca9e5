"""`cchc` command line: templates, import and validate.

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

from cchc.core.numbers import format_number
from cchc.core.periods import Period as _Period
from cchc.core.periods import PeriodError, RoundSchedule, Window, parse_date, parse_deadline
from cchc.core.report import ReportContent
from cchc.core.report import values_document as report_values_document
from cchc.core.templates import ReportTemplate, Severity, build_template
from cchc.core.validation import Finding, ValidationResult, validate_report
from cchc.core.values import ReportValues
from cchc.importers.reports import (
    ImportError_,
    ImportResult,
    import_report,
    period_key,
    report_content,
)
from cchc.templates import TemplateFileError, get_template, read_template_file, registry

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2
SAMPLES = Path(__file__).parent / "samples" / "seeds"
_SEVERITY_LABEL = {Severity.ERROR: "LỖI", Severity.WARNING: "CẢNH BÁO", Severity.INFO: "THÔNG TIN"}
_HOW_LABEL = {"named": "chỉ định", "auto": "tự chọn", "inferred": "suy ra từ bảng"}


class InputError(Exception):
    """Input that cannot be read; printed as is, exit status 2."""


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


# ---------------------------------------------------------------- templates


def cmd_templates_list(args: argparse.Namespace) -> int:
    templates = registry()
    if args.json:
        _print_json(
            [
                {
                    "id": t.id,
                    "title": t.title,
                    "forms": len(t.forms),
                    "indicators": t.indicator_count,
                    "rules": len(t.rules),
                }
                for t in templates.values()
            ]
        )
        return EXIT_OK
    for t in templates.values():
        print(f"{t.id:<20} {t.title}")
        print(
            f"{'':<20} {len(t.forms)} biểu, {t.indicator_count} chỉ tiêu, {len(t.rules)} quy tắc; "
            f"cấp: {', '.join(t.levels)}"
        )
    return EXIT_OK


def _show_template(t: ReportTemplate) -> None:
    print(f"{t.id} — {t.title}")
    if t.source:
        print(f"Nguồn: {t.source}")
    print(f"Cấp báo cáo: {', '.join(t.levels)}; kỳ: {', '.join(t.period_types)}")
    roles = {r.id: r.title for r in t.roles}
    if t.roles:
        print("\nPhân công mặc định:")
        for r in t.roles:
            print(f"  {r.id}: {r.title}")
    if t.sections:
        print("\nĐề cương:")
        for top in t.sections:
            for s in top.walk():
                depth = s.code.count(".")
                role = (
                    f"  [{roles.get(s.role, s.role)}]"
                    if s.role and (depth == 0 or s.role != top.role)
                    else ""
                )
                print(f"  {'  ' * depth}{s.stt} {s.title}{role}")
    for f in t.forms:
        role = f"  [{roles.get(f.role, f.role)}]" if f.role else ""
        print(f"\n{f.label or f.code} ({f.code}): {f.title}{role}")
        for ind in f.indicators:
            extra = f"  = {ind.formula.source}" if ind.formula else ""
            levels = (
                f"  (cấp: {', '.join(ind.levels)})" if ind.levels and ind.levels != t.levels else ""
            )
            print(
                f"  {ind.stt:<9} {ind.name}  | {ind.unit or '—'} | {ind.kind.value}{extra}{levels}"
            )
    if t.rules:
        print("\nQuy tắc kiểm tra:")
        for r in t.rules:
            print(f"  {r.id} [{r.severity.value}] {r.form or ''} {r.check.source}")
    if t.example_round:
        print("\nĐợt báo cáo mẫu:")
        for problem in _example_round_problems(t):
            print(f"  {problem}")


def _example_round_problems(t: ReportTemplate) -> list[str]:
    er = t.example_round
    period_data = er.get("period") or {}
    try:
        period = _Period(
            period_data.get("type"), int(period_data.get("year")), int(period_data.get("number", 1))
        )
        schedule = RoundSchedule.default(period, "nd09")
        window = er.get("window")
        schedule = schedule.with_overrides(
            window=Window(parse_date(window[0]), parse_date(window[1])) if window else None,
            deadline=parse_deadline(er["deadline"]) if er.get("deadline") else None,
        )
    except (PeriodError, TypeError, ValueError, KeyError) as exc:
        return [f"không đọc được: {exc}"]
    lines = [
        f"Kỳ: {period.label}; chốt số liệu {schedule.window.start:%d/%m/%Y} → "
        f"{schedule.window.end:%d/%m/%Y}; hạn nộp {schedule.deadline.label}"
    ]
    lines += [f"Lưu ý: {p}" for p in schedule.check()]
    return lines


def cmd_templates_show(args: argparse.Namespace) -> int:
    try:
        template = get_template(args.id)
    except KeyError as exc:
        raise InputError(exc.args[0]) from exc
    _show_template(template)
    return EXIT_OK


def cmd_templates_check(args: argparse.Namespace) -> int:
    try:
        template = read_template_file(args.file)
    except TemplateFileError as exc:
        print(f"Mẫu không hợp lệ ({len(exc.problems)} lỗi):", file=sys.stderr)
        for p in exc.problems:
            print(f"  {p}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(
        f"{args.file}: mẫu «{template.id}» hợp lệ — {len(template.forms)} biểu, "
        f"{template.indicator_count} chỉ tiêu, {len(template.rules)} quy tắc."
    )
    return EXIT_OK


# ---------------------------------------------------------------- import


def _import(path: str, template: str) -> ImportResult:
    try:
        return import_report(path, template)
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


def _read_values_file(
    path: str,
) -> tuple[ReportTemplate, ReportValues, list[Finding], dict[str, Any]]:
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{p}: không mở được tệp ({exc.strerror or exc}).") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: không phải văn bản UTF-8.") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{p}, dòng {exc.lineno}: JSON không hợp lệ ({exc.msg}).") from exc
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
    else:
        imported = _import(args.file, args.template)
        template, values, extra = imported.template, imported.values, imported.findings
        how, score = imported.how, imported.score
        unit, period = imported.document.header.unit, period_key(imported.document)
    result = validate_report(template, values, extra)
    if args.json:
        _print_json(validation_document(args.file, template, how, score, unit, period, result))
    else:
        print(f"Tệp: {args.file}")
        print(_template_line(template, how, score))
        if unit or period:
            print(f"Đơn vị: {unit or '—'}; kỳ: {period or '—'}")
        _print_findings(result.findings)
    return EXIT_ERRORS if result.errors else EXIT_OK


def validation_document(
    file: str,
    template: ReportTemplate,
    how: str,
    score: float | None,
    unit: str,
    period: str,
    result: ValidationResult,
) -> dict[str, Any]:
    computed: dict[str, dict[str, Any]] = {}
    for (form, code), value in result.computed.items():
        computed.setdefault(form, {})[code] = None if value is None else float(round(value, 6))
    return {
        "file": file,
        "template": {"id": template.id, "how": how, "score": score},
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
    """The report to write: from a values file (`cchc.values/1`) or read from a report."""
    if _is_json_file(path):
        report_template, _, _, data = _read_values_file(path)
        content = ReportContent.from_values_document(data, Path(path).name)
        content.template_id = report_template.id
        return report_template, content
    result = _import(path, template)
    return result.template, report_content(result)


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


# ---------------------------------------------------------------- web


def cmd_serve(args: argparse.Namespace) -> int:
    """Create the database, load the demo once, print where to go and who to be, serve."""
    from cchc.web.manage import setup

    setup()
    from django.core.management import call_command

    from cchc.web.demo import PASSWORD, load_demo

    call_command("migrate", verbosity=0, interactive=False)
    logins = load_demo() if not args.no_demo else None
    print(f"cchc đang chạy tại http://{args.host}:{args.port}/")
    if logins:
        print(f"Dữ liệu mẫu đã được tạo. Mật khẩu của mọi tài khoản mẫu: {PASSWORD}")
        for login in logins:
            print(f"  {login.username:<20} {login.name:<24} {login.what}")
    else:
        print("Cơ sở dữ liệu đã có dữ liệu; không tạo lại dữ liệu mẫu.")
    sys.stdout.flush()
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return EXIT_OK


def cmd_consolidate(args: argparse.Namespace) -> int:
    """The same consolidation the web shows for a round, as a table, CSV, Excel or JSON."""
    from cchc.web.manage import setup

    setup()
    from cchc.web.reporting import consolidation_table as layout
    from cchc.web.reporting.consolidation import consolidate_round
    from cchc.web.reporting.models import ReportingRound
    from cchc.web.reporting.services import template_of

    if args.round is None:
        for rnd in ReportingRound.objects.select_related("issuer").order_by("-deadline"):
            print(f"{rnd.pk:>5}  {rnd.period_key:<8} {rnd.issuer.name}: {rnd.title}")
        return EXIT_OK
    rnd = ReportingRound.objects.select_related("issuer", "template").filter(pk=args.round).first()
    if rnd is None:
        raise InputError(f"Không có đợt báo cáo số {args.round} (xem danh sách: cchc consolidate).")
    result, names = consolidate_round(rnd)
    template = template_of(rnd.template)
    if args.output:
        out = Path(args.output)
        suffix = out.suffix.lower()
        if suffix not in (".csv", ".xlsx", ".docx"):
            raise InputError(f"{out}: chỉ ghi ra được .csv, .xlsx hoặc .docx.")
        if suffix == ".docx":  # the consolidated report, with charts, as the page's button gives
            from cchc.web.reporting.round_report import round_report_docx

            out.write_bytes(round_report_docx(rnd, (result, names)))
        else:
            writer = layout.as_csv if suffix == ".csv" else layout.as_xlsx
            out.write_bytes(writer(template, result, names))
        print(f"Đã ghi {out}.")
        return EXIT_OK
    rows = layout.table_rows(template, result, names)
    if args.json:
        _print_json(
            {
                "round": rnd.pk,
                "title": rnd.title,
                "period": rnd.period_key,
                "submitted": [names.get(u, u) for u in result.submitted],
                "late": [names.get(u, u) for u in result.late],
                "not_submitted": [names.get(u, u) for u in result.not_submitted],
                "indicators": [
                    {
                        "form": r["form"].code,
                        "code": r["ind"].code,
                        "name": r["ind"].name,
                        "value": None
                        if r["total"] is None or r["total"].value is None
                        else float(r["total"].value),
                        "shown": r["shown"],
                        "coverage": r["coverage"],
                        "missing": r["missing"],
                    }
                    for r in rows
                    if not r["heading"]
                ],
            }
        )
        return EXIT_OK
    print(f"{rnd.title}: {len(result.submitted)}/{len(result.expected)} đơn vị đã gửi")
    for r in rows:
        if not r["heading"] and r["shown"]:
            print(
                f"  {r['form'].code:<5} {r['ind'].stt:<8} {r['ind'].name[:60]:<60} "
                f"{r['shown']:>12}  ({r['coverage']})"
            )
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    """The comparison page of a round in the terminal: ranking, values to review, a unit's trend."""
    from cchc.web.manage import setup

    setup()
    from cchc.web.reporting import comparison as data
    from cchc.web.reporting.models import ReportingRound

    rnd = ReportingRound.objects.select_related("issuer", "template").filter(pk=args.round).first()
    if rnd is None:
        raise InputError(f"Không có đợt báo cáo số {args.round} (xem danh sách: cchc consolidate).")
    try:
        c = data.compare_round(rnd, indicator=args.indicator or "", unit=args.unit or "")
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    tables = data.tables(c)
    if args.output:
        out = Path(args.output)
        if out.suffix.lower() not in (".csv", ".xlsx"):
            raise InputError(f"{out}: chỉ ghi ra được .csv hoặc .xlsx.")
        table = tables[args.table]
        out.write_bytes(data.as_csv(table) if out.suffix.lower() == ".csv" else data.as_xlsx(table))
        print(f"Đã ghi {out} ({table.title}).")
        return EXIT_OK
    if args.json:
        _print_json(
            {
                "round": rnd.pk,
                "title": rnd.title,
                "period": rnd.period_key,
                "indicator": {
                    "form": c.form.code,
                    "code": c.indicator.code,
                    "name": c.indicator.name,
                },
                "higher_is_better": c.higher_is_better,
                "unit": c.unit,
                "trend": c.series.trend.value if c.series else None,
                "tables": {
                    name: {"title": t.title, "header": t.header, "rows": data.text_rows(t)}
                    for name, t in tables.items()
                },
            }
        )
        return EXIT_OK
    for name, table in tables.items():
        print(f"{table.title}:")
        rows = data.text_rows(table)
        if name == "canh-bao":
            print("\n".join(f"  - {row[-1]}" for row in rows) or "  (không có)")
        else:
            for row in rows:
                print("  " + " | ".join(cell for cell in row))
        if name == "xu-huong" and c.series:
            print(f"  Xu hướng: {c.series.trend.value}")
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    from cchc.web.manage import main as manage_main

    return manage_main(args.rest)


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
