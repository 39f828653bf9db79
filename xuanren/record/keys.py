"""The log's signing key: a file outside the database (``settings.LEDGER_KEY_FILE``), 0600.

``xuanren setup`` creates it; see docs/deployment.md for keeping it. The key is read once per
process and path. An empty log may create its key on first use (the same thing ``setup`` does, so
a fresh install that skipped ``setup`` still works), but a log that already has checkpoints never
silently gets a new key: a missing key file is then an error.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from django.conf import settings

from xuanren.ledger.note import SignerKey, generate_signer_key, load_signer_key, save_signer_key

_cache: dict[Path, SignerKey] = {}
_last: tuple[object, SignerKey] | None = None  # (the setting it was read for, the key)
_lock = threading.Lock()


class LedgerKeyMissing(RuntimeError):
    """The signing key file is absent although the log already has signed checkpoints."""


def key_path() -> Path:
    return Path(settings.LEDGER_KEY_FILE)


def origin() -> str:
    """The log's origin line (also the key's name, as C2SP logs usually do)."""
    return str(settings.LEDGER_ORIGIN)


def create_signer_key(path: Path | None = None) -> tuple[SignerKey, bool]:
    """Create the key file if it is absent; return the key and whether it was created."""
    path = path or key_path()
    with _lock:
        if path.exists():
            return _load(path), False
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = generate_signer_key(origin())
        try:
            save_signer_key(path, key)
        except FileExistsError:  # another process created it first: use theirs
            return _load(path), False
        _cache[path] = key
        return key, True


def _load(path: Path) -> SignerKey:
    key = _cache.get(path)
    if key is None:
        key = load_signer_key(path)
        _cache[path] = key
    return key


def signer_key(*, create_if_absent: bool = False) -> SignerKey:
    """The log's signing key (cached per process)."""
    last = _last
    if last is not None and last[0] == settings.LEDGER_KEY_FILE:  # every action asks: keep it cheap
        return last[1]
    path = key_path()
    cached = _cache.get(path)
    if cached is not None:
        _remember(cached)
        return cached
    if not path.exists():
        if create_if_absent:
            return create_signer_key(path)[0]
        raise LedgerKeyMissing(
            f"找不到全程纪实签名密钥文件 {path}（日志已有签名检查点，不能另换新密钥）。"
            "请从备份恢复该文件（见 docs/deployment.md），或设置 XUANREN_LEDGER_KEY 指向它。"
        )
    with _lock:
        return _remember(_load(path))


def _remember(key: SignerKey) -> SignerKey:
    global _last
    _last = (settings.LEDGER_KEY_FILE, key)
    return key


def verifier_key() -> str:
    """The verifier key string (``<name>+<key id>+<base64>``) of the log's signing key."""
    return signer_key().verifier_key().encode()


def forget_cached_keys() -> None:
    """Drop the per-process cache (tests that swap key files)."""
    global _last
    with _lock:
        _cache.clear()
        _last = None


def key_file_mode(path: Path | None = None) -> int:
    return os.stat(path or key_path()).st_mode & 0o777
