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
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.harness import Context, Result, percentile, run_wrk

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

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanren.settings")
        django.setup(set_prefix=False)
        settings.ROOT_URLCONF = "bench.casting"
        from xuanren.web import handler

        _app = handler.application()
        from xuanren.web.warm import warm_up

        warm_up()
    return _app


_app: Any = None


# --- the load side ------------------------------------------------------------------------------


def _prepare(ballots: int, title: str = TITLE) -> tuple[Any, list[str]]:
    from django.db import connection

    from xuanren.accounts.models import User
    from xuanren.ballots import actions
    from xuanren.ballots.models import Ballot, Poll, VotingCode
    from xuanren.testing import factories

    old = list(Poll.objects.filter(title=title).values_list("pk", flat=True))
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
        title=title,
        kind="recommendation",
        participants=ballots,
        items=items,
        acting_user=user,
    )
    codes = actions.issue_codes(poll, ballots, acting_user=user)
    actions.open_poll(poll, acting_user=user)
    return Poll.objects.get(pk=poll.pk), codes


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


def _jobs(codes: list[str], seed: int) -> list[tuple[str, dict[str, list[str]]]]:
    """Each code with the marks of one ballot of the 30-post recommendation."""
    rng = random.Random(seed)
    jobs = []
    for code in codes:
        marks = {}
        for p in range(1, 31):
            k = rng.choices((0, 1, 2), weights=(1, 3, 6))[0]
            if k:
                marks[str(p)] = rng.sample(["1", "2", "3"], k)
        jobs.append((code, marks))
    return jobs


WRK_CAST = """
local threads = {}
local count = 0
function setup(thread)
  count = count + 1
  thread:set("tid", count)
  table.insert(threads, thread)
end
function init(args)
  bodies = {}
  for line in io.lines("@DIR@/bodies-" .. tid .. ".txt") do bodies[#bodies + 1] = line end
  sent, accepted, refused = 0, 0, 0
  out = io.open("@DIR@/trackers-" .. tid .. ".txt", "w")
  out:setvbuf("no")
end
function request()
  sent = sent + 1
  return wrk.format("POST", "@PATH@", {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "@COOKIE@", ["Referer"] = "http://127.0.0.1:@PORT@@PATH@"}, bodies[sent] or bodies[#bodies])
end
function response(status, headers, body)
  local t = string.match(body, 'id="tracker">(%x+)<')
  if status == 200 and t then
    accepted = accepted + 1
    out:write(t, "\\n")
  else
    refused = refused + 1
  end
end
function done(summary, latency, requests)
  local a, r = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    r = r + t:get("refused")
  end
  local e = summary.errors
  io.write(string.format("XUANREN %d %d %d %d %d %d %d\\n", a, r, summary.duration,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99), latency.max))
end
"""


