"""Writing many rows of one model with one prepared statement run for every row.

The ORM's `bulk_update` builds a CASE expression per field and row, and
`bulk_create` compiles a generic insert, both in Python; for the one to forty
values of a form save that costs more than the database's own work. The
statements here are plain SQL built from the model's metadata, the same on
SQLite and PostgreSQL, with each value prepared by its field as the ORM would.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def _prepared(row: models.Model, fields: Sequence[models.Field]) -> list:
    return [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]


def _run(sql: str, params: list[list]) -> None:
    with connection.cursor() as cursor:
        if len(params) == 1:  # an autosaved cell: no batch to set up
            cursor.execute(sql, params[0])
        else:
            cursor.executemany(sql, params)


def update_rows(rows: Sequence[models.Model], names: Sequence[str]) -> None:
    """UPDATE the named fields of rows already saved, by primary key."""
    if not rows:
        return
    meta = rows[0]._meta
    fields = [meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    if connection.vendor == "postgresql" and len(rows) > 1:
        _update_from_values(rows, fields)
        return
    sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    sql = f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s"
    _run(sql, [[*_prepared(row, fields), row.pk] for row in rows])


def _update_from_values(rows: Sequence[models.Model], fields: Sequence[models.Field]) -> None:
    """PostgreSQL: every row in one `UPDATE … FROM (VALUES …)`.

    The first row's parameters carry their columns' types, which PostgreSQL then
    gives the whole VALUES list (the other rows' literals have none of their own).
    """
    meta = rows[0]._meta
    qn = connection.ops.quote_name
    columns = [meta.pk, *fields]
    typed = "(" + ", ".join(f"%s::{f.db_type(connection)}" for f in columns) + ")"
    plain = "(" + ", ".join(["%s"] * len(columns)) + ")"
    names = ", ".join(qn(f.column) for f in columns)
    sets = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields)
    pk = qn(meta.pk.column)
    size = max(1, connection.ops.bulk_batch_size(columns, rows))
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        values = ", ".join([typed, *[plain] * (len(batch) - 1)])
        sql = (
            f"UPDATE {qn(meta.db_table)} AS t SET {sets} "
            f"FROM (VALUES {values}) AS v({names}) WHERE t.{pk} = v.{pk}"
        )
        params = [v for row in batch for v in [row.pk, *_prepared(row, fields)]]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def insert_rows(rows: Sequence[models.Model], names: Sequence[str]) -> None:
    """INSERT new rows with the named fields (the others take their database default)."""
    if not rows:
        return
    meta = rows[0]._meta
    fields = [meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Many rows per statement, as many as the database takes parameters.
    size = max(1, connection.ops.bulk_batch_size(fields, rows))
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES " + ", ".join(
            [marks] * len(batch)
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [v for row in batch for v in _prepared(row, fields)])
