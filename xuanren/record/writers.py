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
"""

from __future__ import annotations

import fcntl
import os
from types import TracebackType

from django.db import connection


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
