"""kill -9 the server in the middle of a load: every acknowledged ballot is stored, and nothing
is half-written (each stored ballot is whole, and used codes equal stored ballots)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from xuanren.ballots import actions, loadtest, selectors, tally
from xuanren.ballots.tests.external import ROOT, database_env, free_port, step

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def start_server(env: dict[str, str], port: int, logs: str) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "xuanren.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "-k",
            "gthread",
            "--threads",
            "4",
            "--access-logfile",
            f"{logs}/access.log",
            "--error-logfile",
            f"{logs}/error.log",
        ],
        cwd=ROOT,
        env={**env, "XUANREN_DEBUG": "0"},
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/vote/", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    raise AssertionError("gunicorn did not start")


def test_kill_9_mid_load_loses_no_acknowledged_ballot(tmp_path):
    env = database_env(tmp_path)
    # Enough codes that the load outlasts the first look at the database (a process start): at
    # 500 ballots/s, 4,000 ballots take 8 s.
    poll = step(env, "setup", 4000, 5, 3, 1)
    port = free_port()
    server = start_server(env, port, str(tmp_path))
    rng = random.Random(5)
    jobs = [(code, {str(p): [str(rng.randint(1, 3))] for p in range(1, 6)}) for code in poll["codes"]]
    result: dict[str, loadtest.Outcome] = {}
    load = threading.Thread(
        target=lambda: result.setdefault(
            "out", loadtest.submit_all("127.0.0.1", port, jobs, 16, time.monotonic() + 60)
        )
    )
    try:
        load.start()
        wait_until = time.monotonic() + 30
        while time.monotonic() < wait_until:
            time.sleep(0.05)
            if load.is_alive() and len(result) == 0:
                # Kill once the server has acknowledged a good share of the load.
                state = step(env, "state", poll["poll"], timeout=30)
                if len(state["ballots"]) >= 150:
                    break
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    load.join(90)
    outcome = result["out"]
    assert outcome.failed > 0, "the server died before the load ended"
    acknowledged = set(outcome.accepted.values())
    assert len(acknowledged) >= 150

    state = step(env, "state", poll["poll"])
    stored = {row[0]: row for row in state["ballots"]}
    assert acknowledged <= set(stored), f"lost {len(acknowledged - set(stored))} acknowledged ballots"
    assert state["codes_used"] == len(stored)  # no code used without its ballot, nor the reverse
    assert state["integrity"] == "ok"
    spec = selectors.thaw_spec(state["spec"])
    for tracker_hex, content, valid, blank in stored.values():
        assert len(tracker_hex) == 64
        verdict = tally.judge(tally.parse(content), spec, tally.DEFAULT_RULES)
        assert (verdict.valid, verdict.blank) == (bool(valid), bool(blank))
    # The access log has paths and statuses only: no code ever appears in it.
    log = (tmp_path / "access.log").read_text()
    assert "/vote/" in log
    assert not any(actions.normalise_code(code) in log.replace("-", "") for code, _ in jobs)
