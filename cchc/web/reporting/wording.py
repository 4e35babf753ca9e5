"""How the workflow's things are named in Vietnamese sentences: people, parts, times.

The audit log, the notices, their mails and «Việc của tôi» all say "Biểu mẫu 1 «…»"
and "16/12/2026 17:00" the same way because they all ask here.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from cchc.core.templates import ReportTemplate
from cchc.web.reporting.models import PartKind


def person_name(user) -> str:
    """The full name people know each other by; the login name only when there is none."""
    if user is None:
        return "Hệ thống"
    return user.get_full_name().strip() or user.get_username()


def local_time(at: datetime) -> str:
    """`16/12/2026 17:00`, in Vietnam's time (Asia/Ho_Chi_Minh), whatever the server's."""
    return timezone.localtime(at).strftime("%d/%m/%Y %H:%M")


def when_text(iso: str | None) -> str:
    """A time stored in an audit entry (ISO text) as `local_time` writes it; «chưa» if none."""
    return local_time(datetime.fromisoformat(iso)) if iso else "chưa"


def part_name(template: ReportTemplate, kind: str, code: str) -> str:
    """`Biểu mẫu 1`, `Mục I.2`: a part without its title."""
    if kind == PartKind.FORM:
        form = template.form(code)
        return (form.label or form.code) if form else f"Biểu {code}"
    return f"Mục {code}"


def part_label(template: ReportTemplate, kind: str, code: str, *, title: bool = False) -> str:
    """`Biểu mẫu 1 «Công tác chỉ đạo điều hành CCHC»`, `Mục I «…»` in a sentence;
    `Biểu mẫu 1: Công tác …` as a title (a link, a heading); the code if unknown."""
    name = part_name(template, kind, code)
    if kind == PartKind.FORM:
        form = template.form(code)
        text = form.title if form else ""
    else:
        section = next((s for s in template.all_sections() if s.code == code), None)
        text = section.title if section else ""
    if not text:
        return name
    return f"{name}: {text}" if title else f"{name} «{text}»"


def report_name(report) -> str:
    """`báo cáo của Xã An, đợt «…»`: which report, as a sentence says it."""
    return f"báo cáo của {report.unit.name}, đợt «{report.round.title}»"
