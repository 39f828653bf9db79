"""One code, one ballot: many threads and many processes submitting the same code at once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter

import pytest

from xuanren.ballots.tests.external import ROOT, database_env, step

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_threads_submitting_one_code_get_exactly_one_ballot_in(tmp_path):
    env = database_env(tmp_path)
    poll = step(env, "setup", 3, 1, 3, 1)
    for code in poll["codes"]:
        results = step(env, "race", code, 16, time.time() + 1.0)["results"]
        counts = Counter(results)
        assert counts == {"accepted": 1, "ballots.one_code_one_ballot": 15}, counts
    state = step(env, "state", poll["poll"])
    assert len(state["ballots"]) == state["codes_used"] == 3


def test_processes_submitting_one_code_get_exactly_one_ballot_in(tmp_path):
    env = database_env(tmp_path)
    poll = step(env, "setup", 2, 1, 3, 1)
    code = poll["codes"][0]
    start_at = time.time() + 4.0  # every process has imported Django and connected by then
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "xuanren.ballots.tests.worker", "race", code, "4", str(start_at)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results: list[str] = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        results += json.loads(out.strip().splitlines()[-1])["results"]
    counts = Counter(results)
    assert counts == {"accepted": 1, "ballots.one_code_one_ballot": 23}, counts
    state = step(env, "state", poll["poll"])
    assert len(state["ballots"]) == state["codes_used"] == 1


def test_writers_of_several_processes_queue_on_one_file_lock(tmp_path, settings):
    """While one process writes (a batch of ballots, an action), another process cannot take the
    writers' lock (so it waits in the kernel's queue, not in SQLite's sleeping retries); an
    in-memory database takes no lock at all."""
    from django.db import connection

    from xuanren.record.writers import WriterTurn, lock_path

    if connection.vendor != "sqlite":
        assert lock_path() is None  # PostgreSQL queues writers itself
        return

    name = str(tmp_path / "votes.sqlite3")
    probe = (
        "import fcntl, os, sys\n"
        f"fd = os.open({name + '.writers'!r}, os.O_RDWR | os.O_CREAT)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept BlockingIOError:\n    sys.exit(3)\n"
    )
    saved = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = name
    try:
        with WriterTurn():
            held = subprocess.run([sys.executable, "-c", probe], timeout=30).returncode
        free = subprocess.run([sys.executable, "-c", probe], timeout=30).returncode
        connection.settings_dict["NAME"] = ":memory:"
        memory = lock_path()
    finally:
        connection.settings_dict["NAME"] = saved
    assert (held, free) == (3, 0)
    assert memory is None
