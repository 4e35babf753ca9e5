"""SQLite whose write transactions queue on a file lock instead of polling.

SQLite lets one writer in at a time; the others, told "busy", sleep and retry
on a fixed ladder of 1 to 100 ms naps. Under twenty officials saving at once a
writer can lose that race for a second or more while the database is idle
between naps. Here each write transaction first takes an exclusive `flock` on a
file beside the database: waiters sleep in the kernel and one is woken the
moment the lock is released, across threads and server processes alike.
Where `fcntl` does not exist (Windows), SQLite's own waiting is used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


def writer_lock_path(database: str) -> str:
    """The lock file every writer of `database` queues on."""
    return f"{database}.writer-lock"


@contextmanager
def writer_lock(database: str) -> Iterator[None]:
    """Hold the writers' lock of a database file, as a write transaction does (restore)."""
    if fcntl is None:
        yield
        return
    fd = os.open(writer_lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _locked = False

    def _lock_path(self) -> str | None:
        if fcntl is None or self.is_in_memory_db():
            return None
        return writer_lock_path(self.settings_dict["NAME"])

    def _take_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._locked:
            return
        if self._lock_fd is None:
            self._lock_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self._locked = True

    def _release_write_lock(self) -> None:
        if self._locked and self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        self._locked = False

    def _start_transaction_under_autocommit(self) -> None:
        self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._release_write_lock()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
