"""Record objects for the tenancy walk (``xuanren.testing.scoped_world``): at the fixed primary key.

For each county: an entry (id ``pk``) of campaign ``pk`` about candidate ``pk`` (the register's
cadre at that key), and a material (id ``pk``) anchored by its own entry.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from xuanren.accounts.models import Jurisdiction
from xuanren.record import api, materials
from xuanren.record.models import Material

PDF = b"%PDF-1.4\n% xuanren test material\n%%EOF\n"


def build_record_world(j: Jurisdiction, pk: int, tag: str) -> dict[str, Any]:
    with api.recorded_action():
        entry = api._append(
            entry_id=pk,
            action="inspection_candidate_set",
            actor=f"{tag}测试",
            jurisdiction_code=j.code,
            payload={"basis": "direct", "share": None, "threshold": None, "passed": None},
            campaign_id=pk,
            candidate_id=pk,
            stage="recommendation",
            step="inspection_candidates",
            kind="entry",
            refs=(),
            files=(),
            candidate_name=None,
        )
        name, data = materials.read_upload(ContentFile(PDF, name=f"{tag}推荐材料.pdf"))
        digest = materials.store_bytes(data)
        anchor = api.append(
            action="material_stored",
            actor=f"{tag}测试",
            jurisdiction_code=j.code,
            campaign_id=pk,
            candidate_id=pk,
            files=[{"name": name, "sha256": digest}],
            payload={"kind": "recommendation", "size": len(data), "content_type": "application/pdf"},
        )
        material = Material.objects.create(
            pk=pk,
            jurisdiction=j,
            name=name,
            sha256=digest,
            content_type="application/pdf",
            size=len(data),
            kind=Material.Kind.RECOMMENDATION,
            campaign_id=pk,
            candidate_id=pk,
            entry=anchor,
            created_at=timezone.now(),
        )
    return {"record_entry": entry, "record_material": material}
