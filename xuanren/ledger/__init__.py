"""The full-process record (全程纪实) as a tamper-evident log: pure Python, no Django.

- ``merkle``: RFC 6962 trees, inclusion and consistency proofs and their verification;
- ``nodestore``: the same tree kept as stored nodes, with O(log n) appends and proofs;
- ``canonical``: the canonical bytes of a ledger entry;
- ``note``: signed notes, checkpoints and cosignatures (C2SP formats, Ed25519);
- ``witness``: the independent witness that cosigns only an append-only history;
- ``bundle``: the archive bundle (立卷归档) and its offline verification.

Nothing here reads the clock, the database or the settings: times, keys and stored nodes are
passed in, so every function can be tested with plain values.

How a database-backed log uses it, per committed action (inside one transaction, under the lock
that hands out the next sequence number):

1. ``data = entry_bytes(Entry(seq=size, ...))``; store ``data``; ``h = leaf_hash(data)``;
2. ``append_leaf(store, size, h)`` (or ``append_leaves`` for a batch) writes the new nodes; or,
   with the edge already loaded, ``CompactRange.from_store(store, size)`` then ``.append(h)``
   gives the nodes to write and ``.root()`` the new root;
3. ``sign_checkpoint(Checkpoint(origin, size + 1, new_root), signer)`` and store the note.

Proofs: ``inclusion_proof_from_store`` / ``consistency_proof_from_store``; the ``*_keys``
functions of ``nodestore`` list the node keys first, so one query fetches them all.
"""
