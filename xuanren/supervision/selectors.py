"""Reads for the supervision desk, scoped by the user's jurisdiction in one place."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from xuanren.campaigns.models import Candidate
from xuanren.record.models import Entry
from xuanren.supervision.models import Complaint

COMPLAINT_ACTIONS = (
    "complaint_received",
    "verification_started",
    "complaint_concluded",
    "complaint_answered",
)


def complaints_for(user: Any, status: str = "") -> QuerySet[Complaint]:
    """The complaints the user may see, newest first, with what the list shows joined in."""
    qs = Complaint.objects.visible_to(user).select_related("jurisdiction", "campaign", "cadre")
    if status in Complaint.Status.values:
        qs = qs.filter(status=status)
    return qs


def complaint_entries(complaint: Complaint) -> list[Entry]:
    """The complaint's ledger entries (every step of it), oldest first."""
    # Canonical JSON has no spaces (ledger.canonical), so the id can be matched in the text; the
    # parsed payload then confirms it (``"complaint_id":1`` also prefixes ``:12``).
    entries = Entry.objects.filter(
        action__in=COMPLAINT_ACTIONS,
        jurisdiction_code=complaint.jurisdiction.code,
        data__contains=f'"complaint_id":{complaint.pk}',
    ).order_by("seq")
    return [e for e in entries if e.payload.get("complaint_id") == complaint.pk]


def appointments_for(user: Any, query: str = "") -> QuerySet[Candidate]:
    """Appointed candidates (任职, including those on or past probation) the user may see, newest
    first, with what the list shows joined in; ``query`` matches the cadre's name or the
    campaign's title. Each row links to the candidate's accountability trace."""
    qs = (
        Candidate.objects.visible_to(user)
        .filter(appointed_on__isnull=False)
        .select_related("cadre", "campaign", "vacancy__post__unit")
        .order_by("-appointed_on", "-id")
    )
    query = query.strip()[:64]
    if query:
        qs = qs.filter(Q(cadre__name__contains=query) | Q(campaign__title__contains=query))
    return qs
