"""SQLite writers wait their turn on the file lock instead of failing "database is locked".

Two connections to one database file, as two server threads or processes have:
the second one's write transaction must wait while the first holds the lock,
however long that is (SQLite's own wait here is cut to 50 ms), and go on as
soon as the first commits or rolls back.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

from cchc.web.sqlite_backend.base import DatabaseWrapper


def _connect(path: Path) -> DatabaseWrapper:
    """A connection of its own, made in the thread that uses it."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "cchc.web.sqlite_backend",
                "NAME": str(path),
                "OPTIONS": {"timeout": 0.05, "transaction_mode": "IMMEDIATE"},
            }
        }
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


@pytest.mark.parametrize("commit", [True, False], ids=["commit", "rollback"])
def test_a_second_writer_waits_for_the_first_and_then_writes(tmp_path, commit) -> None:
    first = _connect(tmp_path / "db.sqlite3")
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
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
    time.sleep(0.4)  # eight times SQLite's own wait
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


def test_the_lock_file_sits_beside_the_database(tmp_path) -> None:
    first = _connect(tmp_path / "db.sqlite3")
    _begin(first)
    _end(first, commit=True)
    first.close()
    assert (tmp_path / "db.sqlite3.writer-lock").exists()
