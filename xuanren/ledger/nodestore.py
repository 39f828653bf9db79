"""The tree kept as stored nodes, for a log that lives in a database.

Only *perfect* subtrees are stored, each once, keyed by ``(level, index)``: the node at level L
and index i is the root of the 2**L leaves ``[i * 2**L, (i + 1) * 2**L)``; level 0 holds the leaf
hashes themselves. A perfect subtree never changes once its last leaf is in, so the nodes are
append-only like the entries. The ragged right edge of a tree (the parts that are not perfect yet)
is never stored; it is rebuilt from at most one stored node per level.

Costs, for a tree of n leaves:

- appending a leaf reads at most log2(n) nodes (its completed left neighbours) and writes the leaf
  plus one node per subtree it completes — amortised two writes;
- a root, an inclusion proof or a consistency proof reads O(log n) nodes.

Every function asks its store for all the nodes it needs in one ``get_nodes`` call, and the
``*_keys`` functions list those keys beforehand, so a database-backed store answers each of them
with one query (``WHERE (level, index) IN (...)``), and can even merge the keys of a root and a
proof into one query, then hand the rows to :class:`MemoryNodeStore`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeAlias

from xuanren.ledger.merkle import EMPTY_ROOT, HASH_SIZE, node_hash

NodeKey = tuple[int, int]
"""``(level, index)`` of a perfect subtree."""


Node: TypeAlias = tuple[int, int, bytes]
"""``(level, index, hash)``: one stored perfect-subtree hash."""


class NodeStore(Protocol):
    """Where the perfect-subtree hashes live. Both methods are one round trip each."""

    def get_nodes(self, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
        """The hashes of those of ``keys`` that are stored (missing keys are simply absent)."""
        ...

    def put_nodes(self, nodes: Sequence[Node]) -> None:
        """Store new nodes. A node is written once and never changes."""
        ...


class MissingNodeError(LookupError):
    """The store lacks nodes that a tree of the requested size must have: it is damaged or short."""

    def __init__(self, missing: Sequence[NodeKey]) -> None:
        self.missing = list(missing)
        shown = ", ".join(f"(level {lv}, index {ix})" for lv, ix in self.missing[:5])
        super().__init__(f"missing tree nodes: {shown}{' …' if len(self.missing) > 5 else ''}")


class MemoryNodeStore:
    """A dict-backed store: for tests, and to hold the rows fetched by one database query."""

    def __init__(self, nodes: Mapping[NodeKey, bytes] | Iterable[Node] = ()) -> None:
        self.nodes: dict[NodeKey, bytes] = {}
        self.reads = 0
        """How many nodes have been asked for, so tests can see the O(log n) bound."""
        if isinstance(nodes, Mapping):
            self.nodes.update(nodes)
        else:
            for level, index, h in nodes:
                self.nodes[(level, index)] = h

    def get_nodes(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        self.reads += len(keys)
        return {k: self.nodes[k] for k in keys if k in self.nodes}

    def put_nodes(self, nodes: Sequence[Node]) -> None:
        for level, index, h in nodes:
            key = (level, index)
            if key in self.nodes and self.nodes[key] != h:
                raise ValueError(f"node {key} already stored with a different hash")
            self.nodes[key] = h


def _check_size(name: str, value: int) -> None:
    if type(value) is not int or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, not {value!r}")


def range_keys(begin: int, end: int) -> list[NodeKey]:
    """The perfect subtrees that make up the tree node over leaves ``[begin, end)``, left to right.

    ``[begin, end)`` must be a node of some RFC 6962 tree: ``begin`` a multiple of a power of two
    not smaller than ``end - begin``. Its hash is these subtrees folded from the right.
    """
    keys: list[NodeKey] = []
    width = end - begin
    position = begin
    for level in range(width.bit_length() - 1, -1, -1):
        if width >> level & 1:
            keys.append((level, position >> level))
            position += 1 << level
    return keys


def root_keys(size: int) -> list[NodeKey]:
    """The stored nodes the root of a tree of ``size`` leaves is folded from (one per set bit)."""
    _check_size("size", size)
    return range_keys(0, size)


def _inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form the audit path of ``index``, leaf end first."""
    ranges = []
    level = 0
    while (1 << level) < size:
        sibling = (index >> level) ^ 1
        begin = sibling << level
        if begin < size:
            ranges.append((begin, min(begin + (1 << level), size)))
        level += 1
    return ranges


