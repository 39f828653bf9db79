"""The rules core imports no Django, reads no clock and opens no database."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
FORBIDDEN_MODULES = {"django", "sqlite3", "psycopg", "requests", "time"}
FORBIDDEN_CALLS = {"today", "now", "utcnow", "time", "localtime"}


def _modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "tests" not in p.parts]


def test_no_django_or_database_import() -> None:
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN_MODULES, f"{path.name} imports {name}"


def test_no_clock_is_read() -> None:
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in FORBIDDEN_CALLS, (
                    f"{path.name}:{node.lineno} calls .{node.func.attr}()"
                )
