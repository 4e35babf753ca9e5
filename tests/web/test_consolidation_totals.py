"""The stored consolidation follows every state change and equals a full recomputation."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc.core.consolidation import Consolidation
from cchc.core.periods import Period, PeriodType, Window
from cchc.web.reporting.consolidation import (
    consolidate_round,
    consolidate_round_full,
    sync_round_totals,
    totals,
)
from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import (
    Report,
    ReportState,
    ReportValue,
    RoundTotal,
    TemplateVersion,
)
from cchc.web.reporting.workflow import services
from tests.core.test_consolidation_tally import keeping_units

A_VALUES = {"2.1": "4", "2.2": "3", "1": "12", "3": "Có", "4": "nhiều"}
B_VALUES = {"2.1": "100", "2.2": "99", "1": "6,5"}


def _fill(world, report, user, values) -> None:
    seen = dict(
        ReportValue.objects.filter(report=report, form="BM1").values_list("code", "version")
    )
    result = saving.save_values(
        user=user,
        report=report,
        form="BM1",
        changes={c: (v, seen.get(c)) for c, v in values.items()},
    )
    assert not result.conflicts


def _send(report, leader) -> None:
    services.approve_report(user=leader, report=report, reason="x")
    services.submit_report(user=leader, report=report)


def _same(rnd) -> Consolidation:
    """The stored consolidation, asserted equal to the full one and already fresh."""
    assert sync_round_totals(rnd) == 0  # the state changes kept it up to date
    stored, names = consolidate_round(rnd)
    full, full_names = consolidate_round_full(rnd)
    assert (stored, names) == (full, full_names)
    assert stored.breakdown() == full.breakdown()
    return stored


def test_stored_totals_follow_submit_accept_return_and_resubmit(world, monkeypatch) -> None:
    admin = get_user_model().objects.create_superuser("admin", "a@b.vn", "x")
    a, b = world.report_a, world.report_b
    assert sync_round_totals(world.round) == 2  # a new round: made when first needed
    # From here on, every change adds or takes away one report: no branch is re-tallied.
    monkeypatch.setattr(totals, "_make", lambda *a, **k: pytest.fail("a branch re-tallied"))
    _same(world.round)
    _fill(world, a, world.officer, A_VALUES)
    _fill(world, b, admin, B_VALUES)
    _send(a, world.leader)
    one = _same(world.round)
    assert (one["BM1", "2.1"].value, one.submitted) == (4, ("XA",))
    _send(b, admin)
    both = _same(world.round)
    assert both["BM1", "2.1"].value == 104
    services.accept_report(user=world.reviewer, report=a)
    _same(world.round)
    services.return_report(user=world.reviewer, report=b, comment="Sai số liệu")
    assert _same(world.round)["BM1", "2.1"].value == 4
    b.refresh_from_db()
    _fill(world, b, admin, {"2.1": "10", "2.2": "5"})
    _send(b, admin)
    last = _same(world.round)
    assert (last["BM1", "2.1"].value, last["BM1", "2.2"].value) == (14, 8)
    assert RoundTotal.objects.filter(round=world.round).count() == 2  # one per commune


def test_a_change_made_outside_the_workflow_is_caught_when_read(world) -> None:
    _fill(world, world.report_a, world.officer, A_VALUES)
    _send(world.report_a, world.leader)
    Report.objects.filter(pk=world.report_b.pk).update(
        state=ReportState.ACCEPTED, submitted_at=timezone.now()
    )
    stored, _ = consolidate_round(world.round)
    assert stored == consolidate_round_full(world.round)[0]
    assert stored.submitted == ("XA", "XB")
    assert sync_round_totals(world.round) == 0  # the read stored what it made


def test_a_national_round_keeps_one_tally_per_province(world, monkeypatch) -> None:
    """Above the province, communes are two levels down: their province is the branch;
    a round as large as a national one keeps only the provinces' own figures."""
    monkeypatch.setattr(totals, "KEEP_EVERY_UNIT", 1)
    admin = get_user_model().objects.create_superuser("admin", "a@b.vn", "x")
    nation = world.ministry
    rnd = services.open_round(
        user=admin,
        issuer=nation,
        template=TemplateVersion.objects.get(template_id="xa-2022"),
        period=Period(PeriodType.HALF_YEAR, 2026, 2),
        units=[world.commune_a, world.commune_b],
        window_override=Window(date(2026, 6, 15), date(2026, 12, 14)),
        deadline=timezone.make_aware(datetime(2099, 12, 16, 17, 0)),
    )
    a, b = rnd.reports.get(unit=world.commune_a), rnd.reports.get(unit=world.commune_b)
    _fill(world, a, world.officer, A_VALUES)
    _fill(world, b, admin, B_VALUES)
    _send(a, world.leader)
    _send(b, admin)
    assert sync_round_totals(rnd) == 0
    stored, _ = consolidate_round(rnd)
    full, _ = consolidate_round_full(rnd)
    assert stored == keeping_units(full, {"T"})
    assert stored["BM1", "2.1"].value == 104 and stored["BM1", "2.1"].by_unit == {}
    parts = stored.breakdown()
    assert parts.keys() == {"T"}
    assert parts["T"] == keeping_units(full.breakdown()["T"], {"T"})
    assert list(RoundTotal.objects.filter(round=rnd).values_list("branch", flat=True)) == ["T"]


