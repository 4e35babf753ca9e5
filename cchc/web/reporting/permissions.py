"""Who may see and change a report: the checks every operation and page makes first.

Each rule lives here once; the services, the pages and the API call it. Seeing
follows the unit tree (anyone above a unit sees its reports); acting on a round
(accepting, returning) belongs to the unit that issued it, not to those above.
"""

from __future__ import annotations

from django.utils import timezone

from cchc.web.organisation.models import Membership, OrgUnit, Role
from cchc.web.organisation.services import (
    roles_in,
    sees_unit,
)
from cchc.web.reporting.models import (
    Assignment,
    PartKind,
    Report,
    ReportState,
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


def reviews_for(user, unit_id: int) -> bool:
    """Whether the user is a Home Affairs reviewer of this very unit, not of one above it."""
    return user.is_superuser or Role.REVIEWER in roles_in(user, unit_id)


def require_round_issuer(user, issuer: OrgUnit) -> None:
    if not reviews_for(user, issuer.id):
        raise Refused(f"Chỉ cán bộ Nội vụ của {issuer.name} được mở đợt báo cáo của đơn vị này.")


def require_round_reviewer(user, report: Report, doing: str) -> None:
    """Only a reviewer of the unit that issued the round accepts or returns its reports.

    A reviewer further up (the ministry above a province) still sees them, but
    the province's round is the province's to act on.
    """
    rnd = report.round
    if not reviews_for(user, rnd.issuer_id):
        raise Refused(
            f"Chỉ cán bộ Nội vụ của {rnd.issuer.name}, đơn vị mở đợt báo cáo này, "
            f"được {doing} báo cáo của {report.unit.name}."
        )
    if report.state != ReportState.SUBMITTED:
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}», chưa được gửi lên."
        )


def require_assigner(user, report: Report, *, changing: bool = True) -> None:
    """The unit's managers split the work; once the report is locked, the split stays."""
    if not is_unit_manager(user, report):
        raise Refused(f"Chỉ quản trị đơn vị hoặc lãnh đạo của {report.unit.name} được phân công.")
    if changing and not report.editable:
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}» nên không đổi "
            "phân công được."
        )


def require_assignee(report: Report, assignee) -> None:
    """A part goes to an active member of the report's own unit, nobody else."""
    name = assignee.get_full_name() or assignee.username
    if not assignee.is_active:
        raise Refused(f"Tài khoản {name} đã ngừng hoạt động nên không nhận phân công được.")
    if not Membership.objects.filter(user=assignee, unit_id=report.unit_id).exists():
        raise Refused(
            f"{name} không thuộc {report.unit.name} nên không được phân công "
            "phần việc của báo cáo này."
        )


def require_mark(user, report: Report, assignment: Assignment | None, done: bool) -> None:
    """«Đánh dấu xong» is a change to the report: only while it is still being written."""
    if not report.editable:
        what = "đánh dấu xong" if done else "mở lại"
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}» nên không "
            f"{what} phần việc được."
        )
    if assignment is None or (assignment.user_id != user.id and not is_unit_manager(user, report)):
        raise Refused("Chỉ người được phân công mới đánh dấu phần việc này là xong.")
