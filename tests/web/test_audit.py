"""The audit log keeps what happened with its content: the marks, the templates added,
the rounds opened, the marks a return clears. Each entry is compared whole."""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.bundled_templates import TEMPLATE_DIR
from cchc.web.reporting.models import Assignment, AuditEvent, TemplateVersion
from cchc.web.reporting.template_versions import store
from cchc.web.reporting.workflow import services


def _events(*actions: str) -> list[tuple]:
    rows = AuditEvent.objects.filter(action__in=actions).order_by("id")
    return [
        (e.user.username if e.user else None, e.report_id, e.action, e.target, e.before, e.after)
        for e in rows
    ]


def _done_at(world, kind: str, code: str) -> str:
    return Assignment.objects.get(report=world.report_a, kind=kind, code=code).done_at.isoformat()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_marking_a_part_done_and_reopening_it_is_logged_with_before_and_after(world, login) -> None:
    client = login(world.officer)
    url = reverse("mark-done", args=[world.report_a.pk])
    client.post(url, {"kind": "form", "code": "BM1", "done": "1", "reason": "Thử."})
    done_at = _done_at(world, "form", "BM1")
    client.post(url, {"kind": "form", "code": "BM1", "done": "0"})
    pk = world.report_a.pk
    assert _events("part-done", "part-reopened") == [
        (
            "officer",
            pk,
            "part-done",
            "form:BM1",
            {"assignee": "officer", "done_at": None},
            {"assignee": "officer", "done_at": done_at},
        ),
        (
            "officer",
            pk,
            "part-reopened",
            "form:BM1",
            {"assignee": "officer", "done_at": done_at},
            {"assignee": "officer", "done_at": None},
        ),
    ]


def test_the_leader_marking_the_officers_part_is_logged_under_the_leader(world) -> None:
    services.mark_done(
        user=world.leader, report=world.report_a, kind="section", code="I", reason="Thử."
    )
    assert _events("part-done") == [
        (
            "leader",
            world.report_a.pk,
            "part-done",
            "section:I",
            {"assignee": "officer", "done_at": None},
            {"assignee": "officer", "done_at": _done_at(world, "section", "I")},
        )
    ]


def test_a_return_logs_which_marks_it_cleared_and_who_returned(world) -> None:
    r = world.report_a
    services.mark_done(user=world.officer, report=r, kind="form", code="BM1", reason="Thử.")
    services.mark_done(user=world.officer, report=r, kind="section", code="I", reason="Thử.")
    marks = {
        "form:BM1": {"assignee": "officer", "done_at": _done_at(world, "form", "BM1")},
        "section:I": {"assignee": "officer", "done_at": _done_at(world, "section", "I")},
    }
    services.approve_report(user=world.leader, report=r, reason="Thử.")
    services.submit_report(user=world.leader, report=r)
    services.return_report(user=world.reviewer, report=r, comment="Thiếu số liệu.")
    assert _events("marks-cleared") == [
        ("reviewer", r.pk, "marks-cleared", "", {"done": marks}, {"done": {}})
    ]
    assert list(Assignment.objects.filter(done_at__isnull=False)) == []
    # The officer works on the returned report again and marks the part done anew.
    services.mark_done(user=world.officer, report=r, kind="form", code="BM1", reason="Thử.")
    assert _events("part-done")[-1][4] == {"assignee": "officer", "done_at": None}


# The parts of xa-2022 whose template role is vp-noi-vu, the duty of both communes' officers.
VP_NOI_VU = [
    *(
        f"section:{code}"
        for code in [
            "I",
            "I.1",
            "I.2",
            "I.3",
            "I.4",
            "I.6",
            "II.3",
            "II.3.1",
            "II.3.2",
            "II.3.3",
            "II.3.4",
            "II.4",
            "II.4.1",
            "II.4.2",
            "II.4.3",
            "II.4.4",
            "II.4.5",
            "II.4.6",
            "III",
            "III.1",
            "III.2",
            "IV",
            "V",
        ]
    ),
    "form:BM1",
    "form:BM4",
    "form:BM5",
]


def test_opening_a_round_logs_its_template_window_deadline_and_default_assignments(
    world,
) -> None:
    event = AuditEvent.objects.get(action="round-opened")
    assert (event.user, event.round_id, event.report_id, event.target, event.before) == (
        world.reviewer,
        world.round.pk,
        None,
        "2026-H2",
        None,
    )
    assert event.after == {
        "template": {"id": "xa-2022", "version": world.round.template_id},
        "window": {"start": "2026-06-15", "end": "2026-12-14"},
        "deadline": "2099-12-16T17:00:00+07:00",
        "units": ["XA", "XB"],
        "assignments": {"XA": {"officer": VP_NOI_VU}, "XB": {"outsider": VP_NOI_VU}},
    }


def _added(version: TemplateVersion, source: str, file: str) -> dict:
    return {
        "version": version.pk,
        "title": version.title,
        "sha256": _sha256(version.yaml_text),
        "source": source,
        "file": file,
    }


def test_bundled_templates_are_logged_with_their_file_and_hash(world) -> None:
    expected = []
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        version = TemplateVersion.objects.get(yaml_text=path.read_text(encoding="utf-8"))
        assert version.source == "bundled"
        after = _added(version, "bundled", path.name)
        expected.append((None, None, "template-added", version.template_id, None, after))
    assert _events("template-added") == expected
    store.install_bundled_templates()  # already there: nothing added, nothing logged
    assert _events("template-added") == expected


def _new_template(template_id: str, extra: str = "") -> str:
    text = (TEMPLATE_DIR / "xa-2022.yaml").read_text(encoding="utf-8")
    assert "\nid: xa-2022\n" in text
    return text.replace("\nid: xa-2022\n", f"\nid: {template_id}\n{extra}", 1)


def test_an_uploaded_template_is_logged_with_the_file_name_and_hash(world, login) -> None:
    root = get_user_model().objects.create_superuser("root", password="x")
    text = _new_template("xa-thu-2026")
    login(root).post(
        reverse("template-list"),
        {"file": SimpleUploadedFile("mau-xa-thu.yaml", text.encode("utf-8"))},
    )
    version = TemplateVersion.objects.get(template_id="xa-thu-2026")
    assert (version.yaml_text, version.source) == (text, "upload")
    assert _events("template-added")[-1] == (
        "root",
        None,
        "template-added",
        "xa-thu-2026",
        None,
        {
            "version": version.pk,
            "title": "Báo cáo cải cách hành chính định kỳ cấp xã (mẫu 2022)",
            "sha256": _sha256(text),
            "source": "upload",
            "file": "mau-xa-thu.yaml",
        },
    )


def test_an_inferred_template_is_logged_with_the_report_it_came_from(world, login) -> None:
    root = get_user_model().objects.create_superuser("root", password="x")
    lines = _new_template("xa-suy-ra").split("\n")
    text = "\n".join(
        "source: bao-cao-xa-an.xlsx" if line.startswith("source: ") else line for line in lines
    )
    login(root).post(reverse("template-list"), {"yaml_text": text})
    version = TemplateVersion.objects.get(template_id="xa-suy-ra")
    assert _events("template-added")[-1] == (
        "root",
        None,
        "template-added",
        "xa-suy-ra",
        None,
        _added(version, "inferred", "bao-cao-xa-an.xlsx"),
    )
