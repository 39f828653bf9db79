"""A database that other processes can share with the test: a fresh SQLite file (migrated by a
subprocess), or pytest's PostgreSQL test database (tests using it need transaction=True)."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def database_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "XUANREN_SQLITE")}
    env["DJANGO_SETTINGS_MODULE"] = "xuanren.settings"
    env["XUANREN_VAR"] = str(tmp_path / "var")
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        user = s.get("USER") or "postgres"
        auth = f"{user}:{s['PASSWORD']}@" if s.get("PASSWORD") else f"{user}@"
        env["DATABASE_URL"] = (
            f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
        )
        env["XUANREN_CONN_MAX_AGE"] = "0"
    else:
        target = tmp_path / "shared.sqlite3"
        shutil.copyfile(_migrated_sqlite(env), target)
        env["XUANREN_SQLITE"] = str(target)
    return env


_TEMPLATE: list[Path] = []


def _migrated_sqlite(env: dict[str, str]) -> Path:
    """A migrated SQLite file, made once per test run and copied for each test."""
    if not _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="xuanren-ballots-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.sqlite3"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env={**env, "XUANREN_SQLITE": str(path)},
            check=True,
            timeout=300,
        )
        _TEMPLATE.append(path)
    return _TEMPLATE[0]


def step(env: dict[str, str], *args: Any, timeout: float = 120) -> Any:
    out = subprocess.run(
        [sys.executable, "-m", "xuanren.ballots.tests.worker", *map(str, args)],
        cwd=ROOT,
        env=env,
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise AssertionError(f"worker {args[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
