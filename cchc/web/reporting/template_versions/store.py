"""Template versions as stored: built once per process, added but never changed."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache

from cchc.bundled_templates import TEMPLATE_DIR, read_template_text
from cchc.core.templates import ReportTemplate
from cchc.web.organisation.models import Membership, Role
from cchc.web.reporting.models import (
    AuditEvent,
    TemplateVersion,
)
from cchc.web.reporting.workflow.permissions import Refused


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
        version, created = TemplateVersion.objects.get_or_create(
            template_id=template.id, defaults={"title": template.title, "yaml_text": text}
        )
        if created:
            _record_added(version, None, path.name)
        out.append(version)
    return out


def can_add_templates(user) -> bool:
    """A stored template is offered to everyone who opens a round, so only those who
    open rounds for others (reviewers) and system administrators may add one."""
    return user.is_superuser or Membership.objects.filter(user=user, role=Role.REVIEWER).exists()


def require_add_templates(user) -> None:
    if not can_add_templates(user):
        raise Refused(
            "Chỉ cán bộ Nội vụ cấp trên (người mở đợt báo cáo) hoặc quản trị hệ thống được "
            "thêm mẫu báo cáo: mẫu đã thêm được dùng cho mọi đơn vị."
        )


def add_template_version(
    *, yaml_text: str, user, name: str = "mau.yaml", source: str = "upload"
) -> TemplateVersion:
    """Store a new template version; a version already stored is never changed."""
    require_add_templates(user)
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
    # An inferred template names the report it was read from in its own `source`.
    _record_added(version, user, (source == "inferred" and template.source) or name)
    return version


def _record_added(version: TemplateVersion, user, file: str) -> None:
    """The log keeps which exact text was added and where it came from."""
    AuditEvent.objects.create(
        user=user,
        action="template-added",
        target=version.template_id,
        after={
            "version": version.pk,
            "title": version.title,
            "sha256": hashlib.sha256(version.yaml_text.encode("utf-8")).hexdigest(),
            "source": version.source,
            "file": file,
        },
    )
