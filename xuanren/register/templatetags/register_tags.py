from __future__ import annotations

from typing import Any

from django import template

from xuanren.accounts.access import can_see_full_id
from xuanren.register.idnumber import mask

register = template.Library()


@register.simple_tag(takes_context=True)
def id_number(context: dict[str, Any], value: str) -> str:
    """The ID number as this user may see it: whole for roles allowed to, masked for everyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return value if user is not None and can_see_full_id(user) else mask(value)
