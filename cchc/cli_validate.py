"""`cchc validate`: a report file or a values file checked, and the findings printed.

Also what `import` and `render` share with it: reading a report file or a values
document, the template line and the list of findings as people read them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cchc.bundled_templates import get_template
from cchc.cli_shared import EXIT_ERRORS, EXIT_OK, InputError
from cchc.cli_shared import print_json as _print_json
from cchc.core.narrative import check_report_narrative
from cchc.core.numbers import format_number, json_float
from cchc.core.reading import read_report
from cchc.core.report_content import ReportContent
from cchc.core.templates import ReportTemplate, Severity, build_template
from cchc.core.validation import Finding, ValidationResult
from cchc.core.values import ReportValues
from cchc.importers.errors import ImportError_, NoTablesError
from cchc.importers.report_file import (
    ImportResult,
    import_report,
    narrative_parts,
    period_key,
    report_content,
)
from cchc.importers.safety import MAX_TEXT_BYTES, UnsafeFileError, check_upload_size

_SEVERITY_LABEL = {Severity.ERROR: "LỖI", Severity.WARNING: "CẢNH BÁO", Severity.INFO: "THÔNG TIN"}
_HOW_LABEL = {"named": "chỉ định", "auto": "tự chọn", "inferred": "suy ra từ bảng"}


def import_file(path: str, template: str, prose_ok: bool = False) -> ImportResult:
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


def template_line(t: ReportTemplate, how: str, score: float | None) -> str:
    match = f", khớp {format_number(round(score * 100, 1))}% số dòng" if score is not None else ""
    return f"Mẫu: {t.id} ({_HOW_LABEL.get(how, how)}{match}) — {t.title}"


# ---------------------------------------------------------------- validate


def _json_int(digits: str) -> int | str:
    """A whole number from a values file; one too long for Python to read as an int
    (over 4.300 digits) stays as written, to be reported by validation."""
    return int(digits) if len(digits) <= 64 else digits


def read_values_file(
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


def is_json_file(path: str) -> bool:
    if path.lower().endswith(".json"):
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(64).lstrip().startswith(b"{")
    except OSError:
        return False


def cmd_validate(args: argparse.Namespace) -> int:
    if is_json_file(args.file):
        template, values, extra, data = read_values_file(args.file)
        how, score = data.get("template_how", "named"), None
        unit, period = data.get("unit", ""), data.get("period", "")
        content = ReportContent.from_values_document(data, Path(args.file).name)
        result = read_report(template, values, extra)
    else:
        try:
            imported = import_file(args.file, args.template, prose_ok=True)
        except NoTablesError as exc:
            return _validate_prose(args, exc)
        template, values, extra = imported.template, imported.values, imported.findings
        how, score = imported.how, imported.score
        unit, period = imported.document.header.unit, period_key(imported.document)
        content = report_content(imported)
        read = imported.read or read_report(template, values)
        result = read.with_findings(extra)
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
        print(template_line(template, how, score))
    if unit or period:
        print(f"Đơn vị: {unit or '—'}; kỳ: {period or '—'}")
    print_findings(result.findings)


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


def print_findings(findings: list[Finding]) -> None:
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
