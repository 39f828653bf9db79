"""Fixtures of the record tests: a temporary signing key and upload folder, never var/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def ledger_key(tmp_path: Path, settings: Any) -> Iterator[Path]:
    from xuanren.record import keys

    path = tmp_path / "keys" / "ledger.key"
    settings.LEDGER_KEY_FILE = path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    keys.forget_cached_keys()
    keys.create_signer_key(path)
    yield path
    keys.forget_cached_keys()


@pytest.fixture
def county(db: Any) -> Any:
    from xuanren.testing import factories

    return factories.make_counties().a


@pytest.fixture
def officer(county: Any) -> Any:
    from xuanren.testing import factories

    return factories.make_user("cadre_officer", jurisdiction=county, display_name="王记录")


@pytest.fixture
def head(county: Any) -> Any:
    from xuanren.testing import factories

    return factories.make_user("department_head", jurisdiction=county, display_name="李部长")
