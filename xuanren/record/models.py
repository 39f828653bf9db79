"""Storage of the full-process record (全程纪实): an append-only log of canonical entries.

Entries are never updated or deleted; a correction is a new entry that references the old one.
The Merkle tree over the entries' leaf hashes makes any later edit detectable (xuanren.ledger).
"""

from __future__ import annotations

from django.db import models


class LogHead(models.Model):
    """The single row that serialises appends: its lock orders writers, its size is the next seq."""

    size = models.BigIntegerField(default=0)
    root = models.BinaryField(max_length=32, default=b"")

    class Meta:
        verbose_name = "纪实日志状态"


class Entry(models.Model):
    seq = models.BigIntegerField("序号", unique=True)
    time = models.DateTimeField("时间")
    jurisdiction_code = models.CharField("辖区代码", max_length=12, db_index=True)
    campaign_id = models.BigIntegerField("选任工作", null=True, blank=True, db_index=True)
    candidate_id = models.BigIntegerField("人选（干部）", null=True, blank=True, db_index=True)
    stage = models.CharField("阶段", max_length=64, blank=True)
    step = models.CharField("步骤", max_length=64, blank=True)
    action = models.CharField("事项", max_length=64)
    kind = models.CharField("类型", max_length=16, default="entry")
    actor_id = models.BigIntegerField("记录人", null=True, blank=True)
    actor_name = models.CharField("记录人姓名", max_length=64, blank=True)
    refs = models.JSONField("引用条目", default=list)
    payload = models.JSONField("内容", default=dict)
    data = models.BinaryField("规范字节")
    leaf_hash = models.BinaryField("叶哈希", max_length=32)

    scope_path = "jurisdiction_code"  # resolved specially in selectors: codes, not paths

    class Meta:
        verbose_name = "纪实条目"
        verbose_name_plural = "纪实条目"
        ordering = ["seq"]
        permissions = [("audit_record", "可审计全程纪实（只读全部）")]
