"""Jurisdiction and role scoping: the one place every staff query goes through.

A scoped model declares `scope_path = "<lookup to a Jurisdiction.path>"` and uses
`ScopedQuerySet`; selectors and views call `.visible_to(user)`. An organization department works
in its own jurisdiction and those under it, so visibility is a prefix match on the path.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[M]):
    def visible_to(self, user: Any) -> ScopedQuerySet[M]:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        ids = visible_jurisdiction_ids(user)
        if not ids:
            return self.none()
        lookup = self.model.scope_path  # type: ignore[attr-defined]
        # Filter by the ids of the jurisdictions in reach rather than joining on their path: the
        # planner then knows exactly which rows qualify and can use (jurisdiction, ...) indexes.
        return self.filter(**{f"{lookup.removesuffix('__path')}__id__in": ids})


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def visible_jurisdiction_ids(user: Any) -> list[int]:
    """Ids of the user's jurisdiction and every jurisdiction under it (one query, cached on the user)."""
    cached = getattr(user, "_scope_jurisdiction_ids", None)
    if cached is None:
        from xuanren.accounts.models import Jurisdiction

        if user.jurisdiction_id is None:
            cached = []
        else:
            cached = list(
                Jurisdiction.objects.filter(path__startswith=user.jurisdiction.path).values_list(
                    "id", flat=True
                )
            )
        user._scope_jurisdiction_ids = cached
    return cached


def get_visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """Fetch one object the user may see; anything outside their jurisdiction is a plain 404."""
    try:
        return queryset.visible_to(user).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def jurisdiction_path(user: Any) -> str | None:
    if user.is_superuser:
        return ""
    return user.jurisdiction.path if user.jurisdiction_id else None
