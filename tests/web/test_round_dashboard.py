"""The round dashboard filtered and paged on the server, its counts over the whole round."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.core.periods import Period, PeriodType, Window
from cchc.web.organisation.services import create_unit
from cchc.web.reporting.models import Report, ReportState, TemplateVersion
from cchc.web.reporting.rounds.dashboard import dashboard_counts, dashboard_rows
from cchc.web.reporting.workflow import services
from cchc.web.views import round_dashboard


@pytest.fixture
def national(world):
    """A round of the ministry over three communes of two provinces, in every state."""
    other = create_unit(code="T2", name="Tỉnh Khác", level="tinh", parent=world.ministry)
    c = create_unit(code="XC", name="Xã Cát", level="xa", parent=other)
    rnd = services.open_round(
        user=world.ministry_reviewer,
        issuer=world.ministry,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, 2026, 1),
        units=[world.commune_a, world.commune_b, c],
        window_override=Window(date(2026, 1, 1), date(2026, 6, 14)),
        deadline=timezone.make_aware(datetime(2026, 6, 16, 17, 0)),
    )
    late = rnd.deadline + timedelta(days=1)
    Report.objects.filter(round=rnd, unit=c).update(state=ReportState.SUBMITTED, submitted_at=late)
    Report.objects.filter(round=rnd, unit=world.commune_b).update(first_edit_at=timezone.now())
    return rnd


def test_the_state_in_sql_is_the_state_in_python(world, national) -> None:
    rows, counts = services.round_dashboard(national)
    assert dashboard_counts(national) == counts
    by_sql = {r.pk: r.status for r in dashboard_rows(national)}
    assert by_sql == {r.pk: status for r, status in rows}
    assert sorted(by_sql.values()) == ["in_progress", "late", "not_started"]


def _page(client, rnd, **query) -> str:
    response = client.get(reverse("round-dashboard", args=[rnd.pk]), query)
    assert response.status_code == 200, response.content.decode()
    return response.content.decode()


def _units(page: str) -> list[str]:
    import re

    return re.findall(r'<tr data-unit="([^"]+)"', page)


def test_filters_keep_the_counts_of_the_whole_round(world, national, login) -> None:
    client = login(world.ministry_reviewer)
    assert _units(_page(client, national)) == ["Xã An", "Xã Bình", "Xã Cát"]
    page = _page(client, national, tinh=str(world.province.pk))
    assert _units(page) == ["Xã An", "Xã Bình"]
    assert "Tất cả: 3" in page and 'data-status="late">Đã gửi muộn: <strong>1</strong>' in page
    assert _units(_page(client, national, ten="Cát")) == ["Xã Cát"]
    assert _units(_page(client, national, **{"trang-thai": "late"})) == ["Xã Cát"]
    both = {"trang-thai": "not_started", "tinh": str(world.province.pk)}
    assert _units(_page(client, national, **both)) == ["Xã An"]


def test_a_province_sees_only_its_own_communes_of_a_national_round(world, national, login):
    assert _units(_page(login(world.reviewer), national)) == ["Xã An", "Xã Bình"]


def test_the_list_is_paged_and_a_page_not_there_is_a_vietnamese_400(
    world, national, login, monkeypatch
) -> None:
    monkeypatch.setattr(round_dashboard, "PER_PAGE", 2)
    client = login(world.ministry_reviewer)
    first = _page(client, national)
    assert _units(first) == ["Xã An", "Xã Bình"] and "Trang 1/2 (3 dòng)" in first
    assert _units(_page(client, national, page="2")) == ["Xã Cát"]
    url = reverse("round-dashboard", args=[national.pk])
    for query, said in [
        ({"page": "9"}, "Trang «9» không có"),
        ({"trang-thai": "xoa"}, "Tình trạng «xoa» không có"),
        ({"tinh": "999999"}, "Tỉnh «999999» không có"),
    ]:
        response = client.get(url, query)
        assert response.status_code == 400 and said in response.content.decode()


def test_the_round_list_is_one_query_that_reads_no_template(world, national, login) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.reviewer)
    client.get(reverse("round-list"))  # the session and the menu's queries, once
    with CaptureQueriesContext(connection) as seen:
        page = client.get(reverse("round-list")).content.decode()
    rounds = [q["sql"] for q in seen.captured_queries if "reporting_reportinground" in q["sql"]]
    # each round's tree day and issuer (permissions.visible_rounds), the pager, the page
    assert [sql.startswith("SELECT COUNT(*)") for sql in rounds] == [False, True, False]
    assert all("templateversion" not in sql and "DISTINCT" not in sql for sql in rounds)
    assert page.index(world.round.title) < page.index(national.title)  # latest deadline first


def test_the_login_log_is_paged_newest_first(world, login, monkeypatch) -> None:
    from cchc.web.reporting.models import AuditEvent
    from cchc.web.views import login_log

    for n in range(3):
        AuditEvent.objects.create(
            user=world.officer, action="login", target="officer", after={"ip": f"10.0.0.{n}"}
        )
    monkeypatch.setattr(login_log, "PER_PAGE", 2)
    client = login(world.officer)  # a fourth entry, the newest
    first = client.get(reverse("login-log")).content.decode()
    assert "Trang 1/2 (4 dòng)" in first and "10.0.0.2" in first and "10.0.0.1" not in first
    assert "10.0.0.0" in client.get(reverse("login-log"), {"page": "2"}).content.decode()
    assert client.get(reverse("login-log"), {"page": "x"}).status_code == 400
