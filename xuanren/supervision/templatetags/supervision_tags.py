"""Template tags other apps use to link to the supervision desk without knowing its roles."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def trace_url(context: Any, campaign_pk: int, candidate_pk: int) -> str:
    """The address of a candidate's accountability trace (责任追溯) when the user's roles may open
    it, else an empty string: the same roles the trace view declares, so the link and the page
    never disagree. The trace view still scopes the candidate to the user's jurisdiction."""
    from xuanren.supervision.views import DESK  # the roles @roles_required declares on the trace

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    if not (user.is_superuser or user.has_role(*DESK)):
        return ""
    return reverse("supervision:trace", args=[campaign_pk, candidate_pk])
