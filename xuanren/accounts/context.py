"""Navigation shown to each role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from xuanren.accounts.middleware import OTP_SESSION_KEY

# (title, url name, roles allowed; empty = every staff role)
NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("工作台", "web:home", frozenset()),
    (
        "干部名册",
        "register:cadre_list",
        frozenset(
            {
                "cadre_officer",
                "department_head",
                "supervision_office",
                "deliberation_member",
                "committee_member",
                "secretary",
                "discipline",
                "inspection_team",
            }
        ),
    ),
    (
        "单位职数",
        "register:unit_list",
        frozenset(
            {
                "cadre_officer",
                "department_head",
                "supervision_office",
                "deliberation_member",
                "committee_member",
                "secretary",
                "discipline",
                "inspection_team",
            }
        ),
    ),
    (
        "选任工作",
        "campaigns:list",
        frozenset(
            {
                "cadre_officer",
                "department_head",
                "supervision_office",
                "deliberation_member",
                "committee_member",
                "secretary",
                "discipline",
                "inspection_team",
            }
        ),
    ),
    (
        "投票计票",
        "ballots:poll_list",
        frozenset(
            {"cadre_officer", "department_head", "supervision_office", "discipline", "deliberation_member"}
        ),
    ),
    ("监督", "supervision:complaints", frozenset({"supervision_office", "discipline"})),
    ("选任政策", "policies:list", frozenset()),
    (
        "全程纪实",
        "record:timeline",
        frozenset(
            {"cadre_officer", "department_head", "supervision_office", "deliberation_member", "discipline"}
        ),
    ),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu, worked out only when a template shows it: public and voter pages never load the
    session or the user for it."""
    return {"nav_items": SimpleLazyObject(lambda: nav_items(request))}


def nav_items(request: HttpRequest) -> list[dict[str, str]]:
    user = request.user
    if not user.is_authenticated or not request.session.get(OTP_SESSION_KEY):
        return []
    items = []
    for title, name, roles in NAV:
        if user.is_superuser or not roles or user.has_role(*roles):  # type: ignore[union-attr]
            try:
                items.append({"title": title, "url": reverse(name)})
            except NoReverseMatch:  # an app not yet installed simply has no menu item
                continue
    return items
