"""Operations of the reporting workflow, as the users' clicks, the API and the demo call them.

Each function checks who may do it, does it in one transaction, records it in
the audit log, and raises `Refused` (a Vietnamese message) otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from cchc.core.periods import Period, RoundSchedule, Window, window
from cchc.core.report import DocumentHeader, NarrativePart, ReportContent
from cchc.core.templates import ReportTemplate
from cchc.core.validation import ValidationResult, validate_report
from cchc.core.values import Entry, ReportValues
from cchc.templates import TEMPLATE_DIR, read_template_text
from cchc.web.organisation.models import Membership, OrgUnit, Role
from cchc.web.organisation.services import (
    descendant_ids,
    is_reviewer_above,
    roles_in,
    sees_unit,
)
from cchc.web.reporting.models import (
    Assignment,
    AuditEvent,
    PartKind,
    Report,
    ReportingRound,
    ReportState,
    ReportValue,
    SectionText,
    TemplateVersion,
)


class Refused(Exception):
    """An operation the user may not do now; the message says why, in Vietnamese."""


# ---------------------------------------------------------------- templates


@lru_cache(maxsize=64)
def _build(template_id: str, yaml_text: str) -> ReportTemplate:
    return read_template_text(yaml_text, f"{template_id}.yaml")


# A stored version never changes, so its built template is kept by identity; a
# request that did not load the (tens of kilobytes of) YAML text reads it only once.
_built: dict[tuple[int, str, datetime], ReportTemplate] = {}


def template_of(version: TemplateVersion) -> ReportTemplate:
    key = (version.pk, version.template_id, version.created_at)
    template = _built.get(key)
    if template is None:
        if "yaml_text" in version.get_deferred_fields():
            version.refresh_from_db(fields=["yaml_text"])
        template = _build(version.template_id, version.yaml_text)
        if version.pk is not None:
            _built[key] = template
    return template


def install_bundled_templates() -> list[TemplateVersion]:
    """Store every template shipped with cchc that is not stored yet."""
    out = []
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        template = read_template_text(text, path.name)
        version, _ = TemplateVersion.objects.get_or_create(
            template_id=template.id, defaults={"title": template.title, "yaml_text": text}
        )
        out.append(version)
    return out


def add_template_version(
    *, yaml_text: str, user, name: str = "mau.yaml", source: str = "upload"
) -> TemplateVersion:
    """Store a new template version; a version already stored is never changed."""
    if not (
        user.is_superuser or Membership.objects.filter(user=user, role=Role.UNIT_ADMIN).exists()
    ):
        raise Refused("Chỉ quản trị đơn vị hoặc quản trị hệ thống được thêm mẫu báo cáo.")
    template = read_template_text(yaml_text, name)  # raises TemplateFileError with lines
    if TemplateVersion.objects.filter(template_id=template.id).exists():
        raise Refused(
            f"Mẫu «{template.id}» đã có. Phiên bản đang dùng không được sửa: "
            "hãy đặt mã mới (ví dụ thêm năm hoặc số phiên bản) cho phiên bản mới."
        )
    version = TemplateVersion.objects.create(
        template_id=template.id,
        title=template.title,
        yaml_text=yaml_text,
        source=source,
        created_by=user,
    )
    AuditEvent.objects.create(user=user, action="template-added", target=template.id)
    return version


# ---------------------------------------------------------------- rounds


def default_schedule(period: Period) -> RoundSchedule:
    """The Home Affairs CCHC window and deadline where they exist, Decree 09 otherwise."""
    try:
        return RoundSchedule.default(period, "cchc")
    except ValueError:
        return RoundSchedule.default(period, "nd09")


def open_round(
    *,
    user,
    issuer: OrgUnit,
    template: TemplateVersion,
    period: Period,
    units: list[OrgUnit],
    window_override: Window | None = None,
    deadline: datetime | None = None,
    title: str = "",
) -> ReportingRound:
    """A reviewer of the issuing unit opens a round: one report per unit in scope."""
    if not (user.is_superuser or Role.REVIEWER in roles_in(user, issuer.id)):
        raise Refused(f"Chỉ cán bộ Nội vụ của {issuer.name} được mở đợt báo cáo của đơn vị này.")
    if not units:
        raise Refused("Đợt báo cáo cần ít nhất một đơn vị.")
    schedule = default_schedule(period)
    win = window_override or schedule.window
    # The tree of the period, not of today: a 2024 round follows the districts of 2024.
    below = descendant_ids({issuer.id}, win.end) - {issuer.id}
    outside = [u.name for u in units if u.id not in below]
    if outside:
        raise Refused(f"Các đơn vị không trực thuộc {issuer.name}: {', '.join(outside)}.")
    due = deadline or timezone.make_aware(schedule.deadline.at)
    template_obj = template_of(template)
    with transaction.atomic():
        rnd = ReportingRound.objects.create(
            issuer=issuer,
            template=template,
            period_key=period.key,
            title=title or f"Báo cáo CCHC {period.label.lower()} — {template_obj.title}",
            window_start=win.start,
            window_end=win.end,
            deadline=due,
            created_by=user,
        )
        for unit in units:
            report = Report.objects.create(round=rnd, unit=unit)
            assign_defaults(report=report, template=template_obj)
        AuditEvent.objects.create(
            round=rnd,
            user=user,
            action="round-opened",
            target=period.key,
            after={"units": [u.code for u in units], "deadline": due.isoformat()},
        )
    return rnd


def assign_defaults(*, report: Report, template: ReportTemplate) -> list[Assignment]:
    """Prefill the split of work from the template's roles and the members' duties."""
    holders = {
        m.duty: m.user
        for m in Membership.objects.filter(unit=report.unit).exclude(duty="").select_related("user")
    }
    parts = [(PartKind.SECTION, s.code, s.role) for s in template.all_sections()]
    parts += [(PartKind.FORM, f.code, f.role) for f in template.forms]
    made = []
    for kind, code, role in parts:
        if role and role in holders:
            made.append(Assignment(report=report, kind=kind, code=code, user=holders[role]))
    Assignment.objects.bulk_create(made)
    return made


def assign_part(*, user, report: Report, kind: str, code: str, assignee) -> None:
    if not (user.is_superuser or roles_in(user, report.unit_id) & {Role.UNIT_ADMIN, Role.LEADER}):
        raise Refused("Chỉ quản trị đơn vị hoặc lãnh đạo được phân công.")
    if not Membership.objects.filter(user=assignee, unit=report.unit).exists():
        raise Refused(
            f"{assignee.get_full_name() or assignee.username} không thuộc {report.unit.name}."
        )
    with transaction.atomic():
        before = Assignment.objects.filter(report=report, kind=kind, code=code).first()
        Assignment.objects.update_or_create(
            report=report, kind=kind, code=code, defaults={"user": assignee, "done_at": None}
        )
        AuditEvent.objects.create(
            report=report,
            user=user,
            action="assigned",
            target=f"{kind}:{code}",
            before={"user": before.user.username} if before else None,
            after={"user": assignee.username},
        )


# ---------------------------------------------------------------- permissions


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


def _require_edit(user, report: Report, kind: str, code: str) -> None:
    if not report.editable:
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}» nên không sửa được."
        )
    if not can_edit_part(user, report, kind, code):
        what = "biểu" if kind == PartKind.FORM else "mục"
        raise Refused(f"Bạn không được phân công {what} {code} của báo cáo này.")


# ---------------------------------------------------------------- values and texts


@dataclass
class Conflict:
    """Someone else saved this part after the version the user started from."""

    current: str
    version: int
    by: str


@dataclass
class SaveResult:
    versions: dict[tuple[str, str], int] = field(default_factory=dict)
    conflicts: dict[tuple[str, str], Conflict] = field(default_factory=dict)


def _touch(report: Report) -> None:
    if report.first_edit_at is None:
        Report.objects.filter(pk=report.pk, first_edit_at__isnull=True).update(
            first_edit_at=timezone.now()
        )


_WRITTEN = ("raw", "note", "version", "updated_by", "updated_at")


def _write_values(rows: list[ReportValue]) -> None:
    """Write changed values with one prepared UPDATE run for every row.

    `bulk_update` builds a CASE expression per field and row in Python, which
    costs more than the database work for the one or two cells of an autosave;
    the statement below is the same on SQLite and PostgreSQL.
    """
    if not rows:
        return
    fields = [ReportValue._meta.get_field(name) for name in _WRITTEN]
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    pk = qn(ReportValue._meta.pk.column)
    sql = f"UPDATE {qn(ReportValue._meta.db_table)} SET {sets} WHERE {pk} = %s"
    params = [
        [*(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields), row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        if len(params) == 1:  # an autosaved cell: no batch to set up
            cursor.execute(sql, params[0])
        else:
            cursor.executemany(sql, params)


def save_values(
    *,
    user,
    report: Report,
    form: str,
    changes: dict[str, tuple[str, int | None]],
    notes: dict[str, tuple[str, int | None]] | None = None,
) -> SaveResult:
    """Save raw values of one form: code → (raw text, version the user started from).

    A version of None means "I saw no value". A value changed by someone else in
    between is not overwritten: it comes back as a conflict to show the user.
    """
    _require_edit(user, report, PartKind.FORM, form)
    template = template_of(report.round.template)
    f = template.form(form)
    if f is None:
        raise Refused(f"Mẫu không có biểu «{form}».")
    unknown = [c for c in [*changes, *(notes or {})] if f.get(c) is None]
    if unknown:
        raise Refused(f"{f.label or f.code} không có chỉ tiêu mã «{unknown[0]}».")
    result = SaveResult()
    now = timezone.now()
    changed: list[ReportValue] = []
    events: list[AuditEvent] = []
    with transaction.atomic():
        keys = set(changes) | set(notes or {})
        existing = {
            v.code: v
            # Who saved last is read only for a conflict, the rare case.
            for v in ReportValue.objects.select_for_update().filter(
                report=report, form=form, code__in=keys
            )
        }
        for code in sorted(keys):
            raw, base = changes.get(code, (None, None))
            note, note_base = (notes or {}).get(code, (None, None))
            base = base if raw is not None else note_base
            row = existing.get(code)
            current_version = row.version if row else None
            if base != current_version and not (row is None and base in (None, 0)):
                result.conflicts[(form, code)] = Conflict(
                    current=row.raw if row else "",
                    version=current_version or 0,
                    by=(row.updated_by.get_full_name() or row.updated_by.username)
                    if row and row.updated_by
                    else "",
                )
                continue
            before = {"raw": row.raw, "note": row.note} if row else None
            unchanged = (
                row is not None
                and (raw is None or raw.strip() == row.raw)
                and (note is None or note.strip() == row.note)
            )
            if unchanged:  # the same text saved again (pause, then leaving the field)
                result.versions[(form, code)] = row.version
                continue
            if row is None:
                try:
                    with transaction.atomic():
                        row = ReportValue.objects.create(
                            report=report,
                            form=form,
                            code=code,
                            raw=(raw or "").strip(),
                            note=(note or "").strip(),
                            updated_by=user,
                        )
                except IntegrityError:  # created by someone else a moment ago
                    current = ReportValue.objects.get(report=report, form=form, code=code)
                    result.conflicts[(form, code)] = Conflict(current.raw, current.version, "")
                    continue
            else:
                # The row is locked for this transaction: its next version is ours to set.
                if raw is not None:
                    row.raw = raw.strip()
                if note is not None:
                    row.note = note.strip()
                row.version += 1
                row.updated_by = user
                row.updated_at = now
                changed.append(row)
            result.versions[(form, code)] = row.version
            events.append(
                AuditEvent(
                    report=report,
                    user=user,
                    action="value-saved",
                    target=f"{form}.{code}",
                    before=before,
                    after={"raw": row.raw, "note": row.note},
                )
            )
        _write_values(changed)
        AuditEvent.objects.bulk_create(events)
        _touch(report)
    return result


def save_section(
    *, user, report: Report, code: str, text: str, base_version: int | None
) -> SaveResult:
    template = template_of(report.round.template)
    if code not in {s.code for s in template.all_sections()}:
        raise Refused(f"Đề cương không có mục «{code}».")
    _require_edit(user, report, PartKind.SECTION, code)
    result = SaveResult()
    with transaction.atomic():
        row = SectionText.objects.select_for_update().filter(report=report, code=code).first()
        current = row.version if row else None
        if base_version != current and not (row is None and base_version in (None, 0)):
            result.conflicts[("", code)] = Conflict(
                row.text if row else "",
                current or 0,
                row.updated_by.username if row and row.updated_by else "",
            )
            return result
        before = {"text": row.text} if row else None
        if row is not None and row.text == text:  # nothing new: no version, no audit entry
            result.versions[("", code)] = row.version
            return result
        if row is None:
            row = SectionText.objects.create(report=report, code=code, text=text, updated_by=user)
        else:
            row.text, row.version, row.updated_by = text, F("version") + 1, user
            row.save()
            row.refresh_from_db(fields=["version"])
        result.versions[("", code)] = row.version
        AuditEvent.objects.create(
            report=report,
            user=user,
            action="section-saved",
            target=code,
            before=before,
            after={"text": text},
        )
        _touch(report)
    return result


def mark_done(*, user, report: Report, kind: str, code: str, done: bool = True) -> None:
    a = Assignment.objects.filter(report=report, kind=kind, code=code).first()
    if a is None or (a.user_id != user.id and not is_unit_manager(user, report)):
        raise Refused("Chỉ người được phân công mới đánh dấu phần việc này là xong.")
    a.done_at = timezone.now() if done else None
    a.save(update_fields=["done_at"])
    AuditEvent.objects.create(
        report=report,
        user=user,
        action="part-done" if done else "part-reopened",
        target=f"{kind}:{code}",
    )


StoredValues = dict[str, dict[str, tuple[str, str, int]]]  # form → code → (raw, note, version)


def read_values(report: Report) -> tuple[ReportValues, StoredValues]:
    """The report's values for the core, and as stored with their versions: one query
    for the pages and the API that show both."""
    values: ReportValues = {}
    stored: StoredValues = {}
    rows = ReportValue.objects.filter(report=report).values_list(
        "form", "code", "raw", "note", "version"
    )
    for form, code, raw, note, version in rows:
        if raw or note:
            values.setdefault(form, {})[code] = Entry(raw=raw, note=note)
        stored.setdefault(form, {})[code] = (raw, note, version)
    return values, stored


def report_values(report: Report) -> ReportValues:
    values: ReportValues = {}
    for v in ReportValue.objects.filter(report=report).only("form", "code", "raw", "note"):
        if v.raw or v.note:
            values.setdefault(v.form, {})[v.code] = Entry(raw=v.raw, note=v.note)
    return values


def check_report(report: Report) -> ValidationResult:
    return validate_report(template_of(report.round.template), report_values(report))


def report_content(report: Report) -> ReportContent:
    template = template_of(report.round.template)
    texts = {s.code: s.text for s in SectionText.objects.filter(report=report)}
    narrative = [
        NarrativePart(
            code=s.code,
            title=s.title,
            text=texts[s.code],
            number=s.stt,
            level=s.code.count(".") + 1,
        )
        for s in template.all_sections()
        if texts.get(s.code)
    ]
    header = DocumentHeader.from_json(report.header or {})
    if not header.issuing_body:
        header.issuing_body = report.unit.name.upper()
    return ReportContent(
        template_id=template.id,
        values=report_values(report),
        unit=report.unit.name,
        period=report.round.period_key,
        header=header,
        narrative=narrative,
    )


# ---------------------------------------------------------------- workflow


def _transition(report: Report, user, action: str, to: str, **fields) -> None:
    before = report.state
    report.state = to
    for k, v in fields.items():
        setattr(report, k, v)
    report.save()
    from cchc.web.reporting.consolidation_totals import report_state_changed  # layer above

    report_state_changed(report, before)
    AuditEvent.objects.create(
        report=report,
        user=user,
        action=action,
        before={"state": before},
        after={
            "state": to,
            **{
                k: (v.isoformat() if isinstance(v, datetime | date) else v)
                for k, v in fields.items()
            },
        },
    )


def approve_report(*, user, report: Report, reason: str = "") -> None:
    """The leader approves; with errors left, only with a recorded reason."""
    if not (user.is_superuser or Role.LEADER in roles_in(user, report.unit_id)):
        raise Refused("Chỉ lãnh đạo đơn vị được duyệt báo cáo.")
    if not report.editable:
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}», không duyệt được."
        )
    errors = check_report(report).errors
    if errors and not reason.strip():
        raise Refused(
            f"Báo cáo còn {len(errors)} lỗi. Hãy sửa, hoặc ghi rõ lý do duyệt khi còn lỗi."
        )
    with transaction.atomic():
        _transition(
            report,
            user,
            "approved",
            ReportState.APPROVED,
            approval_reason=reason.strip(),
            approved_at=timezone.now(),
        )


def submit_report(*, user, report: Report) -> None:
    if not (user.is_superuser or Role.LEADER in roles_in(user, report.unit_id)):
        raise Refused("Chỉ lãnh đạo đơn vị được gửi báo cáo lên cấp trên.")
    if report.state != ReportState.APPROVED:
        raise Refused("Báo cáo phải được lãnh đạo duyệt trước khi gửi.")
    with transaction.atomic():
        _transition(report, user, "submitted", ReportState.SUBMITTED, submitted_at=timezone.now())


def _require_reviewer(user, report: Report) -> None:
    if not (user.is_superuser or is_reviewer_above(user, report.unit_id, report.round.window_end)):
        raise Refused("Chỉ cán bộ Nội vụ của đơn vị cấp trên được tiếp nhận hoặc trả lại báo cáo.")
    if report.state != ReportState.SUBMITTED:
        raise Refused(
            f"Báo cáo đang ở trạng thái «{report.get_state_display()}», chưa được gửi lên."
        )


def accept_report(*, user, report: Report) -> None:
    _require_reviewer(user, report)
    with transaction.atomic():
        _transition(report, user, "accepted", ReportState.ACCEPTED, accepted_at=timezone.now())


def return_report(*, user, report: Report, comment: str) -> None:
    _require_reviewer(user, report)
    if not comment.strip():
        raise Refused("Hãy ghi rõ lý do trả lại để đơn vị biết cần sửa gì.")
    with transaction.atomic():
        _transition(report, user, "returned", ReportState.RETURNED, return_comment=comment.strip())
        Assignment.objects.filter(report=report).update(done_at=None)


# ---------------------------------------------------------------- dashboards


STATUS_LABELS = {
    "not_started": "Chưa bắt đầu",
    "in_progress": "Đang thực hiện",
    "on_time": "Đã gửi đúng hạn",
    "late": "Đã gửi muộn",
    "returned": "Bị trả lại",
    "accepted": "Đã tiếp nhận",
}


def report_status(report: Report) -> str:
    if report.state == ReportState.ACCEPTED:
        return "accepted"
    if report.state == ReportState.RETURNED:
        return "returned"
    if report.state == ReportState.SUBMITTED:
        return (
            "late"
            if report.submitted_at and report.submitted_at > report.round.deadline
            else "on_time"
        )
    return (
        "in_progress"
        if report.first_edit_at or report.state == ReportState.APPROVED
        else "not_started"
    )


def round_dashboard(rnd: ReportingRound) -> tuple[list[tuple[Report, str]], dict[str, int]]:
    reports = list(rnd.reports.select_related("unit", "round").order_by("unit__name"))
    rows = [(r, report_status(r)) for r in reports]
    counts = {k: 0 for k in STATUS_LABELS}
    for _, status in rows:
        counts[status] += 1
    return rows, counts


def period_window(period: Period) -> Window:
    try:
        return window(period, "cchc")
    except ValueError:
        return window(period, "nd09")
