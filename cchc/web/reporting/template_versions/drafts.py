"""Template versions being designed: a copy of a stored version (or a template inferred
from a blank form) edited part by part, then published as a new stored version.

A draft is only ever the designer's: nobody opens a round on it. Publishing goes
through `add_template_version`, so the YAML file checks, the limits, the
"a stored id is never changed" rule and the audit are those of an upload.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.db import transaction

from cchc.bundled_templates import TemplateFileError, read_template_data
from cchc.core.template_editing import check_data
from cchc.core.template_limits import MAX_CODE_CHARS, MAX_YAML_DEPTH, limit_problems
from cchc.web.reporting.models import AuditEvent, TemplateDraft, TemplateVersion
from cchc.web.reporting.template_versions.store import add_template_version, require_add_templates
from cchc.web.reporting.workflow.permissions import Refused

__all__ = [
    "copy_version",
    "draft_data",
    "draft_for",
    "draft_from_data",
    "dump",
    "publish_draft",
    "save_draft",
]


def dump(data: Any) -> str:
    """The YAML a draft is stored as and a published version keeps (keys in template order)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def draft_data(draft: TemplateDraft) -> dict[str, Any]:
    data = read_template_data(draft.yaml_text, f"{draft.template_id}.yaml")
    return data if isinstance(data, dict) else {}


def draft_for(user, pk: int) -> TemplateDraft:
    """A draft its designer (or a system administrator) opens; anyone else is refused."""
    require_add_templates(user)
    draft = TemplateDraft.objects.filter(pk=pk).first()
    if draft is None or not (user.is_superuser or draft.created_by_id == user.pk):
        raise Refused("Bản nháp mẫu này không có, hoặc do người khác soạn.")
    return draft


def _free_id(base: str) -> str:
    """`xa-2022-2`, `xa-2022-3` …: the first id neither stored nor in a draft."""
    stem = re.sub(r"-\d{1,2}$", "", base)[: MAX_CODE_CHARS - 4] or "mau"
    taken = set(TemplateVersion.objects.values_list("template_id", flat=True))
    taken |= set(TemplateDraft.objects.values_list("template_id", flat=True))
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def draft_from_data(
    data: dict[str, Any], *, user, based_on: TemplateVersion | None, source: str
) -> TemplateDraft:
    require_add_templates(user)
    data["id"] = _free_id(str(data.get("id") or "mau"))
    draft = TemplateDraft.objects.create(
        template_id=data["id"],
        title=str(data.get("title") or "")[:300],
        yaml_text=dump(data),
        based_on=based_on,
        source=source,
        created_by=user,
    )
    AuditEvent.objects.create(
        user=user,
        action="template-draft",
        target=draft.template_id,
        after={"draft": draft.pk, "based_on": based_on.template_id if based_on else None},
    )
    return draft


def copy_version(version: TemplateVersion, user) -> TemplateDraft:
    """A new version begins as a copy: same outline, forms and rules, a new id."""
    data = read_template_data(version.yaml_text, f"{version.template_id}.yaml")
    data = dict(data) if isinstance(data, dict) else {}
    data.pop("example_round", None)  # the old round's dates are not the new one's
    data["title"] = f"{data.get('title', '')} (phiên bản mới)"
    return draft_from_data(data, user=user, based_on=version, source="copy")


def save_draft(draft: TemplateDraft, data: dict[str, Any]) -> list[str]:
    """Keep the edited data, problems and all (a draft may be unfinished), unless it
    breaks a limit: a draft is read by every page of the editor."""
    if too_big := limit_problems(data):
        return [m for _, m in too_big]
    try:
        text = dump(data)
        read_template_data(text, f"{draft.template_id}.yaml")  # the file limits: depth, size
    except RecursionError:
        return [f"Mẫu lồng nhau quá sâu (quá {MAX_YAML_DEPTH} mức)."]
    except TemplateFileError as exc:
        return [p.message for p in exc.problems]
    draft.yaml_text = text
    draft.template_id = str(data.get("id") or draft.template_id)[:MAX_CODE_CHARS]
    draft.title = str(data.get("title") or "")[:300]
    draft.save()
    return []


def publish_draft(draft: TemplateDraft, user) -> TemplateVersion:
    """The draft becomes a stored version, offered to every round from now on, never
    changed again; the draft goes. Refused, with every problem, while any remains."""
    require_add_templates(user)
    data = draft_data(draft)
    if problems := check_data(data):
        raise Refused("Chưa công bố được: " + "; ".join(str(p) for p in problems[:5]))
    with transaction.atomic():
        version = add_template_version(
            yaml_text=draft.yaml_text,
            user=user,
            name=f"{draft.template_id}.yaml",
            source="designed" if draft.source == "copy" else "inferred",
        )
        draft.delete()
    return version
