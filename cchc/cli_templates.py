"""`cchc templates list|show|check`: what templates there are, one in full, a file checked."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cchc.bundled_templates import TemplateFileError, get_template, read_template_file, registry
from cchc.cli_shared import EXIT_OK, EXIT_UNREADABLE, InputError
from cchc.cli_shared import print_json as _print_json
from cchc.core.periods import Period as _Period
from cchc.core.periods import PeriodError, Window, parse_date
from cchc.core.schedule import RoundSchedule, parse_deadline
from cchc.core.templates import ReportTemplate


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
            measure = ind.measure or "—"
            print(f"  {ind.stt:<9} {ind.name}  | {measure} | {ind.kind.value}{extra}{levels}")
    if t.rules:
        print("\nQuy tắc kiểm tra:")
        for rule in t.rules:
            print(f"  {rule.id} [{rule.severity.value}] {rule.form or ''} {rule.check.source}")
    if t.example_round:
        print("\nĐợt báo cáo mẫu:")
        for problem in _example_round_problems(t):
            print(f"  {problem}")


def _example_round_problems(t: ReportTemplate) -> list[str]:
    er = t.example_round
    period_data: Any = er.get("period") or {}
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
