"""Every public page runs the same number of SQL queries for 2 items as for 30 (rows of
:mod:`xuanren.portal.tests.rows`), and a page served from the cache runs one or none."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xuanren.campaigns import actions
from xuanren.portal import views
from xuanren.portal.tests.rows import build
from xuanren.testing import factories

pytestmark = pytest.mark.django_db


def queries(client: Any, urls: dict[str, str], must_show: dict[str, str]) -> dict[str, int]:
    counts = {}
    for page, url in urls.items():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        assert must_show[page] in response.content.decode(), (page, must_show[page])
        counts[page] = len(ctx.captured_queries)
    return counts


def test_every_public_page_runs_the_same_queries_for_2_items_as_for_30(client, counties):
    few = build(counties.a, 2)
    many = build(counties.b, 30)
    last = {2: "1", 30: "29"}
    shown = {
        n: {
            "index": "民乐县",
            "home": "选任1",
            "plan": f"选任{n - 1}",
            "campaign": f"局长{last[n]}",
            "nominees": f"人选{last[n]}",
            "inspection notice": f"考察员{last[n]}",
            "pre-appointment notice": f"实绩{last[n]}",
            "disclosure": "1985年6月出生",
            "votes": f"常委{last[n]}",
        }
        for n in (2, 30)
    }
    small = queries(client, few, shown[2])
    large = queries(client, many, shown[30])
    assert small == large, {p: (small[p], large[p]) for p in small if small[p] != large[p]}
    assert max(small.values()) <= 12, small


def test_a_cached_page_costs_one_query_or_none_within_the_second(client, counties, settings, monkeypatch):
    urls = build(counties.a, 2)
    client.get(urls["pre-appointment notice"])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(urls["pre-appointment notice"]).status_code == 200
    assert len(ctx.captured_queries) == 1  # the record's size, the version the page is cached under

    settings.PORTAL_VERSION_SECONDS = 1
    clock = [1000.0]
    monkeypatch.setattr(views, "monotonic", lambda: clock[0])
    monkeypatch.setattr(views, "_version", None)
    client.get(urls["home"])
    with CaptureQueriesContext(connection) as ctx:
        assert "2026 年度" not in client.get(urls["home"]).content.decode()
    assert len(ctx.captured_queries) == 0

    officer = factories.make_user("cadre_officer", "department_head", jurisdiction=counties.a)
    plan = actions.create_annual_plan(
        acting_user=officer, jurisdiction=counties.a, year=2026, today=date(2026, 1, 5)
    )
    actions.create_campaign(
        acting_user=officer,
        jurisdiction=counties.a,
        title="2026年选任",
        year=2026,
        policy_ref="linze",
        today=date(2026, 1, 6),
        annual_plan=plan,
    )
    actions.publish_annual_plan(plan, acting_user=officer, today=date(2026, 1, 7))
    assert "2026 年度" not in client.get(urls["home"]).content.decode()  # within the second
    clock[0] += 1.5
    assert "2026 年度" in client.get(urls["home"]).content.decode()
