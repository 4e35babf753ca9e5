"""The section texts of an uploaded report, reviewed and then saved into the report's outline.

The review lists every part of the file's narrative with the section it goes to
(`cchc/importers/outline.py` finds it), the start of its text and what the section
holds now; a part that replaces a section's text, or that matched nothing, waits
unticked for a person. Nothing is written before «Nhập»; each section is then
saved through `save_section`, with its version as it was on the review screen, so
a text someone changed meanwhile is reported, not overwritten; the import itself
is one audit entry (`file-imported`) beside the entries of what it wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cchc.core.templates import ReportTemplate
from cchc.importers.outline import match_sections, preview
from cchc.importers.seed_text import TextDocument
from cchc.web.reporting.entry.saving import InvalidInput, save_section
from cchc.web.reporting.models import AuditEvent, PartKind, Report, SectionText
from cchc.web.reporting.workflow.permissions import Refused, can_edit_part

__all__ = ["SectionsSaved", "matched_summary", "record_import", "review_sections", "save_sections"]


def _label(code: str, template: ReportTemplate) -> str:
    section = next((s for s in template.all_sections() if s.code == code), None)
    return f"{section.stt or section.code} {section.title}" if section else code


def review_sections(
    user, report: Report, template: ReportTemplate, document: TextDocument
) -> tuple[list[dict], dict]:
    """Rows for the review screen, and what the session keeps until «Nhập»:
    each part's text and the version of every section as it is now."""
    current = {s.code: s for s in SectionText.objects.filter(report=report)}
    editable = [
        (s.code, f"{s.stt or s.code} {s.title}")
        for s in template.all_sections()
        if can_edit_part(user, report, PartKind.SECTION, s.code)
    ]
    codes = {code for code, _ in editable}
    rows: list[dict] = []
    texts: list[str] = []
    for n, match in enumerate(match_sections(document.narrative, template)):
        target = match.section.code if match.section else ""
        now = current.get(target)
        same = now is not None and now.text.strip() == match.text.strip()
        replaces = now is not None and bool(now.text.strip()) and not same
        rows.append(
            {
                "n": n,
                "match": match,
                "target": target,
                "target_label": _label(target, template) if target else "",
                "may_edit": bool(codes) and (not target or target in codes),
                "checked": bool(target) and target in codes and not same and not replaces,
                "same": same,
                "replaces": replaces,
                "current": preview(now.text) if replaces and now else "",
                "current_chars": len(now.text) if now else 0,
                "choices": editable,
            }
        )
        texts.append(match.text)
    versions = {code: row.version for code, row in current.items()}
    return rows, {"texts": texts, "versions": versions}


@dataclass
class SectionsSaved:
    saved: list[str] = field(default_factory=list)  # section codes written
    conflicts: list[str] = field(default_factory=list)  # changed by someone since the review
    problems: list[str] = field(default_factory=list)  # refused, in Vietnamese


def save_sections(
    *, user, report: Report, template: ReportTemplate, stored: dict, chosen: dict[int, str]
) -> SectionsSaved:
    """Save the ticked parts (`chosen`: part number → section code) into their sections.

    Parts sent to the same section are joined in the file's order. A section's text
    is replaced only if nobody changed it since the review screen was shown.
    """
    texts: list[str] = stored.get("texts") or []
    versions: dict[str, int] = stored.get("versions") or {}
    codes = {s.code for s in template.all_sections()}
    by_section: dict[str, list[str]] = {}
    out = SectionsSaved()
    for n in sorted(chosen):
        code = chosen[n]
        if not (0 <= n < len(texts)) or code not in codes:
            out.problems.append(f"Phần thứ {n + 1} của tệp: chưa chọn mục đề cương để nhập vào.")
            continue
        by_section.setdefault(code, []).append(texts[n])
    for code, parts in by_section.items():
        try:
            result = save_section(
                user=user,
                report=report,
                code=code,
                text="\n\n".join(parts),
                base_version=versions.get(code),
            )
        except (InvalidInput, Refused) as exc:
            out.problems.append(f"Mục {_label(code, template)}: {exc}")
            continue
        (out.conflicts if result.conflicts else out.saved).append(code)
    return out


def record_import(*, user, report: Report, file: str, values: int, sections: list[str]) -> None:
    """One audit entry for the import: the file, how many values, which sections."""
    if values or sections:
        AuditEvent.objects.create(
            report=report,
            user=user,
            action="file-imported",
            target=file[:64],
            after={"file": file, "values": values, "sections": sections},
        )


def matched_summary(rows: list[dict]) -> tuple[int, int]:
    """How many parts the file has, and how many found their section."""
    return len(rows), sum(1 for r in rows if r["target"])