def _consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form the consistency proof from ``old_size`` to ``new_size``.

    The largest perfect subtree ending at ``old_size`` (left out when it is the whole old tree,
    whose root the verifier already has), then that subtree's audit path in the new tree.
    """
    level = (old_size & -old_size).bit_length() - 1
    node = (old_size - 1) >> level
    ranges = [] if node == 0 else [(node << level, (node + 1) << level)]
    while (1 << level) < new_size:
        sibling = node ^ 1
        begin = sibling << level
        if begin < new_size:
            ranges.append((begin, min(begin + (1 << level), new_size)))
        node >>= 1
        level += 1
    return ranges


def _keys_of(ranges: Sequence[tuple[int, int]]) -> list[NodeKey]:
    seen: dict[NodeKey, None] = {}
    for begin, end in ranges:
        for key in range_keys(begin, end):
            seen[key] = None
    return list(seen)


def inclusion_proof_keys(index: int, size: int) -> list[NodeKey]:
    """The stored nodes the audit path of leaf ``index`` in a tree of ``size`` leaves needs."""
    _check_size("size", size)
    if type(index) is not int or not 0 <= index < size:
        raise ValueError(f"leaf index {index!r} is not in a tree of size {size}")
    return _keys_of(_inclusion_ranges(index, size))


def consistency_proof_keys(old_size: int, new_size: int) -> list[NodeKey]:
    """The stored nodes the consistency proof from ``old_size`` to ``new_size`` needs."""
    _check_consistency_sizes(old_size, new_size)
    if old_size == new_size:
        return []
    return _keys_of(_consistency_ranges(old_size, new_size))


def _check_consistency_sizes(old_size: int, new_size: int) -> None:
    _check_size("old size", old_size)
    _check_size("new size", new_size)
    if old_size > new_size:
        raise ValueError(f"old size {old_size} is larger than new size {new_size}")
    if old_size == 0 and new_size > 0:
        raise ValueError("no consistency proof exists from the empty tree")


def append_keys(size: int, count: int = 1) -> list[NodeKey]:
    """The stored nodes that appending ``count`` leaves to a tree of ``size`` leaves reads.

    These are the perfect subtrees at the right edge of the tree that the new leaves complete into
    larger ones; a subset of :func:`root_keys`.
    """
    _check_size("size", size)
    _check_size("count", count)
    new_size = size + count
    keys = []
    for level, index in root_keys(size):
        # the node at (level, index) merges once the leaves reach the end of its parent
        if (index | 1) + 1 << level <= new_size:
            keys.append((level, index))
    return keys


def _fetch(store: NodeStore, keys: Sequence[NodeKey]) -> Mapping[NodeKey, bytes]:
    found = store.get_nodes(keys) if keys else {}
    missing = [k for k in keys if k not in found]
    if missing:
        raise MissingNodeError(missing)
    for key in keys:
        if len(found[key]) != HASH_SIZE:
            raise ValueError(f"stored node {key} is not {HASH_SIZE} bytes")
    return found


def _fold(hashes: Sequence[bytes]) -> bytes:
    """Fold subtree hashes from the right: the RFC's right-ragged node over them."""
    h = hashes[-1]
    for left in reversed(hashes[:-1]):
        h = node_hash(left, h)
    return h


def _range_hash(found: Mapping[NodeKey, bytes], begin: int, end: int) -> bytes:
    return _fold([found[k] for k in range_keys(begin, end)])