def test_a_unit_given_its_own_later_deadline_is_late_only_after_it(world) -> None:
    """The consolidation counts lateness as the dashboard does: against `Report.due`, the
    unit's own extension when it has one, by `schedule.is_late`."""
    from cchc.web.reporting.rounds.dashboard import dashboard_counts

    deadline = world.round.deadline
    sent = deadline + timezone.timedelta(days=1)
    Report.objects.filter(pk=world.report_a.pk).update(
        deadline=deadline + timezone.timedelta(days=2)
    )
    Report.objects.filter(pk__in=[world.report_a.pk, world.report_b.pk]).update(
        state=ReportState.SUBMITTED, submitted_at=sent
    )
    stored, _ = consolidate_round(world.round)
    assert (stored.on_time, stored.late) == (("XA",), ("XB",))
    assert stored == consolidate_round_full(world.round)[0]
    counts = dashboard_counts(world.round)
    assert (counts["on_time"], counts["late"]) == (1, 1)
    # A submission's own placing (what it adds to its branch) judges lateness alike.
    from cchc.web.reporting.consolidation.queries import one_report, round_reports

    placed = {r.id: r for r in round_reports(world.round)[0]}
    for report in (world.report_a, world.report_b):
        assert one_report(world.round, report.pk) == placed[report.pk]


def test_a_read_again_reuses_what_it_decoded_and_merged_until_the_content_changes(
    world, monkeypatch
) -> None:
    """A process keeps decoded tallies by their content's digest and merged results by all
    they were merged from; a report returned, corrected and sent again (the same reports
    as before, other figures) is read afresh."""
    from cchc.core.consolidation import Tally

    admin = get_user_model().objects.create_superuser("admin", "a@b.vn", "x")
    _fill(world, world.report_a, world.officer, A_VALUES)
    _fill(world, world.report_b, admin, B_VALUES)
    _send(world.report_a, world.leader)
    _send(world.report_b, admin)
    first = _same(world.round)
    with monkeypatch.context() as m:
        m.setattr(Tally, "from_data", lambda data: pytest.fail("decoded again"))
        m.setattr(totals, "consolidation_from_tallies", lambda *a, **k: pytest.fail("merged"))
        assert consolidate_round(world.round)[0] is first
    services.return_report(user=world.reviewer, report=world.report_b, comment="Sai số liệu")
    world.report_b.refresh_from_db()
    _fill(world, world.report_b, admin, {"2.1": "50"})
    _send(world.report_b, admin)
    again = _same(world.round)
    assert (first["BM1", "2.1"].value, again["BM1", "2.1"].value) == (104, 54)


def test_a_submission_reads_its_own_report_not_the_rounds(world, monkeypatch) -> None:
    """At the deadline each submission costs one report's work: the round's report list
    is not read again, whatever the round's size."""
    assert sync_round_totals(world.round) == 2
    _fill(world, world.report_a, world.officer, A_VALUES)
    services.approve_report(user=world.leader, report=world.report_a, reason="x")
    monkeypatch.setattr(totals, "round_reports", lambda *a: pytest.fail("the round was read"))
    services.submit_report(user=world.leader, report=world.report_a)
    monkeypatch.undo()
    assert _same(world.round)["BM1", "2.1"].value == 4


def test_a_stale_branch_stays_stale_through_submissions(world) -> None:
    """A report put in another way leaves its branch's row stale; a submission to the
    same round changes the row by its own report only, and the reader still remakes it."""
    admin = get_user_model().objects.create_superuser("admin", "a@b.vn", "x")
    assert sync_round_totals(world.round) == 2
    _fill(world, world.report_b, admin, B_VALUES)
    Report.objects.filter(pk=world.report_b.pk).update(
        state=ReportState.ACCEPTED, submitted_at=timezone.now()
    )
    _fill(world, world.report_a, world.officer, A_VALUES)
    _send(world.report_a, world.leader)
    services.return_report(user=world.reviewer, report=world.report_a, comment="Sai")
    stored, _ = consolidate_round(world.round)
    assert stored == consolidate_round_full(world.round)[0]
    assert stored["BM1", "2.1"].value == 100


def test_the_same_report_moved_twice_at_once_is_counted_once(world) -> None:
    """Two people submitting the same report at once: the second, holding the state it
    read before, is refused, and the totals count the report once."""
    _fill(world, world.report_a, world.officer, A_VALUES)
    services.approve_report(user=world.leader, report=world.report_a, reason="x")
    stale = Report.objects.get(pk=world.report_a.pk)
    services.submit_report(user=world.leader, report=world.report_a)
    with pytest.raises(services.Refused, match="người khác chuyển trạng thái"):
        services.submit_report(user=world.leader, report=stale)
    assert _same(world.round)["BM1", "2.1"].value == 4
