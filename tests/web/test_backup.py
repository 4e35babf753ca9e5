"""`cchc backup` and `cchc restore` on the database of the run (SQLite, or PostgreSQL when
DATABASE_URL names one), through the real command, on databases of the tests' own.

The demo (values, versions, section texts, audit entries, timestamps) is the
data; every row of every table is compared before and after. Saves run in a
process of their own, as a server worker's do, while a backup is taken.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.seeds import ROOT

URL = os.environ.get("DATABASE_URL", "")
KIND = "PostgreSQL" if URL.startswith(("postgres://", "postgresql://")) else "SQLite"
SEQUENCES = "sqlite_sequence" if KIND == "SQLite" else "pg_sequences"  # the last id of each table
CCHC = [sys.executable, "-m", "cchc.cli"]
WORKER = [sys.executable, str(ROOT / "tests" / "web" / "backup_worker.py")]


@dataclass
class Site:
    """One database and data directory, as an office's server has them."""

    env: dict[str, str]
    name: str  # the database file, or the PostgreSQL database's name

    def cchc(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [*CCHC, *args], env=self.env, input=stdin, capture_output=True, text=True, timeout=120
        )

    def worker(self, *args: str) -> str:
        done = subprocess.run(
            [*WORKER, *args], env=self.env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def snapshot(self) -> dict[str, list[str]]:
        """Every row of every table, each as the driver's repr: exact to the microsecond."""
        if KIND == "SQLite":
            with closing(sqlite3.connect(self.name)) as db:
                return _rows(db, "SELECT name FROM sqlite_master WHERE type = 'table'")
        import psycopg

        with psycopg.connect(self.env["DATABASE_URL"]) as db:
            rows = _rows(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            query = "SELECT sequencename, last_value FROM pg_sequences"
            rows[SEQUENCES] = sorted(repr(row) for row in db.execute(query).fetchall())
            return rows


def _rows(db, tables_query: str) -> dict[str, list[str]]:
    tables = sorted(name for (name,) in db.execute(tables_query).fetchall())
    return {
        t: sorted(repr(row) for row in db.execute(f'SELECT * FROM "{t}"').fetchall())
        for t in tables
    }


def _pg_admin(sql: str) -> None:
    import psycopg

    parts = urlsplit(URL)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql)


class Sites:
    """New sites for a test, empty or copied from the filled one; all removed at the end."""

    def __init__(self, root: Path):
        self.root = root
        self.databases: list[str] = []

    def new(self, template: Site | None = None) -> Site:
        key = uuid.uuid4().hex[:8]
        data = self.root / key
        data.mkdir()
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(CCHC_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
        if KIND == "SQLite":
            name = str(data / "cchc.sqlite3")
            if template is not None:
                shutil.copyfile(template.name, name)
            return Site(env, name)
        parts = urlsplit(URL)
        name = f"{parts.path.lstrip('/')}_bk_{key}"
        copy = f" TEMPLATE {template.name}" if template is not None else ""
        _pg_admin(f'CREATE DATABASE "{name}"{copy}')
        self.databases.append(name)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        return Site(env, name)

    def drop(self) -> None:
        for name in self.databases:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Iterator[tuple[Sites, Site]]:
    """The demo loaded once; each test works on a copy."""
    sites = Sites(tmp_path_factory.mktemp("backup"))
    demo = sites.new()
    demo.worker("fill")
    try:
        yield sites, demo
    finally:
        sites.drop()


@pytest.fixture
def site(filled) -> Site:
    sites, demo = filled
    return sites.new(demo)


def test_a_restore_gives_back_every_row_of_every_table_exactly(filled, site, tmp_path) -> None:
    before = site.snapshot()
    assert len(before["reporting_reportvalue"]) > 200 and len(before["reporting_auditevent"]) > 300
    backup = tmp_path / "cchc.backup"
    done = site.cchc("backup", str(backup))
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"Đã sao lưu cơ sở dữ liệu {KIND} ")
    site.worker("change")
    changed = site.snapshot()
    assert {t for t in before if changed[t] != before[t]} == {
        "reporting_reportvalue",
        "reporting_sectiontext",
        "reporting_auditevent",
        SEQUENCES,
    }
    done = site.cchc("restore", str(backup), "--yes")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"Đã khôi phục cơ sở dữ liệu {KIND} ")
    assert site.snapshot() == before
    site.worker("change")  # the restored database takes new saves (its id sequences too)
    again = site.snapshot()
    assert {t: len(rows) for t, rows in again.items()} == {t: len(r) for t, r in changed.items()}


def test_a_database_with_data_is_replaced_only_after_a_yes(filled, site, tmp_path) -> None:
    backup = tmp_path / "cchc.backup"
    assert site.cchc("backup", str(backup)).returncode == 0
    original = site.snapshot()
    site.worker("change")
    changed = site.snapshot()
    for answer in ("", "không\n"):
        refused = site.cchc("restore", str(backup), stdin=answer)
        assert refused.returncode == 2
        assert "Gõ «có» để khôi phục:" in refused.stdout
        assert refused.stderr.startswith("Lỗi: Chưa khôi phục: cơ sở dữ liệu ")
        assert "(gõ «có» khi được hỏi, hoặc thêm --yes)" in refused.stderr
        assert site.snapshot() == changed
    assert site.cchc("restore", str(backup), stdin="có\n").returncode == 0
    assert site.snapshot() == original


