"""Writers of one SQLite database file take turns on an OS file lock.

SQLite lets one writer in at a time; a writer kept out retries after sleeps of 1, 2, 5, 10 … 100
ms, so several writers polling for the lock leave it idle much of the time it is free, and the
unlucky ones wait long. The project's writers — every recorded action and every batch of ballots,
in any thread or server process — first queue on an exclusive ``flock`` of ``<database>.writers``,
which the kernel hands to the next waiter as soon as it is released, and only then begin their
``BEGIN IMMEDIATE`` transaction. Other writers (sessions, the admin) still meet at SQLite's lock.
PostgreSQL and in-memory databases (the tests') need no turn.

A turn is held until the transaction has committed or rolled back; code holding one must not wait
for another writer of the same database (it would wait for ever, where SQLite would have given up
after its timeout).

A server process also starts :func:`start_checkpointer`: the WAL is copied back into the database
file by a thread of its own, not by whichever writer's commit happens to cross SQLite's threshold.
"""

from __future__ import annotations

import fcntl
import logging
import os
import sqlite3
import threading
from types import TracebackType
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created

log = logging.getLogger(__name__)


def lock_path() -> str | None:
    """The lock file of the default database, or None when writers need no turn."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        return None
    return f"{name}.writers"


class WriterTurn:
    """``with WriterTurn():`` waits for this writer's turn and holds it to the end of the block."""

    def __init__(self) -> None:
        self._fd: int | None = None

    def __enter__(self) -> WriterTurn:
        path = lock_path()
        if path is not None:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)  # each open() is its own lock: threads queue too
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing releases the lock


# --- checkpoints in the background ---------------------------------------------------------------

BACKGROUND_AUTOCHECKPOINT = 20_000
"""WAL pages (of 4 KiB) a commit may leave behind before it checkpoints itself, in a process whose
checkpointer runs: a safety net only, the checkpointer keeps the WAL far shorter."""

_checkpointer: threading.Thread | None = None


def start_checkpointer(interval: float = 0.25) -> threading.Thread | None:
    """In a server process on SQLite: copy the WAL back into the database file in the background.

    By default the commit that takes the WAL past 1,000 pages copies them all and syncs the
    database file before it returns, and every writer queued behind it (a whole ballot batch, the
    next recorded actions) waits. Here a thread of the process checkpoints every ``interval``
    seconds on a connection of its own, in SQLite's PASSIVE mode, which never blocks writers or
    readers; the process's own connections only checkpoint past
    :data:`BACKGROUND_AUTOCHECKPOINT` pages. Processes that do not start it (commands, tests)
    keep SQLite's default. Returns the thread, or None when there is nothing to do.
    """
    global _checkpointer
    if lock_path() is None or _checkpointer is not None:
        return _checkpointer
    name = str(connection.settings_dict["NAME"])
    connection_created.connect(_long_autocheckpoint, dispatch_uid="xuanren.record.writers")
    if connection.connection is not None:  # already open in this thread
        _long_autocheckpoint(None, connection)
    _checkpointer = threading.Thread(
        target=_checkpoint_forever, args=(name, interval), name="sqlite-checkpointer", daemon=True
    )
    _checkpointer.start()
    return _checkpointer


def _long_autocheckpoint(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {BACKGROUND_AUTOCHECKPOINT}")


def _checkpoint_forever(name: str, interval: float, stop: threading.Event | None = None) -> None:
    """Checkpoint the database file ``name`` every ``interval`` seconds until ``stop`` is set."""
    stop = stop or threading.Event()
    db = sqlite3.connect(name, timeout=0, isolation_level=None, check_same_thread=False)
    try:
        while not stop.wait(interval):
            try:
                db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error:  # another process's checkpoint is running, or the file went away
                log.debug("background checkpoint skipped", exc_info=True)
    finally:
        db.close()
