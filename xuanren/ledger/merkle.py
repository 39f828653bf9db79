"""RFC 6962 Merkle hash trees (as restated in RFC 9162 §2.1): hashes, proofs, verification.

Leaves and inner nodes are hashed with different prefixes, so a leaf can never pass for a node::

    leaf hash = SHA-256(0x00 || entry bytes)
    node hash = SHA-256(0x01 || left || right)

The tree over n leaves splits at k, the largest power of two smaller than n (RFC 9162 §2.1.1): it
is perfect on the left and ragged on the right. The empty tree's root is SHA-256 of nothing.

Makers of proofs raise ``ValueError`` on bad arguments: that is a bug in the caller. Verifiers take
what a stranger sent and return ``False`` on anything malformed (wrong types, hashes that are not
32 bytes, negative or oversized sizes, proofs of the wrong length); they never raise.

The list-based makers here follow the RFC's recursive definitions word for word; they are the
reference. ``xuanren.ledger.nodestore`` makes the same proofs from stored nodes in O(log n).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
"""Every hash in the tree is a SHA-256 digest."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""The root of the tree with no leaves (RFC 9162 §2.1.1: MTH({}) = HASH())."""

MAX_TREE_SIZE = 2**64 - 1
"""Checkpoints and proofs carry sizes as unsigned 64-bit integers; anything larger is malformed."""

MAX_PROOF_LENGTH = 2 * 64
"""No honest proof for a tree below 2**64 leaves is longer; longer ones are refused unread."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """The RFC 6962 hash of one leaf: SHA-256(0x00 || data)."""
    return _sha256(_LEAF_PREFIX + bytes(data)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The RFC 6962 hash of an inner node: SHA-256(0x01 || left || right)."""
    return _sha256(_NODE_PREFIX + left + right).digest()


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """The Merkle tree hash (MTH) over the given leaf hashes, in one pass and O(log n) memory.

    Perfect subtrees are merged as soon as they are complete (the binary counter trick); what is
    left at the end is folded right to left, which is exactly the RFC's right-ragged shape.
    """
    stack: list[bytes] = []
    sha256 = _sha256
    for i, h in enumerate(leaf_hashes):
        if len(h) != HASH_SIZE:
            raise ValueError(f"leaf hash {i} is {len(h)} bytes, not {HASH_SIZE}")
        n = i
        while n & 1:
            h = sha256(_NODE_PREFIX + stack.pop() + h).digest()
            n >>= 1
        stack.append(h)
    if not stack:
        return EMPTY_ROOT
    h = stack.pop()
    while stack:
        h = sha256(_NODE_PREFIX + stack.pop() + h).digest()
    return h


