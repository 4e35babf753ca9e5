"""A copy of the web database taken while the server runs, and put back exactly.

SQLite. `backup_database` copies every page through SQLite's online-backup API
(`sqlite3.Connection.backup`) in one step, inside one read transaction: the
copy is the database as of one instant, every save committed before it
included, while the server goes on writing (WAL lets writers work beside a
reader). The copy is checked (`PRAGMA integrity_check`), made a single file
(rollback journal instead of WAL) and only then given its name. A restore
copies the other way through the same API into the live file, under SQLite's
write lock of that file: a save in progress finishes first (the restore waits
for it), the server's next one waits for the restore (its `timeout`) and sees
the restored data.

PostgreSQL. `pg_dump --format=custom` reads the whole database in one snapshot,
so the copy is consistent while the server writes; `pg_restore --clean
--if-exists --single-transaction` replaces the tables in one transaction:
either the backup is in place or nothing changed. Both tools come with the
`postgresql-client` package.

Which kind a backup is comes from its first bytes (`SQLite format 3`,
`PGDMP`); a backup of the other kind, or a file that is no cchc backup, is
refused before anything is touched. Overwriting a database that holds data
needs a confirmation (`confirm`).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["BackupDone", "BackupError", "backup_database", "file_kind", "restore_database"]

SQLITE, POSTGRESQL = "SQLite", "PostgreSQL"
_MAGIC = {SQLITE: b"SQLite format 3\x00", POSTGRESQL: b"PGDMP"}
_OUR_TABLES = ("django_migrations", "reporting_report")  # a cchc database has both
# Filled by `migrate` alone: a database with rows only there holds no one's data.
_BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}


class BackupError(Exception):
    """What went wrong, in Vietnamese, naming the file or the database; nothing was changed."""


@dataclass(frozen=True)
class BackupDone:
    kind: str  # SQLITE or POSTGRESQL
    database: str  # the database as a person names it: a path, or a name on a server
    file: Path
    size: int  # bytes of the backup file
    seconds: float


def _database() -> Mapping[str, Any]:
    from django.db import connections  # noqa: PLC0415 — the caller sets Django up first

    return connections["default"].settings_dict


def database_kind(db: Mapping[str, Any]) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return SQLITE
    if "postgresql" in engine:
        return POSTGRESQL
    raise BackupError(f"cchc chỉ sao lưu được SQLite và PostgreSQL, không phải {engine}.")


def _describe(db: Mapping[str, Any]) -> str:
    if database_kind(db) == SQLITE:
        return str(db["NAME"])
    return f"{db['NAME']} trên {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"


def file_kind(path: Path) -> str | None:
    """SQLITE or POSTGRESQL from the first bytes of a backup file; None for anything else."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise BackupError(f"Không đọc được {path}: {exc.strerror or exc}.") from exc
    return next((kind for kind, magic in _MAGIC.items() if head.startswith(magic)), None)


def backup_database(target: Path) -> BackupDone:
    """Copy the web database into a new file `target` (refused if the file exists)."""
    db = _database()
    kind = database_kind(db)
    if target.exists():
        raise BackupError(f"{target}: tệp đã có; chọn tên khác (cchc không ghi đè tệp sao lưu).")
    if not target.parent.is_dir():
        raise BackupError(f"{target}: không có thư mục {target.parent}.")
    started = time.monotonic()
    partial = target.with_name(f".{target.name}.{os.getpid()}.dang-ghi")
    try:
        if kind == SQLITE:
            _sqlite_backup(Path(db["NAME"]), partial)
        else:
            _pg_backup(db, partial)
        os.replace(partial, target)
    except OSError as exc:  # no room, no permission
        raise BackupError(f"Không ghi được {target}: {exc.strerror or exc}.") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupDone(kind, _describe(db), target, target.stat().st_size, _since(started))


def restore_database(source: Path, *, confirm: Callable[[str], bool]) -> BackupDone:
    """Replace the web database by the backup `source`; asks `confirm` when it holds data."""
    db = _database()
    kind = database_kind(db)
    if not source.is_file():
        raise BackupError(f"{source}: không có tệp này.")
    found = file_kind(source)
    if found is None:
        raise BackupError(
            f"{source}: không phải bản sao lưu của cchc (tệp do «cchc backup» ghi bắt đầu "
            "bằng «SQLite format 3» hoặc «PGDMP»)."
        )
    if found != kind:
        raise BackupError(
            f"{source} là bản sao lưu {found}, còn cơ sở dữ liệu đang dùng ({_describe(db)}) "
            f"là {kind}: không khôi phục được sang loại khác. Đặt DATABASE_URL cho đúng loại."
        )
    if kind == SQLITE:
        if source.resolve() == Path(db["NAME"]).resolve():
            raise BackupError(f"{source} chính là cơ sở dữ liệu đang dùng, không phải bản sao lưu.")
        _check_sqlite_backup(source)
    else:
        _check_pg_backup(source)
    where = _describe(db)
    if _has_data() and not confirm(
        f"Cơ sở dữ liệu {where} đang có dữ liệu; khôi phục sẽ thay toàn bộ bằng bản sao lưu "
        f"{source} (nên chạy «cchc backup» trước để giữ dữ liệu hiện có)."
    ):
        raise BackupError(
            f"Chưa khôi phục: cơ sở dữ liệu {where} đang có dữ liệu và việc thay thế chưa được "
            "xác nhận (gõ «có» khi được hỏi, hoặc thêm --yes)."
        )
    from django.core.cache import cache  # noqa: PLC0415 — the caller sets Django up first
    from django.db import connections  # noqa: PLC0415 — the caller sets Django up first

    connections.close_all()
    started = time.monotonic()
    if kind == SQLITE:
        _sqlite_restore(source, Path(db["NAME"]))
    else:
        _pg_restore(db, source)
    cache.clear()  # sessions and checks cached before the restore describe other data
    return BackupDone(kind, where, source, source.stat().st_size, _since(started))


