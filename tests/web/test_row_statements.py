"""Rows written by one prepared statement read back exactly as the ORM would have written them.

Run on SQLite and on PostgreSQL (where several rows go in one UPDATE … FROM VALUES):
texts with quotes and Vietnamese letters, a version number, a user, a time, JSON
with a null, and a row untouched in between.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cchc.web.reporting.entry.row_statements import insert_rows, update_rows
from cchc.web.reporting.models import AuditEvent, ReportValue


def _values(world, n: int) -> list[ReportValue]:
    return [
        ReportValue.objects.create(
            report=world.report_a, form="BM1", code=f"9.{i}", raw=str(i), note=""
        )
        for i in range(n)
    ]


def test_several_rows_are_updated_field_by_field(world) -> None:
    rows = _values(world, 4)
    at = datetime(2026, 11, 21, 8, 30, 15, 123456, tzinfo=UTC)
    changed = [rows[0], rows[1], rows[3]]
    for n, row in enumerate(changed):
        row.raw, row.note = f"1.20{n}", f"ghi chú «{n}» 'trích'"
        row.version, row.updated_by, row.updated_at = 7 + n, world.officer, at
    update_rows(changed, ("raw", "note", "version", "updated_by", "updated_at"))
    stored = {v.code: v for v in ReportValue.objects.filter(report=world.report_a, form="BM1")}
    assert [(stored[r.code].raw, stored[r.code].version) for r in changed] == [
        ("1.200", 7),
        ("1.201", 8),
        ("1.202", 9),
    ]
    assert stored["9.3"].note == "ghi chú «2» 'trích'"
    assert stored["9.3"].updated_by_id == world.officer.pk
    assert stored["9.3"].updated_at == at
    assert (stored["9.2"].raw, stored["9.2"].version) == ("2", 1)  # not in the list


def test_one_row_is_updated_too(world) -> None:
    (row,) = _values(world, 1)
    row.raw, row.version = "42", 5
    update_rows([row], ("raw", "version"))
    row.refresh_from_db()
    assert (row.raw, row.version) == ("42", 5)


def test_audit_rows_are_inserted_with_their_json(world) -> None:
    at = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
    events = [
        AuditEvent(
            report=world.report_a,
            user=world.officer,
            at=at,
            action="value-saved",
            target=f"BM1.{i}",
            before=None if i == 0 else {"raw": str(i - 1), "note": ""},
            after={"raw": str(i), "note": "«ổn»"},
        )
        for i in range(3)
    ]
    insert_rows(events, ("report", "round", "user", "at", "action", "target", "before", "after"))
    stored = list(AuditEvent.objects.filter(report=world.report_a, action="value-saved"))
    stored.sort(key=lambda e: e.target)
    assert [(e.target, e.before, e.after) for e in stored] == [
        ("BM1.0", None, {"raw": "0", "note": "«ổn»"}),
        ("BM1.1", {"raw": "0", "note": ""}, {"raw": "1", "note": "«ổn»"}),
        ("BM1.2", {"raw": "1", "note": ""}, {"raw": "2", "note": "«ổn»"}),
    ]
    assert {e.at for e in stored} == {at} and {e.user_id for e in stored} == {world.officer.pk}
