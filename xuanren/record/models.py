"""Storage of the full-process record (全程纪实): an append-only log of canonical entries.

- :class:`Entry` holds each entry's canonical bytes (``data``, the UTF-8 JSON that
  ``xuanren.ledger.canonical.entry_bytes`` wrote) and its RFC 6962 leaf hash. Every other column
  (``seq``, ``action``, ``campaign_id`` ...) is a *generated* column that the database itself reads
  out of ``data``: it cannot be changed on its own, so a query by campaign or candidate always
  finds what the signed bytes say.
- :class:`TreeNode` holds the perfect-subtree hashes above the leaves (level >= 1; level 0 is
  ``Entry.leaf_hash``), written once by ``xuanren.ledger.nodestore`` at append time.
- :class:`Checkpoint` holds one signed checkpoint (C2SP tlog-checkpoint) per committed action;
  :class:`Cosignature` the witnesses' cosignatures of them.
- :class:`LogHead` is the single row whose lock orders writers.
- :class:`Material` is an uploaded or generated file, stored by SHA-256 outside the web root and
  anchored by the entry that lists its hash.

Entries, nodes, checkpoints and cosignatures are never updated or deleted: the models refuse it,
and database triggers refuse ``UPDATE`` (and ``DELETE`` on PostgreSQL) — see migration 0002.
A correction is a new entry that references the old one. ``xuanren ledger verify`` is the real
guarantee: it recomputes every hash and checks every signed checkpoint.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Func

from xuanren.accounts.models import Jurisdiction
from xuanren.accounts.scoping import ScopedQuerySet
from xuanren.ledger import canonical


class AppendOnlyError(RuntimeError):
    """An attempt to change or remove a record that is append-only."""


class CanonicalValue(Func):
    """A value inside an entry's canonical bytes, read by the database (for generated columns).

    ``path`` is a dotted path into the entry object: ``"action"``, ``"actor.id"``, ``"refs.0"``.
    SQLite reads it with ``json_extract``; PostgreSQL with ``jsonb #>>`` (cast for integers).
    """

    def __init__(self, path: str, output_field: models.Field[Any, Any]) -> None:
        super().__init__(F("data"), output_field=output_field)
        self.path = path

    def _integer(self) -> bool:
        return isinstance(self.output_field, models.IntegerField)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        json_path = "$" + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in self.path.split("."))
        return f"json_extract({sql}, '{json_path}')", list(params)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        expr = f"(({sql})::jsonb #>> '{{{','.join(self.path.split('.'))}}}')"
        return (f"({expr})::bigint" if self._integer() else expr), list(params)


def _generated(path: str, field: models.Field[Any, Any], **kwargs: Any) -> models.GeneratedField:
    return models.GeneratedField(
        expression=CanonicalValue(path, field), output_field=field, db_persist=True, **kwargs
    )


class LogHead(models.Model):
    """The single row that serialises appends: its lock orders writers, its size is the next seq."""

    size = models.BigIntegerField(default=0)
    root = models.BinaryField(max_length=32, default=b"")
    edge = models.BinaryField(default=b"")
    """The tree's right edge (the hashes at ``nodestore.root_keys(size)``), so an append reads one
    row; ``verify`` checks it against the tree it rebuilds."""

    class Meta:
        verbose_name = "纪实日志状态"


class EntryQuerySet(ScopedQuerySet["Entry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("纪实条目只能追加，不能修改；更正请追加一条更正条目")

    def delete(self) -> Any:
        raise AppendOnlyError("纪实条目只能追加，不能删除")


EntryManager = models.Manager.from_queryset(EntryQuerySet)


class Entry(models.Model):
    """One entry of the record. ``data`` is the signed content; the other columns derive from it."""

    data = models.TextField("规范内容（JSON）")
    leaf_hash = models.BinaryField("叶哈希", max_length=32)

    seq = _generated("seq", models.BigIntegerField("序号"), unique=True)
    time = _generated("time", models.CharField("时间（UTC）", max_length=32))
    jurisdiction_code = _generated("jurisdiction", models.CharField("辖区代码", max_length=12), db_index=True)
    campaign_id = _generated("campaign", models.BigIntegerField("选任工作", null=True), db_index=True)
    candidate_id = _generated("candidate", models.BigIntegerField("人选", null=True), db_index=True)
    stage = _generated("stage", models.CharField("环节", max_length=64, null=True))
    step = _generated("step", models.CharField("步骤", max_length=64, null=True))
    action = _generated("action", models.CharField("事项", max_length=64), db_index=True)
    kind = _generated("kind", models.CharField("类型", max_length=16))
    actor_id = _generated("actor.id", models.BigIntegerField("记录人", null=True), db_index=True)
    ref = _generated("refs.0", models.BigIntegerField("所审核或更正的条目", null=True), db_index=True)

    # The jurisdiction, joined on the generated code column: scoping follows the signed bytes.
    jurisdiction = models.ForeignObject(
        Jurisdiction,
        on_delete=models.DO_NOTHING,
        from_fields=["jurisdiction_code"],
        to_fields=["code"],
        related_name="+",
    )

    scope_path = "jurisdiction__path"
    objects = EntryManager()

    class Meta:
        verbose_name = "纪实条目"
        verbose_name_plural = "纪实条目"
        ordering = ["seq"]
        permissions = [("audit_record", "可审计全程纪实（只读全部）")]
        indexes = [
            models.Index(fields=["campaign_id", "candidate_id", "seq"], name="entry_campaign_candidate")
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("纪实条目只能追加，不能修改；更正请追加一条更正条目")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("纪实条目只能追加，不能删除")

    @property
    def data_bytes(self) -> bytes:
        return self.data.encode("utf-8")

    @functools.cached_property
    def value(self) -> canonical.Entry:
        """The entry as the ledger reads it (parsed from the canonical bytes)."""
        return canonical.parse_entry(self.data_bytes)

    @property
    def payload(self) -> dict[str, Any]:
        return self.value.payload

    @property
    def refs(self) -> tuple[int, ...]:
        return self.value.refs

    @property
    def actor(self) -> dict[str, Any]:
        actor = self.value.actor
        return actor if isinstance(actor, dict) else {"id": actor}

    @property
    def actor_name(self) -> str:
        return str(self.actor.get("name") or self.actor.get("id") or "")

    @property
    def files(self) -> list[dict[str, str]]:
        return self.value.files


class TreeNode(models.Model):
    """A perfect-subtree hash at level >= 1 (level 0 is the entry's leaf hash).

    The primary key is the node's position in append order: the node over leaves
    ``[index * 2**level, (index + 1) * 2**level)`` is completed by its last leaf, so
    ``id = last_leaf * 64 + level``. Ordered by id, the nodes come exactly in the order a streaming
    verifier recomputes them, and a lookup by (level, index) is a primary-key lookup.
    """

    id = models.BigIntegerField(primary_key=True)
    level = models.PositiveSmallIntegerField("层")
    index = models.BigIntegerField("序")
    hash = models.BinaryField("哈希", max_length=32)

    class Meta:
        verbose_name = "树节点"
        verbose_name_plural = "树节点"
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="tree_node_unique")]

    @staticmethod
    def key_id(level: int, index: int) -> int:
        return (((index + 1) << level) - 1) * 64 + level


class Checkpoint(models.Model):
    """A signed checkpoint of the log (C2SP tlog-checkpoint note), one per committed action."""

    size = models.BigIntegerField("规模", unique=True)
    root = models.BinaryField("根哈希", max_length=32)
    note = models.TextField("签名检查点")
    created_at = models.DateTimeField("签署时间")

    class Meta:
        verbose_name = "检查点"
        verbose_name_plural = "检查点"
        ordering = ["size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class Cosignature(models.Model):
    """A witness's cosignature (C2SP tlog-cosignature v1) of a stored checkpoint."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="cosignatures")
    witness = models.CharField("见证方", max_length=128)
    witness_vkey = models.CharField("见证方公钥", max_length=255)
    timestamp = models.BigIntegerField("见证时间（Unix 秒）")
    line = models.TextField("联署签名行")
    added_at = models.DateTimeField("录入时间")

    class Meta:
        verbose_name = "见证联署"
        verbose_name_plural = "见证联署"
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "witness_vkey"], name="one_cosignature_per_witness")
        ]