@dataclass
class WrkCast:
    accepted: int
    refused: int
    seconds: float
    errors: int
    p50: float
    p99: float
    trackers: list[str]

    @property
    def rate(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0


def _wrk_cast(
    workdir: Path,
    port: int,
    path: str,
    jobs: list[tuple[str, dict[str, list[str]]]],
    clients: int,
    seconds: int,
    ballot: str = "",
) -> WrkCast:
    """POST ballots from ``wrk`` (C, two threads, one per core) on ``clients`` keep-alive
    connections for ``seconds``, each request with a code of its own: the server's throughput and
    latency without a Python client's thread switching in the figures. Each receipt read is kept."""
    from urllib.parse import urlencode

    from xuanren.ballots import loadtest

    workdir.mkdir(parents=True, exist_ok=True)
    session = loadtest.Session("127.0.0.1", port)
    session.prime()
    session.conn.close()
    for tid in (1, 2):
        lines = [
            urlencode([*loadtest.ballot_form(code, marks, ballot), ("csrfmiddlewaretoken", session.token)])
            for code, marks in jobs[tid - 1 :: 2]
        ]
        (workdir / f"bodies-{tid}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (workdir / f"trackers-{tid}.txt").unlink(missing_ok=True)
    script = workdir / "cast.lua"
    text = WRK_CAST.replace("@DIR@", str(workdir)).replace("@PATH@", path)
    script.write_text(text.replace("@COOKIE@", session.cookie).replace("@PORT@", str(port)), encoding="utf-8")
    accepted, refused, micros, errors, p50, p99, _most = run_wrk(
        script, f"http://127.0.0.1:{port}{path}", clients, seconds
    )
    trackers = [
        t for tid in (1, 2) for t in (workdir / f"trackers-{tid}.txt").read_text(encoding="utf-8").split()
    ]
    return WrkCast(accepted, refused, micros / 1e6, errors, p50 / 1e6, p99 / 1e6, trackers)


def run(ctx: Context) -> list[Result]:
    from django.db import connection

    from xuanren.ballots import loadtest
    from xuanren.ballots.models import Ballot, VotingCode

    n, clients = ctx.param("ballots", 4000), ctx.param("clients", 50)
    use_wrk = bool(shutil.which("wrk")) and not ctx.param("python_client", 0)
    wrk_n, wrk_seconds = ctx.param("wrk_ballots", 8000), ctx.param("wrk_seconds", 8)
    from xuanren.ballots.actions import ballot_key

    poll, codes = _prepare(n)
    jobs = _jobs(codes, 7)

    def form(code: str, marks: dict[str, list[str]]) -> list[tuple[str, str]]:
        """What the confirmation page posts: with the poll's ballot key."""
        return loadtest.ballot_form(code, marks, ballot_key(poll))

    if use_wrk:
        wrk_poll, wrk_codes = _prepare(wrk_n, TITLE + "（wrk）")
        wrk_jobs = _jobs(wrk_codes, 8)
    port = _free_port()
    # One process per core on both databases. On SQLite each process's group commit batches its
    # ballots, and the batches of the processes queue on a file lock rather than on SQLite's
    # sleeping lock retries (xuanren.record.writers).
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
        cast = loadtest.submit_all("127.0.0.1", port, jobs, clients, start + DEADLINE_S, form=form)
        cast_s = time.monotonic() - start
        client_cpu = time.process_time() - cpu
        if use_wrk:
            ctx.log(f"wrk: bare insert view, then ballots, {clients} connections for {wrk_seconds} s each")
            wrk_bare = _wrk_cast(
                ctx.var_dir / "wrk-bare", port, "/bench/bare/", wrk_jobs, clients, wrk_seconds
            )
            wrk_cast = _wrk_cast(
                ctx.var_dir / "wrk-cast", port, "/vote/", wrk_jobs, clients, wrk_seconds, ballot_key(wrk_poll)
            )
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
    lost_or_duplicated = Result(
        "ballots: lost or duplicated ballots",
        ctx.db,
        float(lost + abs(duplicated) + cast.failed),
        "",
        target=0.0,
        note=f"accepted {accepted}, stored {stored}, codes used {used}, lost {lost}",
    )
    python_rows = [
        Result(
            "ballots: casting, ms per ballot" + ("" if not use_wrk else " (50 Python clients)"),
            ctx.db,
            per_ballot,
            "ms",
            target=None if use_wrk else target,
            baseline_name="bare insert view",
            baseline_value=per_bare,
            note=shape,
        ),
        Result(
            "ballots: casting p99 latency" + ("" if not use_wrk else " (50 Python clients)"),
            ctx.db,
            1000 * percentile(cast.latencies, 99),
            "ms",
            target=None if use_wrk else P99_TARGET_MS,
            baseline_name="bare insert view",
            baseline_value=1000 * percentile(bare.latencies, 99),
        ),
    ]
    if not use_wrk:
        return [*python_rows, lost_or_duplicated]
    stored_trackers = set(Ballot.objects.filter(poll=wrk_poll).values_list("tracker", flat=True))
    wrk_stored = len(stored_trackers)
    wrk_used = VotingCode.objects.filter(poll=wrk_poll, used=True).count()
    wrk_lost = len(set(wrk_cast.trackers) - stored_trackers)
    abandoned = wrk_stored - wrk_cast.accepted  # in flight when wrk stopped: stored, never answered
    wrk_shape = (
        f"wrk, {clients} keep-alive connections for {wrk_seconds} s: {wrk_cast.accepted} ballots = "
        f"{wrk_cast.rate:.0f}/s, p50 {wrk_cast.p50 * 1000:.0f} ms, p99 {wrk_cast.p99 * 1000:.0f} ms "
        f"(bare view {wrk_bare.rate:.0f}/s, p99 {wrk_bare.p99 * 1000:.0f} ms); refused {wrk_cast.refused}; "
        f"stored {wrk_stored}, codes used {wrk_used}, acknowledged but not stored {wrk_lost}, "
        f"in flight at the stop {abandoned}"
    )
    ctx.log(wrk_shape)
    return [
        Result(
            "ballots: casting, ms per ballot",
            ctx.db,
            1000 / wrk_cast.rate if wrk_cast.rate else float("inf"),
            "ms",
            target=target,
            baseline_name="bare insert view",
            baseline_value=1000 / wrk_bare.rate if wrk_bare.rate else None,
            note=wrk_shape,
        ),
        Result(
            "ballots: casting p99 latency",
            ctx.db,
            1000 * wrk_cast.p99,
            "ms",
            target=P99_TARGET_MS,
            baseline_name="bare insert view",
            baseline_value=1000 * wrk_bare.p99,
        ),
        *python_rows,
        lost_or_duplicated,
        Result(
            "ballots: acknowledged but not stored, or codes and ballots apart (wrk run)",
            ctx.db,
            float(wrk_lost + abs(wrk_stored - wrk_used) + (abandoned < 0 or abandoned > clients)),
            "",
            target=0.0,
            note=f"every receipt wrk read is a stored ballot; stored {wrk_stored} = codes used {wrk_used}",
        ),
    ]


if __name__ == "__main__":
    from bench.__main__ import main

    sys.exit(main(["--only", "casting", *sys.argv[1:]]))
