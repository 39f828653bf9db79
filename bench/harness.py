"""The benchmark convention, and the few helpers benchmark modules share.

A benchmark is a module ``bench/<name>.py`` with one function::

    def run(ctx: Context) -> list[Result]: ...

``python -m bench`` (``make bench``) finds every such module and runs it once per database: on
SQLite, and on PostgreSQL when a server answers at ``XUANREN_BENCH_POSTGRES_URL`` (default
``postgres://postgres@127.0.0.1:5432/postgres``). Each (module, database) pair runs in its own
subprocess whose Django settings point at that module's own database, already migrated when
``run`` is called:

- SQLite: ``var/bench/<name>.sqlite3``;
- PostgreSQL: the database ``xuanren_bench_<name>`` on that server, created when missing.

The databases are kept between runs, so a module may cache expensive setup in them (``search``
reuses its 100,000-cadre demo when the seed and size match); a module that finds something it
cannot reuse raises :class:`StaleDatabase`, and the harness starts it again on an empty database.
``--fresh`` drops the databases before the run, ``--drop`` after it.

A :class:`Result` is one measured figure, with the target it must meet and, where it makes
sense, a baseline measured in the same run on the same data (the ratio shows how far the real
code is from the best hand-written equivalent). ``ctx.params`` holds ``--param key=value``
options, for example ``--param size=5000`` for a quicker search run.

Run one module: ``.venv/bin/python -m bench --only search``.
"""

from __future__ import annotations

import math
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Context", "Result", "StaleDatabase", "measure", "percentile", "run_wrk"]


class StaleDatabase(Exception):
    """Raised by a module whose kept database holds something it cannot reuse.

    The harness then drops the database, creates it afresh, and runs the module once more.
    """


@dataclass(frozen=True)
class Context:
    """What a benchmark module gets: which database it runs on, and its options."""

    module: str
    db: str  # Django's vendor name: "sqlite" or "postgresql"
    var_dir: Path
    params: dict[str, str] = field(default_factory=dict)

    @property
    def db_label(self) -> str:
        return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(self.db, self.db)

    def param(self, name: str, default: int) -> int:
        return int(self.params.get(name, default))

    def log(self, message: str) -> None:
        """Progress for the person waiting (stderr, so it never mixes with the table)."""
        import sys

        print(f"[{self.module}/{self.db_label}] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Result:
    """One measured figure. Lower is better; ``target`` is the largest value that passes."""

    name: str
    db: str
    value: float
    unit: str
    target: float | None = None
    baseline_name: str = ""
    baseline_value: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline_value is None or self.baseline_value <= 0:
            return None
        return self.value / self.baseline_value

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.value <= self.target

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        return cls(**data)


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation between the closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= p <= 100:
        raise ValueError("p must be between 0 and 100")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_wrk(script: Path, url: str, clients: int, seconds: float) -> list[int]:
    """Run ``wrk`` (two threads, one per core) with a Lua ``script`` whose ``done`` writes one line
    ``XUANREN n n n ...``; return those numbers. Only loopback URLs are given to it."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", str(script), url],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("XUANREN "))
    return [int(v) for v in line.split()[1:]]


def measure(fn: Callable[[], object], *, repeat: int = 1) -> list[float]:
    """Wall-clock milliseconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times