def test_a_process_that_stays_connected_sees_the_restored_data(site, tmp_path) -> None:
    backup = tmp_path / "cchc.backup"
    assert site.cchc("backup", str(backup)).returncode == 0
    saved = json.loads(site.worker("values"))
    site.worker("change")
    watcher = subprocess.Popen(
        [*WORKER, "watch"], env=site.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        seen = [json.loads(watcher.stdout.readline())]
        done = site.cchc("restore", str(backup), "--yes")
        watcher.stdin.write("\n")
        watcher.stdin.flush()
        seen.append(json.loads(watcher.stdout.readline()))
    finally:
        watcher.stdin.close()
        watcher.wait(timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert seen[0] != saved and seen[1] == saved


def test_a_backup_restores_into_an_empty_database_without_asking(filled, site, tmp_path) -> None:
    sites, _ = filled
    backup = tmp_path / "cchc.backup"
    assert site.cchc("backup", str(backup)).returncode == 0
    empty = sites.new()
    done = empty.cchc("restore", str(backup))  # nothing to lose: no question
    assert (done.returncode, done.stderr) == (0, "")
    assert empty.snapshot() == site.snapshot()


def test_a_copy_taken_during_saves_holds_every_save_acknowledged_before_it(
    filled, site, tmp_path
) -> None:
    sites, _ = filled
    stop = tmp_path / "stop"
    saver = subprocess.Popen(
        [*WORKER, "save", str(stop)], env=site.env, stdout=subprocess.PIPE, text=True
    )
    acks: list[dict] = []
    reader = threading.Thread(target=lambda: acks.extend(json.loads(x) for x in saver.stdout))
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while len(acks) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        acknowledged = list(acks)
        backup = tmp_path / "during.backup"
        done = site.cchc("backup", str(backup))
        during = len(acks) - len(acknowledged)
    finally:
        stop.touch()
        saver.wait(timeout=60)
        reader.join(timeout=60)
    assert (done.returncode, done.stderr, saver.returncode) == (0, "", 0)
    assert len(acknowledged) >= 20 and during > 0  # saves went on while the copy was made
    copy = sites.new()
    assert copy.cchc("restore", str(backup)).returncode == 0
    saved = json.loads(copy.worker("values"))
    last = {a["code"]: a for a in acknowledged}
    for code, ack in last.items():
        raw, version, _ = saved[code]
        assert version >= ack["version"]
        assert raw == ack["raw"] or version > ack["version"]
    # one instant: every value in the copy has exactly as many audit entries as versions
    assert all(version == audits for _, version, audits in saved.values())
    if KIND == "SQLite":
        with sqlite3.connect(backup) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_a_damaged_backup_is_refused_and_the_database_stays_as_it_was(site, tmp_path) -> None:
    backup = tmp_path / "cchc.backup"
    assert site.cchc("backup", str(backup)).returncode == 0
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) * 6 // 10])  # a copy cut short
    site.worker("change")
    changed = site.snapshot()
    done = site.cchc("restore", str(backup), "--yes")
    assert done.returncode == 2 and done.stderr.startswith("Lỗi: ")
    assert "Traceback" not in done.stderr
    assert site.snapshot() == changed


def test_a_backup_never_overwrites_a_file(site, tmp_path) -> None:
    existing = tmp_path / "cchc.backup"
    existing.write_text("giữ nguyên")
    done = site.cchc("backup", str(existing))
    assert (done.returncode, done.stderr) == (
        2,
        f"Lỗi: {existing}: tệp đã có; chọn tên khác (cchc không ghi đè tệp sao lưu).\n",
    )
    assert existing.read_text() == "giữ nguyên"


def _other_kind(path: Path) -> str:
    """A backup of the kind this run does not use."""
    if KIND == "SQLite":
        path.write_bytes(b"PGDMP\x01\x0f\x00" + bytes(64))
        return "PostgreSQL"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (n INTEGER)")
    return "SQLite"


def test_a_backup_of_the_other_kind_or_no_backup_at_all_is_refused(site, tmp_path) -> None:
    before = site.snapshot()
    other = tmp_path / "other.backup"
    other_kind = _other_kind(other)
    done = site.cchc("restore", str(other), "--yes")
    assert done.returncode == 2
    assert done.stderr.startswith(f"Lỗi: {other} là bản sao lưu {other_kind}, còn cơ sở dữ liệu")
    assert done.stderr.endswith(f"là {KIND}: không khôi phục được sang loại khác. "
                                "Đặt DATABASE_URL cho đúng loại.\n")  # fmt: skip
    text = tmp_path / "ghi-chu.txt"
    text.write_text("không phải bản sao lưu")
    done = site.cchc("restore", str(text), "--yes")
    assert (done.returncode, done.stderr) == (
        2,
        f"Lỗi: {text}: không phải bản sao lưu của cchc (tệp do «cchc backup» ghi bắt đầu "
        "bằng «SQLite format 3» hoặc «PGDMP»).\n",
    )
    assert site.snapshot() == before


def test_a_postgresql_backup_without_pg_dump_says_what_to_install(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        PATH=str(tmp_path),  # no pg_dump here
        CCHC_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cchc_hexports_khong_co",
    )
    done = subprocess.run(
        [*CCHC, "backup", str(tmp_path / "x.backup")], env=env, capture_output=True, text=True
    )
    assert (done.returncode, done.stderr) == (
        2,
        "Lỗi: Không tìm thấy lệnh pg_dump trên máy này: cần cài công cụ của PostgreSQL, gói "
        "postgresql-client (Debian, Ubuntu: apt-get install postgresql-client), phiên bản "
        "không cũ hơn máy chủ PostgreSQL.\n",
    )
    assert list(tmp_path.glob("*.backup")) == []
