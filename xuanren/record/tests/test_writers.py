"""SQLite in server processes: the background checkpointer, and connections kept between requests."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from xuanren.record import writers


def _wal_database(path):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")  # only the checkpointer copies pages back
    db.execute("CREATE TABLE t (x BLOB)")
    return db


def test_the_checkpointer_copies_the_wal_back_into_the_database_file(tmp_path):
    path = str(tmp_path / "db.sqlite3")
    db = _wal_database(path)
    before = (tmp_path / "db.sqlite3").stat().st_size
    for _ in range(200):
        db.execute("INSERT INTO t VALUES (randomblob(8000))")  # about 1.6 MB, all in the WAL
    assert (tmp_path / "db.sqlite3").stat().st_size == before
    stop = threading.Event()
    thread = threading.Thread(target=writers._checkpoint_forever, args=(path, 0.05, stop), daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while (tmp_path / "db.sqlite3").stat().st_size < 1_500_000 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(5)
    assert (tmp_path / "db.sqlite3").stat().st_size >= 1_500_000
    assert not thread.is_alive()
    assert db.execute("SELECT COUNT(*) FROM t").fetchone() == (200,)


def test_the_checkpointer_never_blocks_a_writer(tmp_path):
    """PASSIVE: a writer holding the write lock is not waited for, and goes on writing."""
    path = str(tmp_path / "db.sqlite3")
    db = _wal_database(path)
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO t VALUES (randomblob(100))")
    stop = threading.Event()
    thread = threading.Thread(target=writers._checkpoint_forever, args=(path, 0.01, stop), daemon=True)
    thread.start()
    time.sleep(0.2)
    db.execute("INSERT INTO t VALUES (randomblob(100))")
    db.execute("COMMIT")
    stop.set()
    thread.join(5)
    assert db.execute("SELECT COUNT(*) FROM t").fetchone() == (2,)


@pytest.mark.django_db
def test_no_checkpointer_for_an_in_memory_database():
    # The test suite's SQLite database is in memory, PostgreSQL has no such thing.
    assert writers.lock_path() is None
    assert writers.start_checkpointer() is None


def test_server_connections_are_kept_on_sqlite_as_on_postgresql(monkeypatch):
    """Opening a SQLite connection per request cost a quarter of a ballot's server time."""
    from xuanren import settings as project_settings

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("XUANREN_CONN_MAX_AGE", raising=False)
    assert project_settings._database()["CONN_MAX_AGE"] == 60
    monkeypatch.setenv("XUANREN_CONN_MAX_AGE", "0")
    assert project_settings._database()["CONN_MAX_AGE"] == 0
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
    monkeypatch.delenv("XUANREN_CONN_MAX_AGE")
    assert project_settings._database()["CONN_MAX_AGE"] == 60
