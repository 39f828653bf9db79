"""Casting ballots under load through the real server: gunicorn on 127.0.0.1, 50 clients.

Each client holds a keep-alive connection with the CSRF cookie and token of one GET, then posts
ballots (the 30-post recommendation of the tally benchmark) to ``/vote/`` with its own codes, each
code once. Measured:

- ``ms per ballot``: wall time / accepted ballots (targets: SQLite ≥ 300 ballots/s, i.e. ≤ 3.33 ms;
  PostgreSQL ≥ 500/s, ≤ 2 ms);
- ``p99 latency`` of a ballot post (target < 200 ms);
- ``lost or duplicated``: accepted responses against ballots and used codes in the database
  (target 0).

Baseline, in the same run on the same server stack (gunicorn, middleware, CSRF, database): a bare
Django view that inserts one row per POST, posted the same form.

Options: ``--param ballots=N`` (default 4000), ``--param clients=N`` (default 50),
``--param workers=N`` gunicorn workers and ``--param threads=N`` per worker (default 2 × 4 on both).
Only 127.0.0.1 is ever contacted; every loop ends after its codes or a 120 s deadline.
Run alone: ``python -m bench --only casting``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.harness import Context, Result, percentile

ROOT = Path(__file__).resolve().parent.parent
TITLE = "基准：投票并发"
TARGET_PER_SECOND = {"sqlite": 300, "postgresql": 500}
P99_TARGET_MS = 200.0
DEADLINE_S = 120.0
BARE_TABLE = "bench_casting_bare"


# --- the server side: the project's URLs plus one bare view -------------------------------------


def bare_insert(request: Any) -> Any:
    """The floor: CSRF-checked POST, one row inserted in a durable transaction, a tiny page."""
    from django.db import connection, transaction
    from django.http import HttpResponse

    with transaction.atomic(durable=True), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {BARE_TABLE} (payload) VALUES (%s)", [request.POST.get("code", "")])
    return HttpResponse('<p id="tracker">' + "0" * 64 + "</p>")


def _urlpatterns() -> list[Any]:
    from django.urls import path
    from django.views.decorators.csrf import csrf_protect

    import xuanren.urls

    return [path("bench/bare/", csrf_protect(bare_insert)), *xuanren.urls.urlpatterns]


def __getattr__(name: str) -> Any:  # built only inside the server, when gunicorn asks for them
    if name == "urlpatterns":
        return _urlpatterns()
    if name == "application":
        return _application()
    raise AttributeError(name)


def _application() -> Any:
    """gunicorn entry point (``bench.casting:application``): the project's WSGI app with this
    module as the URLconf, warmed as ``xuanren.wsgi`` warms it, when the worker boots."""
    global _app
    if _app is None:
        import django
        from django.conf import settings
        from django.core.wsgi import get_wsgi_application

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanren.settings")
        django.setup(set_prefix=False)
        settings.ROOT_URLCONF = "bench.casting"
        _app = get_wsgi_application()
        from xuanren.web.warm import warm_up

        warm_up()
    return _app


_app: Any = None


# --- the load side ------------------------------------------------------------------------------


def _prepare(ballots: int) -> tuple[Any, list[str]]:
    from django.db import connection

    from xuanren.accounts.models import User
    from xuanren.ballots import actions
    from xuanren.ballots.models import Ballot, Poll, VotingCode
    from xuanren.testing import factories

    old = list(Poll.objects.filter(title=TITLE).values_list("pk", flat=True))
    Ballot.objects.filter(poll_id__in=old).delete()
    VotingCode.objects.filter(poll_id__in=old).delete()
    Poll.objects.filter(pk__in=old).delete()
    with connection.cursor() as cursor:
        serial = "BIGSERIAL" if connection.vendor == "postgresql" else "INTEGER"
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id {serial} PRIMARY KEY, payload TEXT)")
        cursor.execute(f"DELETE FROM {BARE_TABLE}")
    counties = factories.make_counties()
    user = User.objects.filter(username="bench-casting").first() or factories.make_user(
        "cadre_officer", jurisdiction=counties.a, username="bench-casting"
    )
    items = [
        actions.ItemInput(f"职位{p}", [f"候选人{p}-{c}" for c in range(1, 4)], 2, 2) for p in range(1, 31)
    ]
    poll = actions.create_poll(
        jurisdiction=counties.a,
        title=TITLE,
        kind="recommendation",
        participants=ballots,
        items=items,
        acting_user=user,
    )
    codes = actions.issue_codes(poll, ballots, acting_user=user)
    actions.open_poll(poll, acting_user=user)
    return poll, codes


def _start_server(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "XUANREN_DEBUG": "0"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.casting:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            str(threads),
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
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
    raise RuntimeError("gunicorn did not start")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(ctx: Context) -> list[Result]:
    from django.db import connection

    from xuanren.ballots import loadtest
    from xuanren.ballots.models import Ballot, VotingCode

    n, clients = ctx.param("ballots", 4000), ctx.param("clients", 50)
    poll, codes = _prepare(n)
    rng = random.Random(7)
    jobs = []
    for code in codes:
        marks = {}
        for p in range(1, 31):
            k = rng.choices((0, 1, 2), weights=(1, 3, 6))[0]
            if k:
                marks[str(p)] = rng.sample(["1", "2", "3"], k)
        jobs.append((code, marks))
    port = _free_port()
    # One process per core on both databases. On SQLite each process's group commit batches its
    # ballots, and the batches of the processes queue on a file lock rather than on SQLite's
    # sleeping lock retries (xuanren.ballots.actions._writers_of_other_processes).
    workers, threads = 2, 4
    server = _start_server(port, ctx.param("workers", workers), ctx.param("threads", threads))
    try:
        ctx.log(f"bare insert view, {n} posts from {clients} clients")
        start = time.monotonic()
        bare = loadtest.submit_all(
            "127.0.0.1",
            port,
            jobs,
            clients,
            start + DEADLINE_S,
            path="/bench/bare/",
            accepted=lambda body: "ok" if b'id="tracker"' in body else None,
        )
        bare_s = time.monotonic() - start
        ctx.log(f"ballots, {n} codes from {clients} clients")
        start = time.monotonic()
        cpu = time.process_time()
        cast = loadtest.submit_all("127.0.0.1", port, jobs, clients, start + DEADLINE_S)
        cast_s = time.monotonic() - start
        client_cpu = time.process_time() - cpu
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {BARE_TABLE}")
        (bare_rows,) = cursor.fetchone()
    stored = Ballot.objects.filter(poll=poll).count()
    used = VotingCode.objects.filter(poll=poll, used=True).count()
    trackers = set(Ballot.objects.filter(poll=poll).values_list("tracker", flat=True))
    accepted = len(cast.accepted)
    lost = len(set(cast.accepted.values()) - trackers)
    duplicated = (stored - accepted) + (used - accepted)
    per_ballot = cast_s * 1000 / max(accepted, 1)
    per_bare = bare_s * 1000 / max(len(bare.accepted), 1)
    rate, bare_rate = accepted / cast_s, len(bare.accepted) / bare_s
    shape = (
        f"{accepted} ballots in {cast_s:.1f} s = {rate:.0f}/s (bare view {bare_rate:.0f}/s, {bare_rows} rows); "
        f"{clients} clients (their CPU {client_cpu:.1f} s), refused {cast.refused}, failed {cast.failed}"
    )
    ctx.log(shape)
    target = 1000 / TARGET_PER_SECOND[ctx.db]
    return [
        Result(
            "ballots: casting, ms per ballot",
            ctx.db,
            per_ballot,
            "ms",
            target=target,
            baseline_name="bare insert view",
            baseline_value=per_bare,
            note=shape,
        ),
        Result(
            "ballots: casting p99 latency",
            ctx.db,
            1000 * percentile(cast.latencies, 99),
            "ms",
            target=P99_TARGET_MS,
            baseline_name="bare insert view",
            baseline_value=1000 * percentile(bare.latencies, 99),
        ),
        Result(
            "ballots: lost or duplicated ballots",
            ctx.db,
            float(lost + abs(duplicated) + cast.failed),
            "",
            target=0.0,
            note=f"accepted {accepted}, stored {stored}, codes used {used}, lost {lost}",
        ),
    ]


if __name__ == "__main__":
    from bench.__main__ import main

    sys.exit(main(["--only", "casting", *sys.argv[1:]]))
