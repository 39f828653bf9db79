"""Template helpers of the campaign pages, and the "my work" list on the home page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from xuanren.campaigns.timeline import Deadline

register = template.Library()


@register.filter
def deadline_state(deadline: Deadline | None, today: date | None) -> str:
    """CSS class of a deadline: overdue, today, soon or later."""
    if deadline is None or today is None:
        return ""
    return deadline.state_on(today)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.inclusion_tag("campaigns/my_work.html", takes_context=True)
def my_work(context: dict[str, Any]) -> dict[str, Any]:
    """The home page's work list: open steps of the user's roles, meetings, complaints."""
    from xuanren.accounts.roles import STAFF_ROLES
    from xuanren.campaigns.selectors import work_for

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_superuser or user.has_role(*STAFF_ROLES)):
        return {"work": None}  # examiners and cadres have no campaign pages
    return {"work": work_for(user), "request": request}


@register.filter
def action_label(action: str) -> str:
    """The Chinese name of a recorded action."""
    from xuanren.record.labels import action_label as label

    return label(action)


@register.filter
def entry_time(value: str) -> str:
    """A recorded entry's time (UTC, as signed) in the county's local time, to the minute."""
    from xuanren.record.record_form import local_time

    return local_time(value) if value else ""
