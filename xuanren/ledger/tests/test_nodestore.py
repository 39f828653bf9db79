"""The stored-node tree gives the same roots and proofs as the RFC definitions, in O(log n) reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xuanren.ledger.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)
from xuanren.ledger.nodestore import (
    CompactRange,
    MemoryNodeStore,
    MissingNodeError,
    Node,
    NodeKey,
    append_keys,
    append_leaf,
    append_leaves,
    consistency_proof_from_store,
    consistency_proof_keys,
    inclusion_proof_from_store,
    inclusion_proof_keys,
    range_keys,
    root_from_store,
    root_keys,
)


class WriteOnceStore(MemoryNodeStore):
    """Counts round trips and refuses to write any node twice."""

    def __init__(self) -> None:
        super().__init__()
        self.get_calls = 0
        self.put_calls = 0

    def get_nodes(self, keys: Sequence[NodeKey]) -> dict[NodeKey, bytes]:
        self.get_calls += 1
        return super().get_nodes(keys)

    def put_nodes(self, nodes: Sequence[Node]) -> None:
        self.put_calls += 1
        for level, index, _ in nodes:
            assert (level, index) not in self.nodes, f"node {(level, index)} written twice"
        super().put_nodes(nodes)


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(b"entry %d" % i) for i in range(n)]


def _store_of(leaves: Sequence[bytes]) -> WriteOnceStore:
    store = WriteOnceStore()
    for size, h in enumerate(leaves):
        append_leaf(store, size, h)
    return store


def _log2_bound(n: int) -> int:
    return max(1, n.bit_length())


def test_each_append_reads_and_writes_at_most_log_n_nodes_in_one_round_trip() -> None:
    store = WriteOnceStore()
    for size, h in enumerate(_leaves(300)):
        reads_before, gets_before, puts_before = store.reads, store.get_calls, store.put_calls
        written = append_leaf(store, size, h)
        assert store.reads - reads_before <= _log2_bound(size)
        assert store.get_calls - gets_before <= 1
        assert store.put_calls - puts_before == 1
        assert len(written) <= _log2_bound(size + 1)
        assert written[0] == (0, size, h)


def test_every_perfect_subtree_is_stored_once_and_nothing_else() -> None:
    n = 300
    store = _store_of(_leaves(n))
    # n leaves have n - popcount(n) inner perfect subtrees besides the leaves themselves
    assert len(store.nodes) == n + (n - n.bit_count())
    for level, index in store.nodes:
        assert (index + 1) << level <= n


def test_stored_nodes_are_the_roots_of_their_leaf_ranges() -> None:
    leaves = _leaves(37)
    store = _store_of(leaves)
    for (level, index), h in store.nodes.items():
        assert h == root(leaves[index << level : (index + 1) << level])


def test_root_of_empty_store_is_empty_root_and_reads_nothing() -> None:
    store = WriteOnceStore()
    assert root_from_store(store, 0) == EMPTY_ROOT
    assert store.get_calls == 0


def test_missing_nodes_are_named() -> None:
    store = _store_of(_leaves(6))
    del store.nodes[(2, 0)]
    with pytest.raises(MissingNodeError) as caught:
        root_from_store(store, 6)
    assert caught.value.missing == [(2, 0)]
    assert "level 2, index 0" in str(caught.value)


def test_keys_are_listed_before_fetching_and_stay_logarithmic_for_huge_trees() -> None:
    size = 10**12 + 12345
    bound = 2 * size.bit_length()
    assert len(root_keys(size)) == size.bit_count()
    assert len(inclusion_proof_keys(size - 1, size)) <= bound
    assert len(inclusion_proof_keys(0, size)) <= bound
    assert len(consistency_proof_keys(size // 3, size)) <= bound
    assert len(append_keys(size)) <= size.bit_length()


def test_range_keys_decompose_a_ragged_node_into_perfect_subtrees() -> None:
    assert range_keys(0, 6) == [(2, 0), (1, 2)]
    assert range_keys(8, 13) == [(2, 2), (0, 12)]
    assert range_keys(4, 8) == [(2, 1)]
    assert root_keys(0) == []


def test_compact_range_streams_leaves_to_the_same_root_and_nodes() -> None:
    leaves = _leaves(100)
    cr = CompactRange()
    written: list[Node] = []
    for h in leaves:
        written.extend(cr.append(h))
        assert cr.root() == root(leaves[: cr.size])
    store = _store_of(leaves)
    assert dict(((lv, ix), h) for lv, ix, h in written) == store.nodes
    resumed = CompactRange.from_store(store, 57)
    assert resumed.root() == root(leaves[:57])
    assert resumed.keys() == root_keys(57)
    assert resumed.hashes == [store.nodes[k] for k in root_keys(57)]
    copied = CompactRange(57, resumed.hashes)
    assert copied.append(leaves[57]) == resumed.append(leaves[57]) and copied.root() == resumed.root()


def test_batch_append_equals_one_by_one() -> None:
    leaves = _leaves(50)
    one_by_one = _store_of(leaves)
    batched = WriteOnceStore()
    size = 0
    for batch in (leaves[:3], leaves[3:4], leaves[4:20], leaves[20:50]):
        append_leaves(batched, size, batch)
        size += len(batch)
    assert batched.nodes == one_by_one.nodes
    assert batched.get_calls <= 4


def test_refuses_bad_arguments() -> None:
    store = _store_of(_leaves(4))
    with pytest.raises(ValueError):
        inclusion_proof_from_store(store, 4, 4)
    with pytest.raises(ValueError):
        consistency_proof_from_store(store, 3, 2)
    with pytest.raises(ValueError, match="empty tree"):
        consistency_proof_from_store(store, 0, 2)
    with pytest.raises(ValueError):
        append_leaf(store, 4, b"short")
    with pytest.raises(ValueError):
        root_from_store(store, -1)
    assert consistency_proof_from_store(store, 2, 2) == []


def test_a_conflicting_rewrite_of_a_node_is_refused_by_the_memory_store() -> None:
    store = MemoryNodeStore()
    append_leaves(store, 0, _leaves(2))
    store.put_nodes([(0, 1, _leaves(2)[1])])  # the same node again is harmless
    with pytest.raises(ValueError, match="different hash"):
        store.put_nodes([(0, 0, leaf_hash(b"other"))])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 260), st.data())
def test_store_based_roots_and_proofs_equal_the_list_based_ones(n: int, data: Any) -> None:
    leaves = _leaves(n)
    store = WriteOnceStore()
    size = 0
    while size < n:  # append in random batches
        count = data.draw(st.integers(1, n - size), label="batch")
        append_leaves(store, size, leaves[size : size + count])
        size += count

    m = data.draw(st.integers(0, n), label="size")
    store.reads = 0
    assert root_from_store(store, m) == root(leaves[:m])
    assert store.reads <= _log2_bound(m)

    if m:
        index = data.draw(st.integers(0, m - 1), label="index")
        store.reads, store.get_calls = 0, 0
        proof = inclusion_proof_from_store(store, index, m)
        assert proof == inclusion_proof(leaves[:m], index)
        assert store.reads <= 2 * _log2_bound(m) and store.get_calls <= 1
        assert verify_inclusion(leaves[index], index, m, proof, root(leaves[:m]))

        old = data.draw(st.integers(1, m), label="old")
        store.reads, store.get_calls = 0, 0
        cproof = consistency_proof_from_store(store, old, m)
        assert cproof == consistency_proof(leaves[:m], old)
        assert store.reads <= 2 * _log2_bound(m) + 1 and store.get_calls <= 1
        assert verify_consistency(old, m, root(leaves[:old]), root(leaves[:m]), cproof)
