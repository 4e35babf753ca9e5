"""The audit log's sentences for what concerns no report's content: rounds opened and
changed, templates added or drafted, the signing rule of a round, logins and API tokens.
`history.describe` is still the one door; it takes these from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from cchc.core.numbers import format_number
from cchc.core.periods import short_date
from cchc.web.reporting.models import AuditEvent
from cchc.web.reporting.wording import when_text

# Logins and API tokens: recorded by cchc/web/accounts, shown on «Nhật ký đăng nhập».
LOGIN_ACTIONS = (
    "login",
    "login-failed",
    "login-locked",
    "login-refused",
    "token-created",
    "token-revoked",
)


def _round_opened(e: AuditEvent, w: object) -> str:
    after = e.after or {}
    units = len(after.get("units") or [])
    due = when_text(after.get("deadline"))
    return f"Mở đợt báo cáo {e.target} cho {format_number(units)} đơn vị, hạn nộp {due}."


ROUND_FIELDS = {"title": "tên", "window_start": "chốt số liệu từ", "window_end": "đến ngày"}


def _round_value(key: str, value) -> str:
    if key == "deadline":
        return when_text(value)
    if key in ("window_start", "window_end"):
        return short_date(date.fromisoformat(value)) if value else "(trống)"
    return f"«{value}»"


def _round_edited(e: AuditEvent, w: object) -> str:
    before, after = e.before or {}, e.after or {}
    changes = [
        f"{ROUND_FIELDS.get(k, 'hạn nộp')} {_round_value(k, before.get(k))} → "
        f"{_round_value(k, after.get(k))}"
        for k in after
    ]
    return f"Sửa đợt báo cáo: {'; '.join(changes) or 'không đổi'}."


def _round_unit(e: AuditEvent, w: object) -> str:
    before, after = e.before or {}, e.after or {}
    if e.action == "deadline-extended":
        return (
            f"Gia hạn nộp cho {after.get('name', e.target)}: {when_text(before.get('deadline'))} → "
            f"{when_text(after.get('deadline'))}."
        )
    if e.action == "unit-added":
        return f"Thêm {after.get('name', e.target)} vào đợt."
    if e.action == "unit-removed":
        return f"Bỏ {before.get('name', e.target)} khỏi đợt."
    name = after.get("name", e.target)
    return f"Mở lại đợt đã khóa cho {name}, hạn nộp {when_text(after.get('deadline'))}."


def _round_closed(e: AuditEvent, w: object) -> str:
    if e.action == "round-reopened":
        return "Mở lại đợt cho mọi đơn vị."
    pending = len((e.after or {}).get("pending") or [])
    return f"Khóa đợt: không nhận báo cáo gửi lên nữa ({format_number(pending)} đơn vị chưa gửi)."


def _template_added(e: AuditEvent, w: object) -> str:
    return f"Thêm mẫu báo cáo {e.target} «{(e.after or {}).get('title', '')}»."


def _template_draft(e: AuditEvent, w: object) -> str:
    based_on = (e.after or {}).get("based_on")
    return f"Bắt đầu soạn mẫu {e.target}" + (f", sao chép từ {based_on}." if based_on else ".")


def _signing_required(e: AuditEvent, w: object) -> str:
    required = (e.after or {}).get("required")
    return (
        "Yêu cầu gửi kèm bản PDF đã ký số." if required else "Bỏ yêu cầu gửi kèm bản PDF đã ký số."
    )


def _login(e: AuditEvent, w: object) -> str:
    after = e.after or {}
    key = f" (mã cchc_{after['key']}_…)" if after.get("key") else ""
    if e.action == "login":
        return "Đăng nhập thành công."
    if e.action == "login-failed":
        if "token" in after:
            shown = f"cchc_{after['token']}_…" if after["token"] != "?" else "không đúng dạng"
            return f"Mã API sai hoặc đã thu hồi ({shown})."
        return "Sai tên đăng nhập hoặc mật khẩu."
    if e.action == "login-locked":
        return f"Khóa đăng nhập {after.get('minutes')} phút sau {after.get('failures')} lần sai."
    if e.action == "login-refused":
        return "Từ chối đăng nhập: đang bị khóa (mật khẩu không được kiểm tra)."
    verb = "Tạo" if e.action == "token-created" else "Thu hồi"
    return f"{verb} mã API «{e.target}»{key}."


OFFICE_SENTENCES: dict[str, Callable[[AuditEvent, object], str]] = {
    "round-opened": _round_opened,
    "round-edited": _round_edited,
    **dict.fromkeys(
        ("deadline-extended", "unit-added", "unit-removed", "unit-reopened"), _round_unit
    ),
    "round-closed": _round_closed,
    "round-reopened": _round_closed,
    "template-added": _template_added,
    "template-draft": _template_draft,
    "signing-required-set": _signing_required,
    **dict.fromkeys(LOGIN_ACTIONS, _login),
}
