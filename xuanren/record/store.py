"""The stored Merkle tree: a ``xuanren.ledger.nodestore.NodeStore`` over the database.

Level 0 of the tree is ``Entry.leaf_hash`` (the leaf with index i is the entry with seq i); the
levels above are ``TreeNode`` rows. Each ``get_nodes`` call is one query over both tables, so a
root, a proof, or the proofs of a whole campaign cost one round trip per chunk of keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import connection

from xuanren.ledger import nodestore
from xuanren.ledger.nodestore import MemoryNodeStore, Node, NodeKey
from xuanren.record.models import Checkpoint, TreeNode

_CHUNK = 400  # keys per query: well inside every database's limit on bound parameters


class DatabaseNodeStore:
    """Stored perfect-subtree hashes: entries' leaf hashes at level 0, tree nodes above."""

    def get_nodes(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        found: dict[NodeKey, bytes] = {}
        keys = list(keys)
        for start in range(0, len(keys), _CHUNK):
            found.update(self._fetch(keys[start : start + _CHUNK]))
        return found

    def _fetch(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        leaves = [index for level, index in keys if level == 0]
        inner = [TreeNode.key_id(level, index) for level, index in keys if level > 0]
        parts: list[str] = []
        params: list[int] = []
        if leaves:
            parts.append(
                f"SELECT 0, seq, leaf_hash FROM record_entry WHERE seq IN ({', '.join(['%s'] * len(leaves))})"
            )
            params += leaves
        if inner:
            parts.append(
                'SELECT level, "index", hash FROM record_treenode '
                f"WHERE id IN ({', '.join(['%s'] * len(inner))})"
            )
            params += inner
        if not parts:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            return {(int(level), int(index)): bytes(h) for level, index, h in cursor.fetchall()}

    def put_nodes(self, nodes: Sequence[Node]) -> None:
        """Store the nodes above the leaves (a leaf's hash is stored with its entry)."""
        rows = [
            TreeNode(id=TreeNode.key_id(level, index), level=level, index=index, hash=h)
            for level, index, h in nodes
            if level > 0
        ]
        if rows:
            TreeNode.objects.bulk_create(rows)


def prefetched(keys: Iterable[NodeKey]) -> MemoryNodeStore:
    """A memory store holding the given keys, fetched in as few queries as possible."""
    return MemoryNodeStore(DatabaseNodeStore().get_nodes(list(dict.fromkeys(keys))))


def inclusion_proofs(indexes: Iterable[int], size: int) -> dict[int, list[bytes]]:
    """Inclusion proofs of many leaves in the tree of ``size`` leaves, with one fetch."""
    indexes = list(indexes)
    keys = [k for i in indexes for k in nodestore.inclusion_proof_keys(i, size)]
    store = prefetched(keys)
    return {i: nodestore.inclusion_proof_from_store(store, i, size) for i in indexes}


def inclusion_proof(index: int, size: int) -> list[bytes]:
    return nodestore.inclusion_proof_from_store(DatabaseNodeStore(), index, size)


def consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    return nodestore.consistency_proof_from_store(DatabaseNodeStore(), old_size, new_size)


def root(size: int) -> bytes:
    return nodestore.root_from_store(DatabaseNodeStore(), size)


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-size").first()


def cosigned_note(checkpoint: Checkpoint, cosignature_lines: Mapping[str, str] | None = None) -> str:
    """The checkpoint note with the stored witnesses' cosignature lines added."""
    from xuanren.ledger.note import add_signatures

    lines = (
        list(cosignature_lines.values())
        if cosignature_lines is not None
        else [c.line for c in checkpoint.cosignatures.order_by("id")]
    )
    return add_signatures(checkpoint.note, *lines) if lines else checkpoint.note
