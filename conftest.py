"""Shared fixtures: two counties, staff of every role, and logged-in clients past the second factor."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

# Django-dependent helpers are imported inside the fixtures, so the pure packages' tests
# (xuanren/rules, xuanren/ledger, ...) also run with `-p no:django`.


@pytest.fixture(autouse=True, scope="session")
def _ledger_key_outside_the_tree(request: Any, tmp_path_factory: Any) -> Any:
    """Tests sign with a key in a temporary folder, never the checkout's ``var/keys/ledger.key``;
    processes the tests start inherit it through ``XUANREN_LEDGER_KEY``."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    from django.conf import settings

    from xuanren.record import keys

    path = tmp_path_factory.mktemp("ledger-key") / "ledger.key"
    saved = os.environ.get("XUANREN_LEDGER_KEY")
    os.environ["XUANREN_LEDGER_KEY"] = str(path)
    settings.LEDGER_KEY_FILE = path
    keys.forget_cached_keys()
    yield
    if saved is None:
        os.environ.pop("XUANREN_LEDGER_KEY", None)
    else:
        os.environ["XUANREN_LEDGER_KEY"] = saved


@pytest.fixture
def counties(db: Any) -> Any:
    from xuanren.testing import factories

    return factories.make_counties()


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    from xuanren.testing import factories

    return factories.make_user


@pytest.fixture
def login(client: Any) -> Callable[[Any], Any]:
    """Log a user in with password and TOTP through the real login pages."""

    from xuanren.testing import factories

    def do_login(user: Any, c: Any = None) -> Any:
        c = c or client
        factories.login_with_2fa(c, user)
        return c

    return do_login


@pytest.fixture
def today() -> date:
    return date(2026, 11, 20)


def pytest_report_header(config: Any) -> str:
    if not config.pluginmanager.hasplugin("django"):
        return "xuanren: pure tests without Django"
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"xuanren database: {engine} (DATABASE_URL={'set' if os.environ.get('DATABASE_URL') else 'unset'})"