def _since(started: float) -> float:
    return time.monotonic() - started


def _has_data() -> bool:
    """Whether any table holds a row that `migrate` alone would not have written."""
    from django.db import Error, connection  # noqa: PLC0415 — the caller sets Django up first

    try:
        tables = sorted(set(connection.introspection.table_names()) - _BOOKKEEPING)
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    except Error as exc:  # no server, no such database, no permission
        db = _database()
        hint = ""
        if database_kind(db) == POSTGRESQL:
            hint = f" (cơ sở dữ liệu phải có sẵn, có thể trống: createdb {db['NAME']})"
        raise BackupError(f"Không mở được cơ sở dữ liệu {_describe(db)}{hint}: {exc}") from exc
    return False


# ------------------------------------------------------------------ SQLite


def _sqlite_backup(database: Path, target: Path) -> None:
    if not database.is_file():
        raise BackupError(f"Chưa có cơ sở dữ liệu {database}: không có gì để sao lưu.")
    try:
        with (
            closing(sqlite3.connect(database, timeout=60)) as src,
            closing(sqlite3.connect(target)) as dst,
        ):
            src.backup(dst)  # every page in one step: one consistent instant
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            check = dst.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"Không sao lưu được {database} vào {target.parent}: {exc}") from exc
    if check != "ok":
        raise BackupError(f"Bản sao của {database} không toàn vẹn ({check}); chưa ghi tệp nào.")


def _check_sqlite_backup(source: Path) -> None:
    try:
        with closing(sqlite3.connect(_read_only(source), uri=True)) as db:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
            check = db.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"{source}: không đọc được bản sao lưu SQLite ({exc}).") from exc
    if not set(_OUR_TABLES) <= tables:
        raise BackupError(f"{source}: là tệp SQLite nhưng không phải cơ sở dữ liệu của cchc.")
    if check != "ok":
        raise BackupError(f"{source}: bản sao lưu bị hỏng ({check}); chưa khôi phục gì.")


def _read_only(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _sqlite_restore(source: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(sqlite3.connect(_read_only(source), uri=True)) as src,
            closing(sqlite3.connect(database, timeout=60)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")  # as the server runs it
    except sqlite3.Error as exc:
        raise BackupError(f"Không khôi phục được vào {database}: {exc}") from exc


# ------------------------------------------------------------------ PostgreSQL


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"Không tìm thấy lệnh {name} trên máy này: cần cài công cụ của PostgreSQL, gói "
            "postgresql-client (Debian, Ubuntu: apt-get install postgresql-client), phiên bản "
            "không cũ hơn máy chủ PostgreSQL."
        )
    return found


def _pg_env(db: Mapping[str, Any]) -> dict[str, str]:
    """libpq's variables for the database (a password never shows on a command line)."""
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    options = db.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _conninfo_name(name: str) -> str:
    return "dbname='" + name.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _run(command: list[str], db: Mapping[str, Any], what: str) -> str:
    done = subprocess.run(command, env=_pg_env(db), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = " ".join(done.stderr.strip().splitlines()[-3:]) or f"mã thoát {done.returncode}"
        if "version mismatch" in detail:
            detail += (
                f" ({Path(command[0]).name} cũ hơn máy chủ PostgreSQL: cài gói "
                "postgresql-client cùng phiên bản với máy chủ)"
            )
        raise BackupError(f"{what}: {detail}")
    return done.stdout


def _pg_backup(db: Mapping[str, Any], target: Path) -> None:
    pg_dump = _pg_tool("pg_dump")
    command = [pg_dump, "--format=custom", "--no-password", f"--file={target}"]
    _run(
        [*command, f"--dbname={_conninfo_name(db['NAME'])}"],
        db,
        f"pg_dump không sao lưu được {_describe(db)}",
    )


def _check_pg_backup(source: Path) -> None:
    listing = _run(
        [_pg_tool("pg_restore"), "--list", str(source)], {}, f"{source}: pg_restore không đọc được"
    )
    if not all(re.search(rf"^\d+; \d+ \d+ TABLE \S+ {t} ", listing, re.M) for t in _OUR_TABLES):
        raise BackupError(f"{source}: là bản sao lưu PostgreSQL nhưng không phải của cchc.")


def _pg_restore(db: Mapping[str, Any], source: Path) -> None:
    command = [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",  # all or nothing
        "--exit-on-error",
        "--no-password",
        f"--dbname={_conninfo_name(db['NAME'])}",
        str(source),
    ]
    _run(command, db, f"pg_restore không khôi phục được vào {_describe(db)}; dữ liệu cũ vẫn nguyên")