def _split(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _check_leaves(leaf_hashes: Sequence[bytes]) -> list[bytes]:
    leaves = list(leaf_hashes)
    for i, h in enumerate(leaves):
        if not isinstance(h, bytes | bytearray) or len(h) != HASH_SIZE:
            raise ValueError(f"leaf hash {i} is not {HASH_SIZE} bytes")
    return leaves


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree over ``leaf_hashes``, leaf end first.

    RFC 9162 §2.1.3.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) for m < k, and
    PATH(m - k, D[k:n]) : MTH(D[0:k]) otherwise; PATH(0, D[1]) is empty.
    """
    leaves = _check_leaves(leaf_hashes)
    if not (type(index) is int and 0 <= index < len(leaves)):
        raise ValueError(f"leaf index {index!r} is not in a tree of size {len(leaves)}")

    def path(m: int, d: list[bytes]) -> list[bytes]:
        if len(d) == 1:
            return []
        k = _split(len(d))
        if m < k:
            return [*path(m, d[:k]), root(d[k:])]
        return [*path(m - k, d[k:]), root(d[:k])]

    return path(index, leaves)


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int) -> list[bytes]:
    """The proof that the tree of ``old_size`` leaves is a prefix of the tree over ``leaf_hashes``.

    RFC 9162 §2.1.4.1: PROOF(m, D[n]) = SUBPROOF(m, D[n], true), where SUBPROOF(m, D[m], true) is
    empty, SUBPROOF(m, D[m], false) is [MTH(D[m])], and otherwise, with k the split point,
    SUBPROOF(m, D[0:k], b) : MTH(D[k:n]) for m <= k, and SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
    for m > k. Equal sizes need no proof (empty). From the empty tree there is no proof at all
    (every tree extends it, and verifiers refuse such a proof), so ``old_size`` 0 is refused.
    """
    leaves = _check_leaves(leaf_hashes)
    new_size = len(leaves)
    if not (type(old_size) is int and 0 <= old_size <= new_size):
        raise ValueError(f"old size {old_size!r} is not between 0 and {new_size}")
    if old_size == new_size:
        return []
    if old_size == 0:
        raise ValueError("no consistency proof exists from the empty tree")

    def subproof(m: int, d: list[bytes], complete: bool) -> list[bytes]:
        n = len(d)
        if m == n:
            return [] if complete else [root(d)]
        k = _split(n)
        if m <= k:
            return [*subproof(m, d[:k], complete), root(d[k:])]
        return [*subproof(m - k, d[k:], False), root(d[:k])]

    return subproof(old_size, leaves, True)


def _is_size(value: object) -> bool:
    return type(value) is int and 0 <= value <= MAX_TREE_SIZE


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes | bytearray) and len(value) == HASH_SIZE


def _is_proof(value: object) -> bool:
    return (
        isinstance(value, list | tuple) and len(value) <= MAX_PROOF_LENGTH and all(_is_hash(p) for p in value)
    )


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether ``proof`` shows leaf ``leaf_hash`` at ``index`` in the tree of ``size`` with ``root``.

    RFC 9162 §2.1.3.2, step by step. False on malformed input; never raises.
    """
    try:
        if not (_is_hash(leaf_hash) and _is_size(index) and _is_size(size)):
            return False
        if not (_is_proof(proof) and _is_hash(root)):
            return False
        if index >= size:
            return False
        fn, sn = index, size - 1
        r = bytes(leaf_hash)
        for p in proof:
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                r = node_hash(bytes(p), r)
                if not fn & 1:
                    while fn and not fn & 1:
                        fn >>= 1
                        sn >>= 1
            else:
                r = node_hash(r, bytes(p))
            fn >>= 1
            sn >>= 1
        return sn == 0 and r == bytes(root)
    except Exception:  # a verifier answers no; it does not crash on hostile input
        return False


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether ``proof`` shows the tree (old_size, old_root) is a prefix of (new_size, new_root).

    RFC 9162 §2.1.4.2, step by step, with its preconditions: equal sizes need equal roots and an
    empty proof; the empty tree's root is SHA-256 of nothing, and no proof is accepted from it to a
    larger tree (it says nothing). False on malformed input; never raises.
    """
    try:
        if not (_is_size(old_size) and _is_size(new_size)):
            return False
        if not (_is_hash(old_root) and _is_hash(new_root) and _is_proof(proof)):
            return False
        old_root, new_root = bytes(old_root), bytes(new_root)
        if old_size > new_size:
            return False
        if old_size == new_size:
            if old_size == 0 and old_root != EMPTY_ROOT:
                return False
            return len(proof) == 0 and old_root == new_root
        if old_size == 0 or len(proof) == 0:
            return False
        path = [bytes(p) for p in proof]
        if old_size & (old_size - 1) == 0:  # a power of two: its root is a node of the new tree
            path.insert(0, old_root)
        fn, sn = old_size - 1, new_size - 1
        while fn & 1:
            fn >>= 1
            sn >>= 1
        fr = sr = path[0]
        for c in path[1:]:
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                fr = node_hash(c, fr)
                sr = node_hash(c, sr)
                if not fn & 1:
                    while fn and not fn & 1:
                        fn >>= 1
                        sn >>= 1
            else:
                sr = node_hash(sr, c)
            fn >>= 1
            sn >>= 1
        return sn == 0 and fr == old_root and sr == new_root
    except Exception:  # a verifier answers no; it does not crash on hostile input
        return False
