"""Public notice pages under load through the real server: gunicorn on 127.0.0.1, 50 readers.

The demo county (临泽县, 620723; ``--param size=N`` cadres, default 3,000) is built with a fixed seed
and "today", and two campaigns are published in it through the campaign actions, from the annual
plan to the appointments (:mod:`xuanren.portal.testing`: one under ``tongliao-003`` with the
second personal-matters disclosure, one under ``supervision-001`` with the published inspection
conclusions). It is kept in the bench database and reused.

Each of 50 clients holds a keep-alive connection and reads the county's public pages in turn — the
inspection and pre-appointment notices, the disclosures, the committees' counts, the campaign
pages, the nominee lists, the plan and the county's home — for a fixed time. Measured, in three
phases on the same server stack (gunicorn, the project's middleware, the database):

- the floor: a bare Django view returning a small page, no database;
- the portal as deployed: pages rendered once per process and record size, then served from the
  page cache (one query each);
- the portal rendering every request (``PORTAL_CACHE_SECONDS=0``): what the cache saves.

Reported: p99 latency (target < 100 ms) and time per request (the inverse of requests per second;
the rate is in the note), beside the bare view.

Options: ``--param seconds=N`` per phase (default 15), ``--param clients=N`` (default 50),
``--param workers=N`` gunicorn workers (default 4), ``--param threads=N`` per worker (default 4),
``--param size=N`` demo cadres. Only 127.0.0.1 is ever contacted; every loop ends at its deadline.
Run alone: ``python -m bench --only portal``.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench.harness import Context, Result, StaleDatabase, percentile, run_wrk

ROOT = Path(__file__).resolve().parent.parent
SEED = 2026
SIZE = 3_000
TODAY = date(2026, 11, 20)
P99_TARGET_MS = 100.0
LOOPBACK = "127.0.0.1"
CAMPAIGNS = (("基准甲", "tongliao-003"), ("基准乙", "supervision-001"))


# --- the server side: the project's URLs plus one bare view -------------------------------------


def bare_page(request: Any) -> Any:
    """The floor: a GET through the same middleware, a small page, no database."""
    from django.http import HttpResponse

    return HttpResponse("<!doctype html><title>bare</title><p>" + "公开" * 200 + "</p>")


def _urlpatterns() -> list[Any]:
    from django.urls import path

    import xuanren.urls

    return [path("bench/bare/", bare_page), *xuanren.urls.urlpatterns]


def __getattr__(name: str) -> Any:  # built only inside the server, when gunicorn asks for them
    if name == "urlpatterns":
        return _urlpatterns()
    if name == "application":
        return _application()
    raise AttributeError(name)


_app: Any = None


def _application() -> Any:
    """gunicorn entry point (``bench.portal:application``): the project's WSGI app with this
    module as the URLconf, warmed as ``xuanren.wsgi`` warms it, when the worker boots."""
    global _app
    if _app is None:
        import django
        from django.conf import settings

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuanren.settings")
        django.setup(set_prefix=False)
        settings.ROOT_URLCONF = "bench.portal"
        if "BENCH_PORTAL_CACHE_SECONDS" in os.environ:
            settings.PORTAL_CACHE_SECONDS = int(os.environ["BENCH_PORTAL_CACHE_SECONDS"])
        from xuanren.web import handler

        _app = handler.application()
        from xuanren.web.warm import warm_up

        warm_up()
    return _app


# --- the data -------------------------------------------------------------------------------------


def ensure_county(ctx: Context, size: int) -> str:
    """The demo county with the two published campaigns, built unless the kept database has them."""
    from django.db import DatabaseError

    from xuanren.campaigns.models import Campaign
    from xuanren.record.models import Entry
    from xuanren.register import demo

    code = demo.MAIN_COUNTY[0]
    try:
        built = Entry.objects.filter(action="demo_built").order_by("-seq").first()
        titles = set(Campaign.objects.filter(jurisdiction__code=code).values_list("title", flat=True))
    except DatabaseError as exc:
        raise StaleDatabase(f"the kept bench database no longer matches the models ({exc})") from exc
    wanted = {f"{tag}{2025}年县直部门和乡镇正职选任" for tag, _ in CAMPAIGNS}
    if built is not None and built.payload.get("seed") == SEED and built.payload.get("size") == size:
        if wanted <= titles:
            return f"reused the kept {size:,}-cadre county and its campaigns"
    if built is not None or titles:
        raise StaleDatabase("the bench database holds other data than this benchmark's county")
    started = time.monotonic()
    ctx.log(f"building the {size:,}-cadre demo county")
    demo.build_demo(seed=SEED, size=size, today=TODAY)
    from xuanren.accounts.models import Jurisdiction
    from xuanren.portal.testing import publish_campaign

    county = Jurisdiction.objects.get(code=code)
    for tag, policy in CAMPAIGNS:
        ctx.log(f"publishing a campaign under {policy} through the actions")
        publish_campaign(county, tag=tag, policy=policy)
    if ctx.db == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return f"built the county and its campaigns in {time.monotonic() - started:.0f} s"


def public_paths() -> list[str]:
    """Every public page of the demo county's published campaigns."""
    from xuanren.campaigns.models import Campaign, Disclosure, Meeting, Notice
    from xuanren.register import demo

    code = demo.MAIN_COUNTY[0]
    campaigns = list(Campaign.objects.filter(jurisdiction__code=code, method_published_on__isnull=False))
    paths = [f"/public/{code}/", f"/public/{code}/plans/2025/"]
    for c in campaigns:
        paths += [f"/public/{code}/campaigns/{c.pk}/", f"/public/{code}/campaigns/{c.pk}/nominees/"]
        paths += [
            f"/public/{code}/notices/{pk}/"
            for pk in Notice.objects.filter(campaign=c).values_list("pk", flat=True)
        ]
        paths += [
            f"/public/{code}/disclosures/{pk}/"
            for pk in Disclosure.objects.filter(candidate__campaign=c, round="second").values_list(
                "pk", flat=True
            )
        ]
        paths += [
            f"/public/{code}/votes/{pk}/"
            for pk in Meeting.objects.filter(campaign=c, counts_published_on__isnull=False).values_list(
                "pk", flat=True
            )
        ]
    return paths


