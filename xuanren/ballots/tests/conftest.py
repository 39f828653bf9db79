from __future__ import annotations

from typing import Any

import pytest

from xuanren.testing import factories


@pytest.fixture
def officer(counties: factories.Counties) -> Any:
    return factories.make_user("cadre_officer", jurisdiction=counties.a, display_name="计票员甲")


@pytest.fixture
def clerk(counties: factories.Counties) -> Any:
    return factories.make_user("cadre_officer", jurisdiction=counties.a, display_name="计票员乙")


@pytest.fixture
def scrutineer(counties: factories.Counties) -> Any:
    return factories.make_user("discipline", jurisdiction=counties.a, display_name="监票人丙")
