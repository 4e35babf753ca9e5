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
    sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    sql = f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s"
    _run(sql, [[*_prepared(row, fields), row.pk] for row in rows])


def insert_rows(rows: Sequence[models.Model], names: Sequence[str]) -> None:
    """INSERT new rows with the named fields (the others take their database default)."""
    if not rows:
        return
    meta = rows[0]._meta
    fields = [meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"
    _run(sql, [_prepared(row, fields) for row in rows])
