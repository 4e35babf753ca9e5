"""Values, notes and section texts as people save them: versioned, never silently lost.

Each save checks the user may edit that part, writes in one transaction with its
audit entries, and returns the parts someone else changed in between as
conflicts to show, not to overwrite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cchc.core.levels import fills_row, level_names
from cchc.core.limits import (
    MAX_NOTE_CHARS,
    MAX_SECTION_CHARS,
    printable_content,
    text_problem,
    value_problem,
)
from cchc.core.narrative import NarrativeResult, check_report_narrative
from cchc.core.reading import ReadReport, read_report
from cchc.core.report_content import NarrativePart, ReportContent, with_computed
from cchc.core.values import Entry, ReportValues
from cchc.web.reporting.entry.document_details import details_of
from cchc.web.reporting.entry.row_statements import insert_rows, update_rows
from cchc.web.reporting.models import (
    AuditEvent,
    PartKind,
    Report,
    ReportValue,
    SectionText,
)
from cchc.web.reporting.template_versions.store import template_of
from cchc.web.reporting.workflow.permissions import Refused, require_edit


class InvalidInput(Refused):
    """Values no report could hold (too long, control characters, too many digits):
    nothing of the save is written; `problems` says, per indicator code, why."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems.values()))


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
_LOGGED = ("report", "round", "user", "at", "action", "target", "before", "after")


def save_values(
    *,
    user,
    report: Report,
    form: str,
    changes: Mapping[str, tuple[str, int | None]],
    notes: Mapping[str, tuple[str, int | None]] | None = None,
) -> SaveResult:
    """Save raw values of one form: code → (raw text, version the user started from).

    A version of None means "I saw no value". A value changed by someone else in
    between is not overwritten: it comes back as a conflict to show the user.
    """
    require_edit(user, report, PartKind.FORM, form)
    template = template_of(report.round.template)
    f = template.form(form)
    if f is None:
        raise Refused(f"Mẫu không có biểu «{form}».")
    unknown = [c for c in [*changes, *(notes or {})] if f.get(c) is None]
    if unknown:
        raise Refused(f"{f.label or f.code} không có chỉ tiêu mã «{unknown[0]}».")
    _require_own_level(report, template, f, [*changes, *(notes or {})])
    _check_inputs(f, changes, notes or {})
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
            if unchanged and row is not None:  # the same text saved again (pause, then leaving)
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
                    at=now,
                    action="value-saved",
                    target=f"{form}.{code}",
                    before=before,
                    after={"raw": row.raw, "note": row.note},
                )
            )
        # One statement each for the values and the audit trail, whatever the form's size.
        update_rows(changed, _WRITTEN)
        insert_rows(events, _LOGGED)
        _touch(report)
    return result


def _require_own_level(report: Report, template, form, codes: list[str]) -> None:
    """A row another level fills (a province's row of pl-2024) is not the unit's to write."""
    level = report.unit.level
    problems = {}
    for code in dict.fromkeys(codes):
        ind = form.get(code)
        if not fills_row(template, ind, level):
            problems[code] = (
                f"{form.label or form.code}, chỉ tiêu {code}: dòng này dành cho "
                f"{level_names(ind.levels)}, {report.unit.name} không nhập số liệu cho dòng này."
            )
    if problems:
        raise InvalidInput(problems)


def _check_inputs(
    form, changes: Mapping[str, tuple[str, int | None]], notes: Mapping[str, tuple[str, int | None]]
) -> None:
    """Refuse the whole save when any value or note is beyond what a report holds."""
    where = form.label or form.code
    problems: dict[str, str] = {}
    for code, (raw, _) in changes.items():
        what = f"{where}, chỉ tiêu {code}: giá trị"
        if problem := value_problem(form.get(code), (raw or "").strip(), what=what):
            problems[code] = problem
    for code, (note, _) in notes.items():
        what = f"{where}, chỉ tiêu {code}: ghi chú"
        if code not in problems and (
            problem := text_problem((note or "").strip(), limit=MAX_NOTE_CHARS, what=what)
        ):
            problems[code] = problem
    if problems:
        raise InvalidInput(problems)


def save_section(
    *, user, report: Report, code: str, text: str, base_version: int | None
) -> SaveResult:
    template = template_of(report.round.template)
    if code not in {s.code for s in template.all_sections()}:
        raise Refused(f"Đề cương không có mục «{code}».")
    require_edit(user, report, PartKind.SECTION, code)
    if problem := text_problem(text, limit=MAX_SECTION_CHARS, what=f"Nội dung mục {code}"):
        raise InvalidInput({code: problem})
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
    return read_values(report)[0]


def check_report(report: Report) -> ReadReport:
    """The report read once: its readings, computed values and findings."""
    return read_report(template_of(report.round.template), report_values(report))


def check_narrative_of(
    report: Report, checked: ReadReport | None = None, texts: Mapping[str, str] | None = None
) -> NarrativeResult:
    """The findings of a report's section texts, read with its own figures (`checked`,
    when the caller has already read the report; `texts`, code → text, when it has
    read them). Only the texts are read: the checks need neither the document's
    details nor the values read again, and every save through the API answers with
    them."""
    template = template_of(report.round.template)
    values = (checked or check_report(report)).values
    content = ReportContent(
        template_id=template.id,
        values={},
        unit=report.unit.name,
        period=report.round.period_key,
        narrative=_narrative(section_texts(report) if texts is None else texts, template),
    )
    return check_report_narrative(printable_content(content), template, values)


def section_texts(report: Report) -> dict[str, str]:
    """code → text of the report's stored sections."""
    return dict(SectionText.objects.filter(report=report).values_list("code", "text"))


def _narrative(texts: Mapping[str, str], template) -> list[NarrativePart]:
    """The report's non-empty section texts in the outline's order."""
    return [
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


def report_content(report: Report, read: ReadReport | None = None) -> ReportContent:
    """The report for the writers (and the snapshot), with every rate the core
    computes and without the control characters stored before they were refused
    (see limits.printable_content). `read` is the report as already read, if it
    was; the content carries its reading to the writers."""
    template = template_of(report.round.template)
    read = read or check_report(report)
    values = read.entries
    header = details_of(report)[0]
    if not header.issuing_body:
        header.issuing_body = report.unit.name.upper()
    content = ReportContent(
        template_id=template.id,
        values=values,
        unit=report.unit.name,
        period=report.round.period_key,
        header=header,
        narrative=_narrative(section_texts(report), template),
        read=read,
    )
    return printable_content(with_computed(content, read.computed, template))
