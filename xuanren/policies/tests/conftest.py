"""Fixtures of the policy tests: a temporary ledger key, staff users, and sample policy texts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# A county policy that changes one number of linze: the open-recommendation threshold.
RAISED_LINZE = """\
id = "my-county"
name = "本县选任办法（试行）"
version = 1
effective = 2024-01-01
inherits = "linze@1"
description = "在临泽办法基础上提高不提名推荐门槛。"

[recommendation.threshold.open]
share = "2/5"
comparison = "at_least"
denominator = "participants"
on_pass = "可列为考察人选"
on_fail = "不列为考察人选"
source = "本县文件 第三条"
"""


@pytest.fixture(autouse=True)
def ledger_key(tmp_path: Path, settings: Any) -> Iterator[Path]:
    from xuanren.policies import selectors
    from xuanren.record import keys

    path = tmp_path / "keys" / "ledger.key"
    settings.LEDGER_KEY_FILE = path
    keys.forget_cached_keys()
    keys.create_signer_key(path)
    selectors.forget_registry()
    yield path
    keys.forget_cached_keys()
    selectors.forget_registry()


@pytest.fixture
def officer(counties: Any) -> Any:
    from xuanren.testing import factories

    return factories.make_user("cadre_officer", jurisdiction=counties.a, display_name="王干部")


@pytest.fixture
def admin(counties: Any) -> Any:
    from xuanren.testing import factories

    return factories.make_user(superuser=True, display_name="系统管理员")


@pytest.fixture
def policy_text() -> str:
    return RAISED_LINZE
