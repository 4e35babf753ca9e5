"""An audit event as a Vietnamese sentence: what was done, to what, before → after.

The one home for it: the report's «Nhật ký thay đổi» and the «Nhật ký đăng nhập» both
ask `describe`. Names come from `Wording` (the template's forms, indicators and
sections; people's full names for the login names stored in the entries), values are
written the Vietnamese way (`1.102`, `78,95`, `16/12/2026 17:00`, «text»). An action
this module does not know yet is still shown, as its code, never as a raw dict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model

from cchc.core.numbers import NumberError, format_number, parse_number
from cchc.core.report_content import DocumentHeader
from cchc.core.templates import ReportTemplate
from cchc.core.text import shorten
from cchc.documents.docx_frame import number_line
from cchc.web.reporting.audit.office import OFFICE_SENTENCES
from cchc.web.reporting.models import AuditEvent, PartKind, ReportState
from cchc.web.reporting.wording import local_time, part_label, person_name, when_text

# What the log page's «Loại» filter offers: label and the actions it stands for.
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "values": ("Số liệu", ("value-saved", "prefilled")),
    "sections": ("Nội dung mục", ("section-saved",)),
    "assignments": ("Phân công", ("assigned", "unassigned")),
    "imports": ("Nhập từ tệp", ("file-imported",)),
    "marks": ("Đánh dấu xong, mở lại", ("part-done", "part-reopened", "marks-cleared")),
    "workflow": (
        "Duyệt, gửi, tiếp nhận, trả lại",
        ("approved", "submitted", "accepted", "returned", "confirmed-incomplete"),
    ),
    "rounds": (
        "Đợt báo cáo",
        (
            "round-edited",
            "round-closed",
            "deadline-extended",
            "unit-added",
            "unit-removed",
            "unit-reopened",
            "round-reopened",
        ),
    ),
    "details": ("Thông tin văn bản", ("details-saved",)),
    "signing": (
        "Ký số",
        (
            "frozen",
            "signer-signature-valid",
            "signer-signature-refused",
            "agency-signature-valid",
            "agency-signature-refused",
        ),
    ),
}


@dataclass
class Wording:
    """What a sentence needs beyond the event: the report's template, people's names."""

    template: ReportTemplate | None = None
    names: dict[str, str] = field(default_factory=dict)  # login name → full name

    def person(self, username: str | None) -> str:
        return self.names.get(username or "", username or "không rõ")

    def part(self, target: str) -> str:
        kind, _, code = target.partition(":")
        if self.template is None:
            return code or target
        return part_label(self.template, kind, code)

    def indicator(self, target: str) -> str:
        """`BM1.2.1` → `Biểu mẫu 1, chỉ tiêu 2.1 «Số nhiệm vụ đề ra trong kế hoạch»`."""
        form_code, _, code = target.partition(".")
        form = self.template.form(form_code) if self.template else None
        if form is None:
            return f"biểu {form_code}, chỉ tiêu {code}"
        ind = form.get(code)
        name = f" «{ind.name}»" if ind else ""
        return f"{form.label or form.code}, chỉ tiêu {code}{name}"

    def value(self, target: str, raw: str | None) -> str:
        """A typed value as the page shows it: `1.102`, `78,95`, `1 (Có)`, «text»."""
        raw = (raw or "").strip()
        if not raw:
            return "(trống)"
        form_code, _, code = target.partition(".")
        form = self.template.form(form_code) if self.template else None
        ind = form.get(code) if form else None
        try:
            number = parse_number(raw)
        except NumberError:
            return f"«{shorten(raw, 60)}»"
        if number.ambiguous:
            return f"«{raw}» (đọc được hai cách)"
        shown = format_number(number.value) + ("%" if number.percent else "")
        if ind is not None and ind.choices and number.value == int(number.value):
            label = ind.choices.get(int(number.value))
            return f"{shown} ({label})" if label else shown
        return shown


def wording_for(events: list[AuditEvent], template: ReportTemplate | None) -> Wording:
    """The full names of everyone the entries name by login (one query)."""
    logins: set[str] = set()
    for e in events:
        for side in (e.before or {}, e.after or {}):
            for key in ("user", "assignee"):
                if isinstance(side.get(key), str):
                    logins.add(side[key])
            for mark in (side.get("done") or {}).values():
                logins.add(mark.get("assignee", ""))
    model = get_user_model()
    names = {
        u.get_username(): person_name(u)
        for u in model._default_manager.filter(**{f"{model.USERNAME_FIELD}__in": logins})
    }
    return Wording(template=template, names=names)


def _state(value: str | None) -> str:
    try:
        return ReportState(value or "").label
    except ValueError:
        return value or "không rõ"


def _value_saved(e: AuditEvent, w: Wording) -> str:
    """`Nhập … : 19.` the first time, `Sửa …: 19 → 1.102.` after; notes the same way."""
    before, after = e.before or {}, e.after or {}
    parts = []
    if before.get("raw", "") != after.get("raw", ""):
        now = w.value(e.target, after.get("raw"))
        parts.append(now if e.before is None else f"{w.value(e.target, before.get('raw'))} → {now}")
    if before.get("note", "") != after.get("note", ""):
        was = f"«{shorten(before['note'], 60)}»" if before.get("note") else "(trống)"
        now = f"«{shorten(after['note'], 60)}»" if after.get("note") else "(trống)"
        parts.append(f"ghi chú {now}" if e.before is None else f"ghi chú {was} → {now}")
    verb = "Nhập" if e.before is None else "Sửa"
    return f"{verb} {w.indicator(e.target)}: {'; '.join(parts) or 'không đổi'}."


def _section_saved(e: AuditEvent, w: Wording) -> str:
    part = w.part(f"{PartKind.SECTION}:{e.target}")
    before = len((e.before or {}).get("text", ""))
    after = len((e.after or {}).get("text", ""))
    if e.before is None or not before:
        return f"Viết nội dung {part} ({format_number(after)} ký tự)."
    if not after:
        return f"Xóa nội dung {part} (trước {format_number(before)} ký tự)."
    return f"Sửa nội dung {part}: {format_number(before)} → {format_number(after)} ký tự."


def _assigned(e: AuditEvent, w: Wording) -> str:
    """Who has the part now, how it was given (by duty), and its internal deadline."""
    before, after = e.before or {}, e.after or {}
    part = w.part(e.target)
    if e.action == "unassigned":
        return f"Bỏ phân công {part} (trước đó của {w.person(before.get('user'))})."
    how = " theo nhiệm vụ" if after.get("why") == "duty" else ""
    now = w.person(after.get("user"))
    if not before:
        sentence = f"Phân công{how} {part} cho {now}"
    elif before.get("user") != after.get("user"):
        sentence = f"Phân công{how} {part}: {w.person(before.get('user'))} → {now}"
    else:
        sentence = f"Đổi hạn nội bộ {part} (phần việc của {now})"
    was, due = before.get("due_at"), after.get("due_at")
    if was != due:
        change = f"{_due(was)} → {_due(due)}" if before else _due(due)
        sentence += f"{';' if before else ','} hạn nội bộ {change}"
    return sentence + "."


def _due(iso: str | None) -> str:
    return local_time(datetime.fromisoformat(iso)) if iso else "theo hạn nộp của đơn vị"


def _marked(e: AuditEvent, w: Wording) -> str:
    who = w.person((e.after or {}).get("assignee"))
    if e.action == "part-done":
        return f"Đánh dấu xong {w.part(e.target)} (phần việc của {who})."
    when = when_text((e.before or {}).get("done_at"))
    return f"Mở lại {w.part(e.target)} (phần việc của {who}, đã xong lúc {when})."


def _marks_cleared(e: AuditEvent, w: Wording) -> str:
    done = (e.before or {}).get("done") or {}
    listed = "; ".join(
        f"{w.part(target)} của {w.person(m.get('assignee'))}, "
        f"xong lúc {when_text(m.get('done_at'))}"
        for target, m in done.items()
    )
    return f"Bỏ đánh dấu xong {format_number(len(done))} phần việc khi trả lại: {listed}."


def _moved(e: AuditEvent, w: Wording) -> str:
    after = e.after or {}
    states = f"{_state((e.before or {}).get('state'))} → {_state(after.get('state'))}"
    if e.action == "approved":
        reason = after.get("approval_reason")
        why = f"; lý do duyệt khi còn lỗi: «{reason}»" if reason else ""
        return f"Duyệt báo cáo ({states}){why}."
    if e.action == "submitted":
        return f"Gửi báo cáo lên cấp trên ({states})."
    if e.action == "accepted":
        return f"Tiếp nhận báo cáo ({states})."
    return f"Trả lại báo cáo ({states}), ý kiến: «{after.get('return_comment', '')}»."


def _signing(e: AuditEvent, w: Wording) -> str:
    after = e.after or {}
    if e.action == "frozen":
        return (
            f"Chốt bản đã duyệt để ký số (mã nhận dạng {e.target}…; người ký: "
            f"{after.get('signer') or 'không rõ'})."
        )
    who = "của cơ quan" if e.action.startswith("agency") else "của người ký"
    if e.action.endswith("-valid"):
        at = when_text(after.get("signed_at"))
        signer = after.get("signer", "")
        return f"Nhận bản PDF ký số {who} «{after.get('file', '')}»: hợp lệ, {signer} ký lúc {at}."
    return f"Từ chối bản PDF ký số {who} «{after.get('file', '')}»: {after.get('message', '')}"


def _prefilled(e: AuditEvent, w: Wording) -> str:
    count = len((e.after or {}).get("values") or {})
    return f"Điền {format_number(count)} giá trị từ số liệu tổng hợp của cấp dưới."


_DETAIL_NAMES = {
    "number": "số",
    "symbol": "ký hiệu",
    "place": "địa danh",
    "date": "ngày",
    "governing_body": "cơ quan chủ quản",
    "issuing_body": "cơ quan ban hành",
    "doc_type": "tên loại",
    "summary": "trích yếu",
    "recipients": "kính gửi",
    "distribution": "nơi nhận",
    "signing_authority": "thẩm quyền ký",
    "signer": "người ký",
}


def _details_saved(e: AuditEvent, w: Wording) -> str:
    before, after = e.before or {}, e.after or {}
    changed = [name for key, name in _DETAIL_NAMES.items() if before.get(key) != after.get(key)]
    numbered = str(after.get("number") or "").strip()
    number = number_line(DocumentHeader.from_json(after)) if numbered else "chưa có số"
    listed = f": {', '.join(changed)}" if e.before and changed else ""
    verb = "Sửa" if e.before else "Lưu"
    return f"{verb} thông tin văn bản ({number}){listed}."


def _went_on_incomplete(e: AuditEvent, w: Wording) -> str:
    gaps = e.before or {}
    cells = sum(len(codes) for codes in (gaps.get("cells") or {}).values())
    counts = [
        f"{format_number(n)} {what}"
        for n, what in (
            (cells, "ô bắt buộc còn trống"),
            (len(gaps.get("sections") or []), "mục chưa có nội dung"),
            (len(gaps.get("errors") or []), "lỗi"),
        )
        if n
    ]
    missing = ", ".join(counts) or "còn thiếu"
    reason = shorten((e.after or {}).get("reason", ""), 200)
    if e.target == "approve":
        return f"Vẫn duyệt khi báo cáo còn {missing}; lý do: «{reason}»."
    return f"Vẫn đánh dấu xong {w.part(e.target)} khi còn {missing}; lý do: «{reason}»."


def _imported(e: AuditEvent, w: Wording) -> str:
    after = e.after or {}
    values, sections = after.get("values") or 0, len(after.get("sections") or [])
    return (
        f"Nhập từ tệp «{after.get('file', e.target)}»: {format_number(values)} giá trị và "
        f"{format_number(sections)} mục đề cương."
    )


SENTENCES: dict[str, Callable[[AuditEvent, Wording], str]] = {
    "value-saved": _value_saved,
    "section-saved": _section_saved,
    "assigned": _assigned,
    "unassigned": _assigned,
    "part-done": _marked,
    "part-reopened": _marked,
    "marks-cleared": _marks_cleared,
    "approved": _moved,
    "submitted": _moved,
    "accepted": _moved,
    "returned": _moved,
    "prefilled": _prefilled,
    "file-imported": _imported,
    "details-saved": _details_saved,
    "confirmed-incomplete": _went_on_incomplete,
    **OFFICE_SENTENCES,
    **dict.fromkeys(KINDS["signing"][1], _signing),
}


def describe(event: AuditEvent, wording: Wording | None = None) -> str:
    """The entry as one Vietnamese sentence."""
    sentence = SENTENCES.get(event.action)
    if sentence is None:
        return f"Thao tác khác (mã «{event.action}»{', ' + event.target if event.target else ''})."
    return sentence(event, wording or Wording())
