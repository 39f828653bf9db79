"""Test helpers of the supervision desk: a complaint at a fixed primary key for the tenancy walk."""

from __future__ import annotations

from datetime import date
from typing import Any

from xuanren.accounts.models import Jurisdiction
from xuanren.supervision.models import Complaint


def scoped_complaint(j: Jurisdiction, pk: int, tag: str) -> dict[str, Any]:
    """A received complaint of jurisdiction ``j`` with primary key ``pk`` (written directly: the
    tenancy walk needs fixed keys, not a recorded history), with the record world's material of
    the same key attached when there is one."""
    from xuanren.record.models import Material

    complaint = Complaint.objects.create(
        pk=pk,
        jurisdiction=j,
        received_on=date(2026, 11, 1),
        summary=f"{tag}县反映的问题",
        reporter_name=f"{tag}举报人",
    )
    complaint.attachments.add(*Material.objects.filter(pk=pk, jurisdiction=j))
    return {"complaint": complaint}
