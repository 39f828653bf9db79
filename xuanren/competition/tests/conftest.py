"""The portal's page cache empty for each test, and the record size read on every request (a
test publishes between requests faster than the once-a-second reading would notice)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_page_cache(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from xuanren.portal import views

    settings.PORTAL_VERSION_SECONDS = 0
    monkeypatch.setattr(views, "_version", None)
    cache.clear()
    yield
    cache.clear()
