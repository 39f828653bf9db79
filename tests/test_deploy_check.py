"""`manage.py check --deploy` is clean with the production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "XUANREN_ENV": "production",
        "XUANREN_SECRET_KEY": "k" * 20 + "-Production-Secret-Key-Of-Enough-Length-0123456789",
        "XUANREN_ALLOWED_HOSTS": "xuanren.example.gov.cn",
        "XUANREN_VAR": str(tmp_path),
    }
    env.pop("XUANREN_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest; never in deployment
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "XUANREN_ENV": "production", "XUANREN_VAR": str(tmp_path)}
    env.pop("XUANREN_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "XUANREN_SECRET_KEY" in result.stderr
