"""Who may see and change a report: the checks every operation and page makes first."""

from __future__ import annotations

from django.utils import timezone

from cchc.web.organisation.models import Role
from cchc.web.organisation.services import (
    roles_in,
    sees_unit,
)
from cchc.web.reporting.models import (
    Assignment,
    PartKind,
    Report,
)


class Refused(Exception):
    """An operation the user may not do now; the message says why, in Vietnamese."""


def can_view(user, report: Report) -> bool:
    if user.is_superuser:
        return True
    return sees_unit(user, report.unit_id, timezone.localdate())


def require_view(user, report: Report) -> None:
    if not can_view(user, report):
        raise Refused(f"Bạn không có quyền xem báo cáo của {report.unit.name}.")


def is_unit_manager(user, report: Report) -> bool:
    return user.is_superuser or bool(
        roles_in(user, report.unit_id) & {Role.LEADER, Role.UNIT_ADMIN}
    )


def can_edit_part(user, report: Report, kind: str, code: str) -> bool:
    if not report.editable:
        return False
    if is_unit_manager(user, report):
        return True
    if Role.CONTRIBUTOR not in roles_in(user, report.unit_id):
        return False
    return Assignment.objects.filter(report=report, kind=kind, code=code, user=user).exists()


def require_edit(user, report: Report, kind: str, code: str) -> None:
    if not report.editable:
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}» nên không sửa được."
        )
    if not can_edit_part(user, report, kind, code):
        what = "biểu" if kind == PartKind.FORM else "mục"
        raise Refused(f"Bạn không được phân công {what} {code} của báo cáo này.")