class CompactRange:
    """The right edge of a tree: one perfect-subtree hash per set bit of its size.

    Enough to append leaves and compute the root without reading anything else, so a long
    ``verify`` can stream every entry through it, and an append can return the new root.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        _check_size("size", size)
        if len(hashes) != size.bit_count():
            raise ValueError(f"a tree of size {size} has {size.bit_count()} edge nodes, not {len(hashes)}")
        self.size = size
        self._hashes = list(hashes)  # left to right, the highest level first

    @classmethod
    def from_store(cls, store: NodeStore, size: int) -> CompactRange:
        """Load the right edge of the stored tree of ``size`` leaves (one read)."""
        keys = root_keys(size)
        found = _fetch(store, keys)
        return cls(size, [found[k] for k in keys])

    def append(self, leaf_hash: bytes) -> list[Node]:
        """Add a leaf; return the nodes to store: the leaf, then each subtree it completes."""
        if not isinstance(leaf_hash, bytes) or len(leaf_hash) != HASH_SIZE:
            raise ValueError(f"a leaf hash is {HASH_SIZE} bytes")
        index = self.size
        level = 0
        h = leaf_hash
        out = [(0, index, h)]
        while index & 1:
            h = node_hash(self._hashes.pop(), h)
            level += 1
            index >>= 1
            out.append((level, index, h))
        self._hashes.append(h)
        self.size += 1
        return out

    def root(self) -> bytes:
        """The root of the tree so far."""
        return _fold(self._hashes) if self._hashes else EMPTY_ROOT

    def keys(self) -> list[NodeKey]:
        """Where the edge nodes are stored."""
        return root_keys(self.size)

    @property
    def hashes(self) -> list[bytes]:
        """The edge's hashes, left to right (those at :meth:`keys`): enough to rebuild the range."""
        return list(self._hashes)


def append_leaves(store: NodeStore, size: int, leaf_hashes: Sequence[bytes]) -> list[Node]:
    """Append leaves to the stored tree of ``size`` leaves: one read, one write; return the writes."""
    _check_size("size", size)
    leaf_hashes = list(leaf_hashes)
    keys = append_keys(size, len(leaf_hashes))
    found = _fetch(store, keys)
    known = dict(found)
    out: list[Node] = []
    for offset, h in enumerate(leaf_hashes):
        if not isinstance(h, bytes) or len(h) != HASH_SIZE:
            raise ValueError(f"a leaf hash is {HASH_SIZE} bytes")
        index = size + offset
        level = 0
        out.append((0, index, h))
        while index & 1:
            h = node_hash(known.pop((level, index - 1)), h)
            level += 1
            index >>= 1
            out.append((level, index, h))
        known[(level, index)] = h
    if out:
        store.put_nodes(out)
    return out


def append_leaf(store: NodeStore, size: int, leaf_hash: bytes) -> list[Node]:
    """Append one leaf to the stored tree of ``size`` leaves; return the nodes it wrote."""
    return append_leaves(store, size, [leaf_hash])


def root_from_store(store: NodeStore, size: int) -> bytes:
    """The root of the stored tree of ``size`` leaves (at most log2(size) + 1 reads)."""
    keys = root_keys(size)
    if not keys:
        return EMPTY_ROOT
    found = _fetch(store, keys)
    return _fold([found[k] for k in keys])


def inclusion_proof_from_store(store: NodeStore, index: int, size: int) -> list[bytes]:
    """The audit path of leaf ``index`` in the stored tree of ``size`` leaves, leaf end first."""
    keys = inclusion_proof_keys(index, size)
    found = _fetch(store, keys)
    return [_range_hash(found, b, e) for b, e in _inclusion_ranges(index, size)]


def consistency_proof_from_store(store: NodeStore, old_size: int, new_size: int) -> list[bytes]:
    """The consistency proof from the stored tree of ``old_size`` leaves to that of ``new_size``."""
    keys = consistency_proof_keys(old_size, new_size)
    if old_size == new_size:
        return []
    found = _fetch(store, keys)
    return [_range_hash(found, b, e) for b, e in _consistency_ranges(old_size, new_size)]
