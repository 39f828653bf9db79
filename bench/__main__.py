"""`make bench`: run every benchmark module on SQLite and PostgreSQL and print one table.

The convention a module follows is in :mod:`bench.harness`. Options::

    python -m bench [--only NAME ...] [--db sqlite|postgresql] [--param KEY=VALUE ...]
                    [--fresh] [--drop]

The exit status is 1 when a benchmark failed to run or missed its target.
"""

from __future__ import annotations

import argparse
import json
import os
import pkgutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import Context, Result, StaleDatabase

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = Path(os.environ.get("XUANREN_VAR", ROOT / "var")) / "bench"
POSTGRES_URL = os.environ.get("XUANREN_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
NOT_BENCHMARKS = {"harness", "__main__"}
REBUILD = 3  # a worker's exit status when its kept database must be dropped and made again


def discover() -> list[str]:
    """Benchmark modules: every module of this package except the harness."""
    return sorted(
        m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name not in NOT_BENCHMARKS
    )


# --- databases ------------------------------------------------------------------------------


def _pg_dsn(url: str, dbname: str | None = None) -> str:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    parts = [f"host={cfg['HOST'] or '127.0.0.1'}", f"port={cfg['PORT'] or 5432}", f"user={cfg['USER']}"]
    if cfg.get("PASSWORD"):
        parts.append(f"password={cfg['PASSWORD']}")
    parts.append(f"dbname={dbname or cfg['NAME']}")
    return " ".join(parts)


def postgres_reachable() -> str | None:
    """None when the server answers, else why not."""
    try:
        import psycopg

        psycopg.connect(_pg_dsn(POSTGRES_URL), connect_timeout=3).close()
    except Exception as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_dsn(POSTGRES_URL), autocommit=True) as conn:
        conn.execute(sql)


def _pg_name(module: str) -> str:
    return f"xuanren_bench_{module}"


def _pg_url(module: str) -> str:
    base, _, _ = POSTGRES_URL.rpartition("/")
    return f"{base}/{_pg_name(module)}"


def create_database(module: str, db: str) -> None:
    if db == "postgresql":
        import psycopg

        with psycopg.connect(_pg_dsn(POSTGRES_URL), autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [_pg_name(module)]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{_pg_name(module)}"')
    else:
        BENCH_VAR.mkdir(parents=True, exist_ok=True)


def drop_database(module: str, db: str) -> None:
    if db == "postgresql":
        _pg_admin(f'DROP DATABASE IF EXISTS "{_pg_name(module)}" WITH (FORCE)')
    else:
        for suffix in ("", "-wal", "-shm"):
            (BENCH_VAR / f"{module}.sqlite3{suffix}").unlink(missing_ok=True)


def worker_env(module: str, db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "XUANREN_SQLITE"}}
    env["DJANGO_SETTINGS_MODULE"] = "xuanren.settings"
    env["XUANREN_DEBUG"] = "0"  # as deployed: DEBUG's query log would be measured too
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    if db == "postgresql":
        env["DATABASE_URL"] = _pg_url(module)
    else:
        env["XUANREN_SQLITE"] = str(BENCH_VAR / f"{module}.sqlite3")
    return env


# --- one (module, database) run, in a subprocess ----------------------------------------------------


def worker(module: str, db: str, params: dict[str, str], out: Path) -> int:
    """Set Django up on the bench database, migrate it, run the module and write its results."""
    import importlib

    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    try:
        call_command("migrate", verbosity=0, interactive=False)
    except Exception as exc:
        print(f"migrate failed on the kept bench database: {exc}", file=sys.stderr)
        return REBUILD
    ctx = Context(module=module, db=connection.vendor, var_dir=BENCH_VAR, params=params)
    try:
        results = importlib.import_module(f"bench.{module}").run(ctx)
    except StaleDatabase as exc:
        print(f"[{module}/{ctx.db_label}] {exc}", file=sys.stderr)
        return REBUILD
    out.write_text(json.dumps([r.to_json() for r in results], ensure_ascii=False))
    return 0


def run_one(module: str, db: str, params: dict[str, str]) -> tuple[list[Result], str]:
    """Run one module on one database; returns its results and, when it broke, why."""
    create_database(module, db)
    for attempt in (1, 2):
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
            out = Path(tmp.name)
        try:
            cmd = [sys.executable, "-m", "bench", "--worker", module, "--db", db, "--out", str(out)]
            cmd += [f"--param={k}={v}" for k, v in params.items()]
            status = subprocess.run(cmd, env=worker_env(module, db), cwd=ROOT, check=False).returncode
            if status == REBUILD and attempt == 1:
                print(f"[{module}/{db}] rebuilding the bench database from scratch", file=sys.stderr)
                drop_database(module, db)
                create_database(module, db)
                continue
            if status != 0:
                return [], f"exit status {status}"
            return [Result.from_json(r) for r in json.loads(out.read_text())], ""
        finally:
            out.unlink(missing_ok=True)
    return [], "could not start from an empty database"


# --- the table -------------------------------------------------------------------------------------


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return f"{text} {unit}".strip()


def table(results: list[Result], errors: list[tuple[str, str, str]]) -> str:
    lines = [
        "| benchmark | database | measured | target | baseline | ratio | result |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        baseline = f"{r.baseline_name} {_num(r.baseline_value, r.unit)}" if r.baseline_name else "—"
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        target = f"≤ {_num(r.target, r.unit)}" if r.target is not None else "—"
        verdict = {True: "pass", False: "**FAIL**", None: "—"}[r.passed]
        label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(r.db, r.db)
        lines.append(
            f"| {r.name} | {label} | {_num(r.value, r.unit)} | {target} | {baseline} | {ratio} | {verdict} |"
        )
    for module, db, why in errors:
        lines.append(f"| {module} | {db} | — | — | — | — | **ERROR** ({why}) |")
    notes = [f"- {r.name} ({r.db}): {r.note}" for r in results if r.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run only this module")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), action="append", default=[])
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--fresh", action="store_true", help="drop the kept bench databases first")
    parser.add_argument("--drop", action="store_true", help="drop the bench databases afterwards")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    params = dict(p.split("=", 1) for p in args.param)

    if args.worker:
        return worker(args.worker, args.db[0], params, args.out)

    modules = discover()
    unknown = set(args.only) - set(modules)
    if unknown:
        parser.error(f"no benchmark module {', '.join(sorted(unknown))} (have: {', '.join(modules)})")
    modules = [m for m in modules if not args.only or m in args.only]
    databases = args.db or ["sqlite", "postgresql"]
    skipped = ""
    if "postgresql" in databases:
        why = postgres_reachable()
        if why is not None:
            if args.db or os.environ.get("CI") == "true":
                print(f"PostgreSQL not reachable at {POSTGRES_URL}: {why}", file=sys.stderr)
                return 1
            databases.remove("postgresql")
            skipped = f"PostgreSQL skipped: no server at {POSTGRES_URL} ({why})."

    results: list[Result] = []
    errors: list[tuple[str, str, str]] = []
    started = time.monotonic()
    for module in modules:
        for db in databases:
            if args.fresh:
                drop_database(module, db)
            got, why = run_one(module, db, params)
            results += got
            if why:
                errors.append((module, db, why))
            if args.drop:
                drop_database(module, db)
    print()
    print(table(results, errors))
    if skipped:
        print(f"\n{skipped}")
    print(f"\n({time.monotonic() - started:.0f} s)")
    failed = errors or any(r.passed is False for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
