"""Helpers shared by the record tests."""

from __future__ import annotations

from typing import Any


def add(n: int = 1, **fields: Any) -> list[Any]:
    """Append ``n`` entries, one action each."""
    from xuanren.record.api import append, recorded_action

    out = []
    for i in range(n):
        values = {
            "action": "test.step",
            "actor": "测试",
            "jurisdiction_code": "620723",
            "payload": {"i": i},
            "campaign_id": 7,
            "candidate_id": None,
        }
        values.update(fields)
        with recorded_action():
            out.append(append(**values))
    return out
