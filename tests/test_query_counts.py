"""List pages run the same number of SQL queries at 10 rows and at 200 rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanren.register.choices import Rank
from xuanren.testing import factories

pytestmark = pytest.mark.django_db


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def count_at(rows: int, build: Callable[[int], str], client: Any) -> int:
    url = build(rows)
    return queries_for(client, url)


@pytest.fixture
def officer_client(client, counties, login):
    login(factories.make_user("cadre_officer", jurisdiction=counties.a))
    return client


def test_cadre_list_queries_do_not_grow_with_rows(officer_client, counties):
    unit = factories.make_unit(counties.a, "县发改局")

    def build(n: int) -> str:
        for i in range(n):
            factories.make_cadre(counties.a, f"李{'一二三四五六七八九十'[i % 10]}{i}", unit=unit,
                                 birth=date(1970 + i % 25, 1 + i % 12, 1 + i % 27))
        return "/register/cadres/?page_size=200"

    small = count_at(10, build, officer_client)
    large = count_at(190, build, officer_client)  # 200 cadres in all
    assert small == large


def test_unit_list_queries_do_not_grow_with_units(officer_client, counties):
    def build(n: int) -> str:
        for _ in range(n):
            unit = factories.make_unit(counties.a, fuke=2)
            factories.make_post(unit, rank=Rank.FUKE)
        return "/register/units/"

    assert count_at(10, build, officer_client) == count_at(190, build, officer_client)


def test_unit_page_queries_do_not_grow_with_posts(officer_client, counties):
    unit = factories.make_unit(counties.a, "县财政局", zhengke=1, fuke=300)

    def build(n: int) -> str:
        for _ in range(n):
            post = factories.make_post(unit, rank=Rank.FUKE)
            factories.hold(factories.make_cadre(counties.a, "王五", unit=unit), post)
        return f"/register/units/{unit.pk}/"

    assert count_at(10, build, officer_client) == count_at(190, build, officer_client)


def test_cadre_page_queries_do_not_grow_with_history(officer_client, counties):
    unit = factories.make_unit(counties.a, "县审计局")
    cadre = factories.make_cadre(counties.a, "赵六", unit=unit)

    def build(n: int) -> str:
        for i in range(n):
            post = factories.make_post(unit)
            h = factories.hold(cadre, post, start=date(1990 + i % 30, 1, 1))
            h.end = date(1990 + i % 30, 12, 31)
            h.save()
        return f"/register/cadres/{cadre.pk}/"

    assert count_at(10, build, officer_client) == count_at(190, build, officer_client)
