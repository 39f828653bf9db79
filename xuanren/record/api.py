"""The one way to write to the full-process record.

Every action in the system runs inside `recorded_action()` (atomic, durable) and calls `append()`
for each entry; the entry commits with the change it describes or not at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuanren.record.models import Entry, LogHead


def canonical_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode()


def _actor(actor: Any) -> tuple[int | None, str]:
    if actor is None:
        return None, "系统"
    if isinstance(actor, str):
        return None, actor
    return actor.pk, str(actor)


def append(
    *,
    action: str,
    actor: Any,
    jurisdiction_code: str,
    payload: dict[str, Any] | None = None,
    campaign_id: int | None = None,
    candidate_id: int | None = None,
    stage: str = "",
    step: str = "",
    kind: str = "entry",
    refs: Iterable[int] = (),
) -> Entry:
    """Append one entry. Must run inside a transaction (an action's)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record.append() must run inside an action's transaction")
    head, _ = LogHead.objects.select_for_update().get_or_create(pk=1)
    seq = head.size
    actor_id, actor_name = _actor(actor)
    now = timezone.now()
    body = {
        "seq": seq,
        "time": now.isoformat(),
        "jurisdiction": jurisdiction_code,
        "campaign": campaign_id,
        "candidate": candidate_id,
        "stage": stage,
        "step": step,
        "action": action,
        "kind": kind,
        "actor": {"id": actor_id, "name": actor_name},
        "payload": payload or {},
        "refs": list(refs),
    }
    data = canonical_bytes(body)
    entry = Entry.objects.create(
        seq=seq,
        time=now,
        jurisdiction_code=jurisdiction_code,
        campaign_id=campaign_id,
        candidate_id=candidate_id,
        stage=stage,
        step=step,
        action=action,
        kind=kind,
        actor_id=actor_id,
        actor_name=actor_name,
        refs=list(refs),
        payload=payload or {},
        data=data,
        leaf_hash=hashlib.sha256(b"\x00" + data).digest(),
    )
    head.size = seq + 1
    head.save(update_fields=["size"])
    return entry


def recorded_action():  # type: ignore[no-untyped-def]
    """Decorator/context for an action: one durable transaction holding the change and its entries."""
    return transaction.atomic(durable=True)
