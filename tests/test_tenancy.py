"""Tenancy and roles, checked over every URL the project serves.

County B's objects all get primary key 900001 and county A's 800001, in every table, so any URL
with integer parameters filled with 900001 points at county B whatever its model: a county-A user
must get 404. The same URL filled with 800001 must open for the roles the view allows and be
refused (403) for the others, which shows the check can fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from xuanren.accounts.roles import ROLES
from xuanren.testing import factories
from xuanren.testing.scoped_world import build_scoped_world, register_builder

A_PK, B_PK = 800001, 900001


def _competition(j: Any, pk: int, tag: str) -> dict[str, Any]:
    from xuanren.competition.testing import scoped_round

    return scoped_round(j, pk, tag)


# The exam round, examiner and score of each county (xuanren/testing/scoped_world.py is shared;
# the competition app registers its builder here, after the campaign builder it depends on).
register_builder(_competition)

# Views that are not scoped by jurisdiction or role, with the reason. Anything else must declare roles.
UNRESTRICTED = {
    "web:home": "every logged-in staff member has a home page",
    "accounts:login": "login page",
    "accounts:otp_verify": "second-factor step",
    "accounts:otp_setup": "second-factor enrolment",
    "accounts:logout": "POST-only logout",
}
# URL patterns whose parameters are not jurisdiction-scoped object ids, with the reason.
NON_OBJECT_PARAMS: dict[str, str] = {
    "policies:latest": "a policy id (slug) shared by every jurisdiction; roles tested in xuanren/policies",
    "policies:detail": "a policy id and version, not a database row; roles tested in xuanren/policies",
    # The public portal is addressed by GB/T 2260 jurisdiction code; its views are public (no roles),
    # and xuanren/portal/tests shows that an object of another jurisdiction under a code is a 404.
    "portal:home": "a public jurisdiction code; public page, no roles",
    "portal:plan": "a public jurisdiction code and a year; public page, no roles",
    "portal:campaign": "a public jurisdiction code and a campaign id checked against it; public page",
    "portal:nominees": "a public jurisdiction code and a campaign id checked against it; public page",
    "portal:notice": "a public jurisdiction code and a notice id checked against it; public page",
    "portal:disclosure": "a public jurisdiction code and a disclosure id checked against it; public page",
    "portal:votes": "a public jurisdiction code and a meeting id checked against it; public page",
    "portal:scores": "a public jurisdiction code and a campaign id checked against it; public page",
    "portal:report": "a public jurisdiction code; the public complaint form, no roles",
    "portal:report_track": "a public jurisdiction code; tracking by code and password, no roles",
    "portal:recommend": "a public jurisdiction code; campaigns taking online nominations, no roles",
    "portal:recommend_signed": "a public jurisdiction code and a campaign id checked against it; public form",
    "portal:recommend_self": "a public jurisdiction code and a campaign id checked against it; public form",
    "portal:recommend_track": "a public jurisdiction code; tracking by code and password, no roles",
}


def _online_nomination(j: Any, pk: int, tag: str) -> dict[str, Any]:
    """An online submission of the campaign the campaign builder made at ``pk``."""
    from datetime import date

    from xuanren.campaigns.models import Nomination, OnlineNomination

    submission = OnlineNomination.objects.create(
        pk=pk,
        campaign_id=pk,
        channel=Nomination.Channel.SIGNED,
        vacancy_id=pk,
        nominee_name=f"{tag}干部",
        nominee_unit_post=f"{tag}测试单位副局长",
        recommender_name=f"{tag}推荐人",
        recommender_unit_post="群众",
        recommender_phone="13900001111",
        recommender_id_number="11010519491231002X",
        relationship=OnlineNomination.Relationship.COLLEAGUE,
        responsibility_accepted=True,
        tracking_code=f"T{pk}",
        tracking_password="!",
        submitted_on=date(2026, 3, 5),
    )
    return {"online_nomination": submission}


register_builder(_online_nomination)


def walk(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str, Any]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            yield from walk(p, prefix + str(p.pattern), f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern):
            yield f"{ns}{p.name}", prefix + str(p.pattern), p.callback


def fill(route: str, pk: int) -> str:
    import re

    return "/" + re.sub(r"<int:\w+>", str(pk), route)


def project_urls() -> list[tuple[str, str, Any]]:
    return [u for u in walk(get_resolver()) if not u[1].startswith("static")]


@pytest.fixture
def world(db: Any) -> Any:
    return build_scoped_world(A_PK, B_PK)


def test_every_view_declares_roles_or_is_listed_as_unrestricted():
    missing = [
        name
        for name, route, view in project_urls()
        if name not in UNRESTRICTED
        and not hasattr(view, "allowed_roles")
        and not getattr(view, "public", False)
    ]
    assert missing == [], f"views with neither @roles_required nor @public: {missing}"


def test_every_parameter_is_an_integer_object_id_or_explained():
    import re

    odd = [
        name
        for name, route, _ in project_urls()
        if re.search(r"<(?!int:)[^>]+>", route) and name not in NON_OBJECT_PARAMS
    ]
    assert odd == [], f"URL parameters the tenancy walk cannot fill: {odd}"


def test_county_a_staff_get_404_for_every_county_b_object(client, world, login):
    user = factories.make_user(*[r.code for r in ROLES], jurisdiction=world.a)
    login(user)
    checked = 0
    for name, route, _view in project_urls():
        if "<int:" not in route:
            continue
        response = client.get(fill(route, B_PK))
        assert response.status_code in (404, 405), (
            f"{name}: county B object reachable ({response.status_code})"
        )
        checked += response.status_code == 404
    assert checked >= 2


def test_each_role_reaches_exactly_its_pages(client, world, login):
    for role in ROLES:
        user = factories.make_user(role.code, jurisdiction=world.a)
        client.logout()
        login(user)
        for name, route, view in project_urls():
            if name in UNRESTRICTED or name in NON_OBJECT_PARAMS or getattr(view, "public", False):
                continue
            url = fill(route, A_PK)
            response = client.get(url)
            if response.status_code == 405:
                continue
            allowed = role.code in view.allowed_roles
            if allowed:
                assert response.status_code in (200, 302), (
                    f"{role.code} should open {name}: {response.status_code}"
                )
            else:
                assert response.status_code == 403, (
                    f"{role.code} must not open {name}: {response.status_code}"
                )


def test_anonymous_users_reach_no_staff_page(client, world):
    for name, route, view in project_urls():
        if name in UNRESTRICTED or name in NON_OBJECT_PARAMS or getattr(view, "public", False):
            continue
        response = client.get(fill(route, A_PK))
        assert response.status_code in (302, 405), f"anonymous reached {name}: {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")


def test_superuser_of_no_jurisdiction_sees_everything_and_admin_is_for_superusers_only(client, world, login):
    officer = factories.make_user("cadre_officer", jurisdiction=world.a)
    login(officer)
    assert client.get("/admin/").status_code == 302  # Django admin only for system administrators
    assert apps.is_installed("django.contrib.admin")
    assert connection.vendor in {"sqlite", "postgresql"}
