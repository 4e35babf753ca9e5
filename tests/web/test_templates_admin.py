"""The templates page: who may add a template for everyone, and hostile uploads answered
with a located Vietnamese message while the worker goes on serving."""

from __future__ import annotations

import html
import io
import re
import tracemalloc

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cchc.bundled_templates import TEMPLATE_DIR
from cchc.web.reporting.models import TemplateVersion
from tests.hostile_templates import HOSTILE

NEW_TEMPLATE = (
    (TEMPLATE_DIR / "xa-2022.yaml").read_text(encoding="utf-8").replace("id: xa-2022", "id: xa-moi")
)
REFUSAL = (
    "Chỉ cán bộ Nội vụ cấp trên (người mở đợt báo cáo) hoặc quản trị hệ thống được thêm "
    "mẫu báo cáo: mẫu đã thêm được dùng cho mọi đơn vị."
)


def person(world, persona: str):
    if persona == "system_admin":
        return get_user_model().objects.create_superuser("quantri", password="x")
    return getattr(world, persona)


def upload(text: str, name: str) -> io.BytesIO:
    file = io.BytesIO(text.encode("utf-8"))
    file.name = name
    return file


def refusal_of(response) -> str:
    found = re.search(r'<p class="msg error" id="refusal">(.*?)</p>', response.content.decode())
    return html.unescape(found.group(1)) if found else ""


def stored_ids() -> list[str]:
    return sorted(TemplateVersion.objects.values_list("template_id", flat=True))


BUNDLED = ["ha-trung-9t-2022", "pl-2024", "xa-2022"]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("unit_admin", False),  # of commune A: may not publish to every reviewer
        ("officer", False),  # a contributor
        ("leader", False),
        ("reviewer", True),  # Home Affairs office of the province
        ("system_admin", True),
    ],
)
def test_only_reviewers_and_system_administrators_may_add_a_template(
    world, login, persona, allowed
) -> None:
    user = person(world, persona)
    client = login(user)

    page = client.get(reverse("template-list"))
    response = client.post(reverse("template-list"), {"file": upload(NEW_TEMPLATE, "xa-moi.yaml")})

    assert page.context["can_add"] is allowed
    if allowed:
        assert response.status_code == 302
        assert stored_ids() == sorted([*BUNDLED, "xa-moi"])
        assert TemplateVersion.objects.get(template_id="xa-moi").created_by == user
    else:
        assert (response.status_code, refusal_of(response)) == (403, REFUSAL)
        assert stored_ids() == BUNDLED


def test_a_unit_admin_may_not_save_an_inferred_draft_either(world, login) -> None:
    response = login(world.unit_admin).post(reverse("template-list"), {"yaml_text": NEW_TEMPLATE})

    assert (response.status_code, refusal_of(response)) == (403, REFUSAL)
    assert stored_ids() == BUNDLED


@pytest.mark.parametrize(("name", "text", "problem"), HOSTILE)
def test_a_hostile_upload_is_answered_with_its_problem_and_the_worker_goes_on(
    world, login, name, text, problem
) -> None:
    client = login(world.reviewer)

    tracemalloc.start()
    response = client.post(reverse("template-list"), {"file": upload(text, name)})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert (response.status_code, response.context["problems"]) == (200, [problem])
    assert problem in html.unescape(response.content.decode())
    # Memory, not time, is what an unbounded expansion gives away on a shared machine.
    assert peak < 64 * 1024 * 1024
    assert stored_ids() == BUNDLED
    assert client.get(reverse("template-list")).status_code == 200


@pytest.mark.parametrize(("name", "text", "problem"), HOSTILE)
def test_a_hostile_draft_is_answered_with_its_problem(world, login, name, text, problem) -> None:
    response = login(world.reviewer).post(reverse("template-list"), {"yaml_text": text})

    expected = problem.replace(name, "mau-suy-ra.yaml", 1)
    assert (response.status_code, response.context["problems"]) == (200, [expected])
    assert stored_ids() == BUNDLED


def test_a_yaml_file_over_the_size_limit_is_refused_by_its_declared_size(world, login) -> None:
    big = NEW_TEMPLATE + "# " + "x" * 1_000_000 + "\n"

    response = login(world.reviewer).post(
        reverse("template-list"), {"file": upload(big, "to.yaml")}
    )

    size = f"{len(big.encode('utf-8')):,}".replace(",", ".")
    assert response.context["problems"] == [
        f"to.yaml: tệp có {size} byte, quá giới hạn 1.000.000 byte của một mẫu báo cáo"
    ]
    assert stored_ids() == BUNDLED
