"""Rows meant for another level: pl-2024's province and district rows, in a commune's report.

Shown read-only on the commune's form, refused by every save path (the form page, its
cells, the API) with a Vietnamese message and nothing saved, and not asked for before
«xong» or approval. The province fills the same rows of its own report.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import ReportValue, TemplateVersion
from cchc.web.reporting.workflow import services
from cchc.web.reporting.workflow.readiness import readiness_of

REFUSAL = (
    "Phụ lục 2, chỉ tiêu 3.1: dòng này dành cho cấp tỉnh, Xã An không nhập số liệu cho dòng này."
)


@pytest.fixture
def pl(world):
    """A pl-2024 round the ministry opens for the province and commune A."""
    rnd = services.open_round(
        user=world.ministry_reviewer,
        issuer=world.ministry,
        template=TemplateVersion.objects.get(template_id="pl-2024"),
        period=Period(PeriodType.HALF_YEAR, 2026, 2),
        units=[world.province, world.commune_a],
        deadline=timezone.make_aware(datetime(2099, 12, 20, 17, 0)),
    )
    return rnd.reports.get(unit=world.commune_a), rnd.reports.get(unit=world.province)


def _saved(report) -> dict[str, str]:
    return dict(ReportValue.objects.filter(report=report).values_list("code", "raw"))


def test_the_communes_form_shows_a_province_row_read_only(world, login, pl) -> None:
    commune, _ = pl
    html = login(world.leader).get(reverse("form-entry", args=[commune.pk, "PL2"])).content.decode()
    row = html[html.index('data-code="3.1"') : html.index('data-code="3.2"')]
    assert "Dòng của cấp tỉnh" in row and 'name="v:3.1"' not in row and 'name="n:3.1"' not in row
    own = html[html.index('data-code="1"') : html.index('data-code="2"')]
    assert 'name="v:1"' in own and "Dòng của" not in own
    assert 'id="other-level-note"' in html


def test_the_form_page_refuses_a_province_row_and_saves_nothing_of_the_form(
    world, login, pl
) -> None:
    commune, _ = pl
    response = login(world.leader).post(
        reverse("form-entry", args=[commune.pk, "PL2"]),
        {"v:1": "4", "ver:1": "0", "v:3.1": "12", "ver:3.1": "0"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"{REFUSAL} Chưa lưu giá trị nào của biểu."
    ]
    assert _saved(commune) == {}


def test_a_cell_of_a_province_row_is_refused_in_the_cell(world, login, pl) -> None:
    commune, _ = pl
    response = login(world.leader).post(
        reverse("save-cell", args=[commune.pk, "PL2"]),
        {"code": "3.1", "field": "raw", "text": "12", "version": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert _saved(commune) == {}


def test_the_api_refuses_a_province_row_with_400_and_saves_nothing(world, login, pl) -> None:
    commune, _ = pl
    response = login(world.leader).put(
        reverse("api-values", args=[commune.pk]),
        json.dumps({"form": "PL2", "values": {"1": {"raw": "4"}, "3.1": {"note": "x"}}}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["problems"] == {"3.1": REFUSAL}
    assert _saved(commune) == {}


def test_the_province_fills_the_same_row_of_its_own_report(world, pl) -> None:
    _, province = pl
    result = saving.save_values(
        user=world.ministry_reviewer.__class__.objects.create_superuser("root"),
        report=province,
        form="PL2",
        changes={"3.1": ("12", None)},
    )
    assert result.conflicts == {} and _saved(province) == {"3.1": "12"}


def test_the_commune_is_not_asked_for_the_rows_of_other_levels(world, pl) -> None:
    commune, province = pl
    commune_empty = next(c for c in readiness_of(commune).gaps.cells if c.form == "PL2")
    province_empty = next(c for c in readiness_of(province).gaps.cells if c.form == "PL2")
    assert "3.1" in province_empty.codes and "3.1" not in commune_empty.codes
