"""Rounds, reports, their values and texts, who does what, and what happened when.

Values are stored one row per indicator with a version number: two officials
saving the same form at once each keep their own rows, and a stale write to
the same row is detected instead of silently overwriting.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models

from cchc.web.organisation.models import OrgUnit


class TemplateVersion(models.Model):
    """A report template version as uploaded (YAML text); never changed once stored."""

    template_id = models.CharField("mã mẫu", max_length=64, unique=True)
    title = models.CharField("tên mẫu", max_length=300)
    yaml_text = models.TextField()
    source = models.CharField(
        "nguồn", max_length=16, default="bundled"
    )  # bundled, upload, inferred
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template_id"]

    def __str__(self) -> str:
        return f"{self.template_id} — {self.title}"


class ReportingRound(models.Model):
    """ "Report period P on template T, units U, deadline D", issued by a unit."""

    issuer = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="issued_rounds")
    template = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField("tên đợt", max_length=300)
    period_key = models.CharField("kỳ", max_length=16)  # Period.key: 2024-H1
    window_start = models.DateField("chốt số liệu từ")
    window_end = models.DateField("chốt số liệu đến")
    deadline = models.DateTimeField("hạn nộp")
    # Closed (DHIS2's "expiry"): no more submissions, except from units reopened since.
    closed_at = models.DateTimeField("khóa lúc", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-deadline"]

    def __str__(self) -> str:
        return self.title


class ReportState(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    APPROVED = "approved", "Lãnh đạo đã duyệt"
    SUBMITTED = "submitted", "Đã gửi cấp trên"
    ACCEPTED = "accepted", "Cấp trên đã tiếp nhận"
    RETURNED = "returned", "Cấp trên trả lại"


EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


class Report(models.Model):
    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="reports")
    state = models.CharField(max_length=16, choices=ReportState.choices, default=ReportState.DRAFT)
    header = models.JSONField(default=dict, blank=True)  # DocumentHeader.to_json()
    approval_reason = models.TextField(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)
    first_edit_at = models.DateTimeField(null=True, blank=True)
    # This unit's own deadline when the round's was extended for it alone.
    deadline = models.DateTimeField("hạn riêng của đơn vị", null=True, blank=True)
    # Set when the round, closed, was reopened for this unit; cleared when it closes again.
    reopened_at = models.DateTimeField("mở lại lúc", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="one_report_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.round}"

    @property
    def editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def due(self):
        """The deadline that holds for this unit (see `due_of`)."""
        return due_of(self.deadline, self.round.deadline)


def due_of(own: datetime | None, round_deadline: datetime) -> datetime:
    """The deadline that holds for a unit: its own extension, unless the round's deadline
    has since moved later still (`dashboard.due` is the same rule in SQL)."""
    return round_deadline if own is None else max(own, round_deadline)


class ReportValue(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    form = models.CharField(max_length=32)
    code = models.CharField(max_length=32)
    raw = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "form", "code"], name="one_value_per_indicator"
            )
        ]


class SectionText(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=32)
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="one_text_per_section")
        ]


class PartKind(models.TextChoices):
    SECTION = "section", "Mục đề cương"
    FORM = "form", "Biểu mẫu"


class Assignment(models.Model):
    """Who writes a section or fills a form of one report, and by when.

    `due_at` is the office's own deadline for the part (seed 000: officials hand in
    by 10:00 on 09/6, the unit submits later); empty means the round's deadline.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=8, choices=PartKind.choices)
    code = models.CharField(max_length=32)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField("hạn nội bộ", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "code"], name="one_owner_per_part")
        ]


class AuditEvent(models.Model):
    """Every change and transition: who, when, what, before, after."""

    report = models.ForeignKey(Report, null=True, on_delete=models.CASCADE, related_name="events")
    round = models.ForeignKey(
        ReportingRound, null=True, on_delete=models.CASCADE, related_name="events"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=32)
    target = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]


class RoundTotal(models.Model):
    """A round's consolidation kept per branch (a direct child of the issuing unit).

    `data` is the branch's `Tally` (cchc/core/consolidation/tally.py); the
    `fingerprint` names what it was made from (its submitted reports, the
    template), so a stale one is seen and made again. Reading a round then needs
    a few thousand figures instead of every value.
    """

    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="totals")
    branch = models.CharField(max_length=64)  # unit code
    fingerprint = models.CharField(max_length=64)
    data = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "branch"], name="one_total_per_branch")
        ]


class IssuedNumber(models.Model):
    """The unit's number book (sổ đăng ký văn bản đi): one line per numbered report.

    Numbers run per unit and calendar year (Decree 30, Điều 15). The constraint is
    what makes two reports never share a number, however many leaders save at once;
    `cchc/web/reporting/entry/document_details.py` allocates under it.
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="issued_numbers")
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số")
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="issued_number")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    issued_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="one_number_per_year")
        ]


class TemplateDraft(models.Model):
    """A template version being designed in the editor: changed freely until it is
    published, when it becomes a TemplateVersion (never changed again) and goes."""

    template_id = models.CharField("mã mẫu", max_length=64)
    title = models.CharField("tên mẫu", max_length=300)
    yaml_text = models.TextField()
    based_on = models.ForeignKey(
        TemplateVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="drafts"
    )
    source = models.CharField("nguồn", max_length=16, default="copy")  # copy, inferred
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.template_id} (bản nháp)"
