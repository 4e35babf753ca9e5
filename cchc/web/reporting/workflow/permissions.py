"""Who may do what with rounds and reports: every check of the workflow, in one place.

The one rule for the unit tree: a round, and every report in it, are read on the
tree of the round's cut-off day (`window_end`, «chốt số liệu đến»), the day its
figures stand for and the tree the round was opened on. Whoever was above a unit
on that day sees its report of that round, whatever the tree is today: a commune
that moved on 1/7/2025 keeps its 2024 reports under its old district (and the
district's reviewers, even though the district is closed), while its new parent
sees them only if it was above the commune then too. Rounds opened after the move
follow the new tree. Seeing a round's figures together (consolidation, comparison,
the consolidated report) follows the same tree, from the issuing unit.

Acting needs a role in the unit itself, with no tree at all: the unit's
contributors write their parts, its leaders approve, sign and submit, its
managers (leaders, unit admins) split the work and prefill; only reviewers of the
issuing unit open, change, close and reopen a round and accept or return its
reports (those above it see them but do not act). Whoever may act on a report
may therefore also see it. Managing people and units is about today's
organisation and lives in `cchc/web/organisation/permissions.py`.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from cchc.web.organisation.models import Membership, OrgUnit, Role
from cchc.web.organisation.services import (
    descendants_on,
    memberships,
    roles_in,
    sees_unit,
)
from cchc.web.reporting.models import (
    Assignment,
    PartKind,
    Report,
    ReportingRound,
    ReportState,
)
from cchc.web.reporting.wording import local_time


class Refused(Exception):
    """An operation the user may not do now; the message says why, in Vietnamese."""


def tree_day(rnd: ReportingRound) -> date:
    """The day whose unit tree a round and its reports are read on (see the module)."""
    return rnd.window_end


# ---------------------------------------------------------------- seeing


def can_view(user, report: Report) -> bool:
    if user.is_superuser:
        return True
    return sees_unit(user, report.unit_id, tree_day(report.round))


def require_view(user, report: Report) -> None:
    if not can_view(user, report):
        raise Refused(f"Bạn không có quyền xem báo cáo của {report.unit.name}.")


def visible_in_round(user, rnd: ReportingRound) -> set[int] | None:
    """The units whose reports of this round the user sees; None for all of them."""
    if user.is_superuser:
        return None
    day = tree_day(rnd)
    return descendants_on(set(memberships(user)), {day})[day]


def can_view_round(user, rnd: ReportingRound) -> bool:
    """The issuing unit's people and those above it, and whoever sees one of its reports."""
    visible = visible_in_round(user, rnd)
    if visible is None or rnd.issuer_id in visible:
        return True
    return rnd.reports.filter(unit_id__in=visible).exists()


def visible_rounds(user) -> QuerySet[ReportingRound]:
    """Every round the user sees, each on its own tree: a query for the rounds, a few for
    the links below the user's units, one for the reports of the rounds whose issuing
    unit the user does not see."""
    rounds = ReportingRound.objects.all()
    if user.is_superuser:
        return rounds
    own = set(memberships(user))
    if not own:
        return rounds.none()
    issued = list(rounds.values_list("pk", "window_end", "issuer_id"))
    below = descendants_on(own, {day for _, day, _ in issued})
    seen = {pk for pk, day, issuer in issued if issuer in below[day]}
    rest: dict[date, list[int]] = {}
    for pk, day, _ in issued:
        if pk not in seen:
            rest.setdefault(day, []).append(pk)
    if rest:
        reports = Q(pk__in=[])
        for day, pks in rest.items():
            reports |= Q(round_id__in=pks, unit_id__in=below[day])
        seen |= set(Report.objects.filter(reports).values_list("round_id", flat=True).distinct())
    return rounds.filter(pk__in=seen)


def may_consolidate(user, rnd: ReportingRound) -> bool:
    """The issuing unit's people and those above it on the round's tree see it whole."""
    return user.is_superuser or sees_unit(user, rnd.issuer_id, tree_day(rnd))


# ---------------------------------------------------------------- writing


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


def require_prefill(user, report: Report) -> None:
    """Filling the report from the consolidation below is the unit's managers' call."""
    if not is_unit_manager(user, report):
        raise Refused(
            f"Chỉ lãnh đạo hoặc quản trị của {report.unit.name} được điền báo cáo "
            "từ số liệu tổng hợp."
        )
    if not report.editable:
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}» nên không điền được."
        )


# ---------------------------------------------------------------- leading


def is_leader(user, report: Report) -> bool:
    return user.is_superuser or Role.LEADER in roles_in(user, report.unit_id)


def require_leader(user, report: Report, doing: str) -> None:
    if not is_leader(user, report):
        raise Refused(f"Chỉ lãnh đạo {report.unit.name} được {doing}.")


def require_approve(user, report: Report) -> None:
    if not is_leader(user, report):
        raise Refused("Chỉ lãnh đạo đơn vị được duyệt báo cáo.")
    if not report.editable:
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}», không duyệt được."
        )


def submission_refusal(report: Report) -> str:
    """Why the round takes no report from this unit now; empty while it does."""
    rnd = report.round
    if rnd.closed_at is None or report.reopened_at is not None:
        return ""
    return (
        f"Đợt «{rnd.title}» đã khóa lúc {local_time(rnd.closed_at)}: {rnd.issuer.name} "
        f"không nhận báo cáo gửi lên nữa. Hãy liên hệ {rnd.issuer.name} để được mở lại "
        f"cho {report.unit.name}."
    )


def require_submit(user, report: Report) -> None:
    if not is_leader(user, report):
        raise Refused("Chỉ lãnh đạo đơn vị được gửi báo cáo lên cấp trên.")
    if report.state != ReportState.APPROVED:
        raise Refused("Báo cáo phải được lãnh đạo duyệt trước khi gửi.")
    refusal = submission_refusal(report)
    if refusal:
        raise Refused(refusal)


# ---------------------------------------------------------------- the issuing unit


def reviews_for(user, unit_id: int) -> bool:
    """Whether the user is a Home Affairs reviewer of this very unit, not of one above it."""
    return user.is_superuser or Role.REVIEWER in roles_in(user, unit_id)


def issuer_units(user) -> QuerySet[OrgUnit]:
    """The units this user opens rounds for: where they review (any parent unit for a
    system administrator)."""
    if user.is_superuser:
        return OrgUnit.objects.filter(child_links__isnull=False).distinct()
    return OrgUnit.objects.filter(memberships__user=user, memberships__role=Role.REVIEWER)


def may_open_rounds(user) -> bool:
    return user.is_superuser or Role.REVIEWER in set().union(*memberships(user).values())


def require_round_issuer(user, issuer: OrgUnit) -> None:
    if not reviews_for(user, issuer.id):
        raise Refused(f"Chỉ cán bộ Nội vụ của {issuer.name} được mở đợt báo cáo của đơn vị này.")


def may_administer_round(user, rnd: ReportingRound) -> bool:
    """Changing, extending, closing and reopening a round is the issuing unit's."""
    return reviews_for(user, rnd.issuer_id)


def require_round_admin(user, rnd: ReportingRound) -> None:
    if not may_administer_round(user, rnd):
        raise Refused(
            f"Chỉ cán bộ Nội vụ của {rnd.issuer.name}, đơn vị mở đợt «{rnd.title}», được "
            "sửa, gia hạn, khóa hay mở lại đợt này."
        )


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