class MaterialQuerySet(ScopedQuerySet["Material"]):
    pass


class Material(models.Model):
    """A file of the record: an uploaded signed scan, a generated record form or an archive bundle.

    Stored once under ``MEDIA_ROOT/materials/`` by its SHA-256; ``entry`` is the ledger entry that
    lists the hash, so the signed log vouches for the file.
    """

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "推荐材料"
        INSPECTION = "inspection", "考察材料"
        CONCLUSION = "conclusion", "调查核实结论"
        OPINION = "opinion", "征求意见材料"
        TALLY = "tally", "计票结果"
        MINUTES = "minutes", "会议记录"
        SIGNED_FORM = "signed_form", "签字纪实表"
        ARCHIVE = "archive", "归档包"
        OTHER = "other", "其他材料"

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    content_type = models.CharField("类型", max_length=64)
    size = models.BigIntegerField("大小（字节）")
    kind = models.CharField("材料类别", max_length=32, choices=Kind.choices, default=Kind.OTHER)
    campaign_id = models.BigIntegerField("选任工作", null=True, blank=True, db_index=True)
    candidate_id = models.BigIntegerField("人选", null=True, blank=True, db_index=True)
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="+", verbose_name="纪实条目")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间")

    scope_path = "jurisdiction__path"
    objects = models.Manager.from_queryset(MaterialQuerySet)()

    class Meta:
        verbose_name = "纪实材料"
        verbose_name_plural = "纪实材料"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
