"""The full-process record (全程纪实) as a tamper-evident log: pure Python, no Django.

- ``merkle``: RFC 6962 trees, inclusion and consistency proofs and their verification;
- ``nodestore``: the same tree kept as stored nodes, with O(log n) appends and proofs;
- ``canonical``: the canonical bytes of a ledger entry;
- ``note``: signed notes, checkpoints and cosignatures (C2SP formats, Ed25519);
- ``witness``: the independent witness that cosigns only an append-only history;
- ``bundle``: the archive bundle (立卷归档) and its offline verification.

Nothing here reads the clock, the database or the settings: times, keys and stored nodes are
passed in, so every function can be tested with plain values.
"""
