"""Two people saving the same form at once: no value is silently lost."""

from __future__ import annotations

from cchc.web.reporting.entry import saving
from cchc.web.reporting.models import ReportValue


def test_the_second_save_from_the_same_starting_version_is_a_conflict(world) -> None:
    r = world.report_a
    first = saving.save_values(user=world.officer, report=r, form="BM1", changes={"1": ("3", None)})
    # the leader opened the form before the officer saved: they started from "no value"
    second = saving.save_values(user=world.leader, report=r, form="BM1", changes={"1": ("4", None)})
    assert first.versions == {("BM1", "1"): 1}
    conflict = second.conflicts[("BM1", "1")]
    assert (conflict.current, conflict.version, conflict.by) == ("3", 1, "officer")
    assert ReportValue.objects.get(report=r, form="BM1", code="1").raw == "3"


def test_saves_of_different_rows_of_the_same_form_both_land(world) -> None:
    r = world.report_a
    saving.save_values(user=world.officer, report=r, form="BM1", changes={"2.1": ("19", None)})
    saving.save_values(user=world.leader, report=r, form="BM1", changes={"2.2": ("15", None)})
    assert dict(ReportValue.objects.filter(report=r).values_list("code", "raw")) == {
        "2.1": "19",
        "2.2": "15",
    }


def test_a_save_from_the_current_version_overwrites_and_bumps_it(world) -> None:
    r = world.report_a
    saving.save_values(user=world.officer, report=r, form="BM1", changes={"1": ("3", None)})
    again = saving.save_values(user=world.leader, report=r, form="BM1", changes={"1": ("4", 1)})
    assert (again.versions, again.conflicts) == ({("BM1", "1"): 2}, {})


def test_saving_the_same_text_again_changes_nothing_and_logs_nothing(world) -> None:
    from cchc.web.reporting.models import AuditEvent

    r = world.report_a
    saving.save_values(user=world.officer, report=r, form="BM1", changes={"1": ("3", None)})
    again = saving.save_values(user=world.officer, report=r, form="BM1", changes={"1": ("3", 1)})
    assert (again.versions, again.conflicts) == ({("BM1", "1"): 1}, {})
    assert AuditEvent.objects.filter(report=r, action="value-saved").count() == 1