# --- the load side ------------------------------------------------------------------------------


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    failed: int = 0
    why: set[str] = field(default_factory=set)
    bytes: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    counted: int | None = None  # requests answered, when a client other than ours counted them
    percentiles: dict[float, float] = field(default_factory=dict)  # seconds, when wrk measured them
    client: str = "python"

    @property
    def ok(self) -> int:
        return self.counted if self.counted is not None else len(self.latencies)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def read_for(port: int, paths: list[str], clients: int, seconds: float) -> Load:
    """``clients`` readers, each on one keep-alive connection, GET the paths in turn until the
    deadline; a response counts only with status 200."""
    load = Load()
    start = time.monotonic()
    deadline = start + seconds

    def reader(offset: int) -> None:
        conn = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
        i = offset
        mine: list[float] = []
        failed = size = 0
        why: set[str] = set()
        while time.monotonic() < deadline:
            path = paths[i % len(paths)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                failed += 1
                why.add(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
                continue
            if response.status == 200:
                mine.append(time.perf_counter() - t0)
                size += len(body)
            else:
                failed += 1
                why.add(f"HTTP {response.status}")
        conn.close()
        with load.lock:
            load.latencies += mine
            load.failed += failed
            load.bytes += size
            load.why |= why

    threads = [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 15)
    load.seconds = time.monotonic() - start
    return load


WRK_SCRIPT = """
paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("XUANREN %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(99),
    latency.max))
end
"""


def read_with_wrk(port: int, paths: list[str], clients: int, seconds: float, workdir: Path) -> Load:
    """The same readers as :func:`read_for`, played by ``wrk`` (C, two threads, one per core):
    the server's latency without a Python client's own thread switching in the figures. Each of
    the ``clients`` keep-alive connections GETs the paths in turn; a status of 400 or more fails."""
    script = workdir / "portal-paths.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths), encoding="utf-8")
    requests, micros, socket_errors, bad_status, p50, p99, most = run_wrk(
        script, f"http://{LOOPBACK}:{port}/", clients, seconds
    )
    failed = socket_errors + bad_status
    load = Load(failed=failed, seconds=micros / 1e6, client="wrk")
    load.counted = requests - failed
    load.percentiles = {50: p50 / 1e6, 99: p99 / 1e6, 100: most / 1e6}
    if failed:
        load.why.add(f"{socket_errors} socket errors, {bad_status} answers of status 400 or more")
    return load


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return int(s.getsockname()[1])


def _start_server(
    port: int, workers: int, threads: int, cache_seconds: int | None
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "XUANREN_DEBUG": "0"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    if cache_seconds is not None:
        env["BENCH_PORTAL_CACHE_SECONDS"] = str(cache_seconds)
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "bench.portal:application",
            "-b", f"{LOOPBACK}:{port}", "-w", str(workers), "-k", "gthread", "--threads", str(threads),
            "--backlog", "256", "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/bench/bare/", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    raise RuntimeError("gunicorn did not start")


def _stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def _phase(ctx: Context, what: str, paths: list[str], cache_seconds: int | None) -> Load:
    clients, seconds = ctx.param("clients", 50), ctx.param("seconds", 15)
    port = _free_port()
    server = _start_server(port, ctx.param("workers", 4), ctx.param("threads", 4), cache_seconds)
    try:
        read_for(port, paths, min(clients, 8), 2.0)  # warm: imports, connections, first renders
        if shutil.which("wrk") and not ctx.param("python_client", 0):
            ctx.log(f"{what}: {clients} wrk connections for {seconds} s")
            return read_with_wrk(port, paths, clients, float(seconds), ctx.var_dir)
        ctx.log(f"{what}: {clients} Python clients for {seconds} s")
        return read_for(port, paths, clients, float(seconds))
    finally:
        _stop(server)


def _ms(load: Load, p: float) -> float:
    if p in load.percentiles:
        return 1000 * load.percentiles[p]
    return 1000 * percentile(load.latencies, p) if load.latencies else float("inf")


def _describe(name: str, load: Load) -> str:
    return (
        f"{name}: {load.rate:.0f} requests/s, p50 {_ms(load, 50):.1f} ms, p99 {_ms(load, 99):.1f} ms, "
        f"{load.ok} ok, {load.failed} failed{' (' + ', '.join(sorted(load.why)) + ')' if load.why else ''}"
    )


def run(ctx: Context) -> list[Result]:
    how = ensure_county(ctx, ctx.param("size", SIZE))
    ctx.log(how)
    paths = public_paths()
    if len(paths) < 10:
        raise RuntimeError(f"the county has too few public pages to measure: {paths}")
    bare = _phase(ctx, "bare view", ["/bench/bare/"], None)
    cached = _phase(ctx, "portal pages", paths, None)
    rendered = _phase(ctx, "portal pages rendered every time", paths, 0)
    clients = ctx.param("clients", 50)
    busy = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    shape = (
        f"{len(paths)} public pages of 620723, {clients} clients ({cached.client}), gunicorn {ctx.param('workers', 4)} workers x "
        f"{ctx.param('threads', 4)} threads on {os.cpu_count()} CPUs (load average {busy} at the end); "
        + "; ".join(
            _describe(n, load) for n, load in (("bare", bare), ("portal", cached), ("uncached", rendered))
        )
        + f"; {how}"
    )
    ctx.log(shape)
    return [
        Result(
            "portal: notice pages p99 latency, 50 clients",
            ctx.db,
            _ms(cached, 99),
            "ms",
            target=P99_TARGET_MS,
            baseline_name="bare view",
            baseline_value=_ms(bare, 99),
            note=shape,
        ),
        Result(
            "portal: time per request (1 / requests per second)",
            ctx.db,
            1000 / cached.rate if cached.rate else float("inf"),
            "ms",
            baseline_name="bare view",
            baseline_value=1000 / bare.rate if bare.rate else None,
            note=f"{cached.rate:.0f} requests/s (bare view {bare.rate:.0f}/s)",
        ),
        Result(
            "portal: p99 latency rendering every request",
            ctx.db,
            _ms(rendered, 99),
            "ms",
            baseline_name="bare view",
            baseline_value=_ms(bare, 99),
            note=f"{rendered.rate:.0f} requests/s without the page cache",
        ),
        Result(
            "portal: failed requests",
            ctx.db,
            float(bare.failed + cached.failed + rendered.failed),
            "",
            target=0.0,
        ),
    ]


if __name__ == "__main__":
    from bench.__main__ import main

    sys.exit(main(["--only", "portal", *sys.argv[1:]]))
