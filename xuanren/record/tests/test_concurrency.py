"""Concurrent appends give a gapless, duplicate-free sequence and one checkpoint per action."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from xuanren.record.tests.concurrent_appends import hammer, summary

ROOT = Path(__file__).resolve().parents[3]


def _in_memory_sqlite() -> bool:
    name = str(connection.settings_dict["NAME"])
    return connection.vendor == "sqlite" and ("memory" in name or name == "")


def check(result: dict) -> None:
    assert result.get("errors", []) == []
    assert result["seqs"] == list(range(1000))
    assert result["checkpoints"] == list(range(1, 1001))
    assert result["workers"] == list(range(8))
    assert result["verified"], result["problems"]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_thousand_concurrent_appends_give_a_gapless_sequence(tmp_path):
    if _in_memory_sqlite():
        # The test database lives in a shared in-memory cache that serialises nothing across
        # threads; run the same code against a file database in a fresh process instead.
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "XUANREN_TEST_SQLITE"}}
        env.update(
            XUANREN_SQLITE=str(tmp_path / "concurrent.sqlite3"),
            XUANREN_LEDGER_KEY=str(tmp_path / "concurrent.key"),
            XUANREN_VAR=str(tmp_path / "var"),
            DJANGO_SETTINGS_MODULE="xuanren.settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])),
        )
        run = subprocess.run(
            [sys.executable, "-m", "xuanren.record.tests.concurrent_appends"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        check(json.loads(run.stdout.strip().splitlines()[-1]))
        return
    assert settings.DATABASES["default"]["ENGINE"].endswith(("postgresql", "sqlite3"))
    errors = hammer()
    check({"errors": errors, **summary()})
