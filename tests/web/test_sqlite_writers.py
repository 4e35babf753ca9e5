"""SQLite writers wait their turn instead of failing "database is locked".

Two connections to one database file, as two server threads or processes have,
both with the settings' SQLite options (write lock taken at BEGIN, a timeout):
the second one's write transaction waits while the first holds the lock and
goes on as soon as the first commits or rolls back.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.utils import ConnectionHandler


def _connect(path: Path) -> DatabaseWrapper:
    """A connection of its own, made in the thread that uses it, with the settings' options."""
    options = {**settings.SQLITE_OPTIONS, "timeout": 5}
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": options}}
    )
    return DatabaseWrapper(handler.settings["default"])


@pytest.fixture(autouse=True)
def _files_of_our_own(django_db_blocker):
    """These connections are to files of the test's own, not to the test database."""
    with django_db_blocker.unblock():
        yield


def _begin(conn) -> None:
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(conn, *, commit: bool) -> None:
    conn.commit() if commit else conn.rollback()
    conn.set_autocommit(True)


def test_the_settings_take_the_write_lock_at_begin_and_wait_for_it() -> None:
    assert settings.SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"
    assert settings.SQLITE_OPTIONS["timeout"] >= 10
    assert "journal_mode=WAL" in settings.SQLITE_OPTIONS["init_command"]


@pytest.mark.parametrize("commit", [True, False], ids=["commit", "rollback"])
def test_a_second_writer_waits_for_the_first_and_then_writes(tmp_path, commit) -> None:
    first = _connect(tmp_path / "db.sqlite3")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    _begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO t VALUES (1)")
    outcome: dict[str, object] = {}

    def write() -> None:
        second = _connect(tmp_path / "db.sqlite3")
        try:
            _begin(second)
            with second.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES (2)")
            _end(second, commit=True)
            outcome["done"] = time.monotonic()
        except Exception as exc:  # reported by the test below
            outcome["error"] = exc
        finally:
            second.close()

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(0.4)
    assert outcome == {}, "the second writer must still be waiting"
    released = time.monotonic()
    _end(first, commit=commit)
    thread.join(timeout=5)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["done"] >= released
    with first.cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY n")
        assert [n for (n,) in cursor.fetchall()] == ([1, 2] if commit else [2])
    first.close()
