"""Fixtures of the supervision tests: a temporary signing key and upload folder, an empty cache,
and a campaign whose inspection candidates are on the public pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def ledger_key(tmp_path: Path, settings: Any) -> Iterator[Path]:
    from django.core.cache import cache

    from xuanren.record import keys

    path = tmp_path / "keys" / "ledger.key"
    settings.LEDGER_KEY_FILE = path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    keys.forget_cached_keys()
    keys.create_signer_key(path)
    cache.clear()
    yield path
    cache.clear()
    keys.forget_cached_keys()


@pytest.fixture
def inspected(db: Any) -> Any:
    from xuanren.campaigns.testing import CampaignDriver, build_world

    driver = CampaignDriver(build_world())
    driver.open_campaign()
    driver.nominate_all()
    driver.nominations_to_confirmed()
    driver.recommend()
    driver.joint_review()
    driver.choose_inspection_candidates()
    return driver
