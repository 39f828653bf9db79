"""Files of the record, stored by SHA-256 under ``MEDIA_ROOT/materials/`` (outside the web root).

Uploads are signed scans or photographs: PDF, JPEG or PNG only, recognised by their first bytes (not by their name or
the browser's content type), at most ``RECORD_MATERIAL_MAX_BYTES`` (20 MiB by default). A file is
written once, to a temporary name that is synced and then renamed into place, so a stored path
always holds the whole file whose hash it is named by.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from django.conf import settings

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# The PNG signature is all 8 bytes (PNG spec, 5.2): a shorter prefix would let text files pass.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}
ACCEPTED = "PDF、JPEG 或 PNG"
# What a file input's ``accept`` attribute lists (a hint to the browser; the bytes decide).
ACCEPT_ATTRIBUTE = ",".join(kind for kind, _ in SIGNATURES.values())


class MaterialRefused(ValueError):
    """An upload that is not a PDF, JPEG or PNG, is empty, or is too large; the message is for people."""


def max_bytes() -> int:
    return int(getattr(settings, "RECORD_MATERIAL_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_upload(file: Any) -> tuple[str, bytes]:
    """The name and bytes of an uploaded file, refusing oversize files before reading them whole."""
    limit = max_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise MaterialRefused(f"文件过大：{size / 1048576:.1f} MiB，上限 {limit // 1048576} MiB")
    chunks = []
    total = 0
    for chunk in file.chunks() if hasattr(file, "chunks") else [file.read()]:
        total += len(chunk)
        if total > limit:
            raise MaterialRefused(f"文件过大：超过上限 {limit // 1048576} MiB")
        chunks.append(chunk)
    return str(getattr(file, "name", "") or ""), b"".join(chunks)


def sniff(data: bytes) -> tuple[str, str]:
    """The content type and extension from the file's first bytes; only PDF, JPEG and PNG pass."""
    if not data:
        raise MaterialRefused("文件为空")
    for magic, kind in SIGNATURES.items():
        if data.startswith(magic):
            return kind
    raise MaterialRefused(f"只接受 {ACCEPTED} 格式的文件（按文件内容识别，不看扩展名）")


def clean_name(name: str, extension: str) -> str:
    """A safe display name: the base name, no control or path characters, the right extension."""
    base = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/"))).strip()
    base = re.sub(r"[\x00-\x1f\x7f/:*?\"<>|]", "_", base)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem.strip(" .") or "材料"
    return stem[:120] + extension


def path_for(sha256: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError("not a SHA-256 hex digest")
    return Path(settings.MEDIA_ROOT) / "materials" / sha256[:2] / sha256


def store_bytes(data: bytes) -> str:
    """Store ``data`` by its SHA-256 (once); return the hex digest."""
    digest = hashlib.sha256(data).hexdigest()
    path = path_for(digest)
    if path.exists() and path.stat().st_size == len(data):
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o640)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest


class MaterialDamaged(RuntimeError):
    """A stored file is missing or no longer matches its hash."""


def read_bytes(sha256: str) -> bytes:
    """A stored file's bytes, checked against the hash it is stored under."""
    path = path_for(sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise MaterialDamaged(f"材料文件缺失：{sha256}") from e
    if hashlib.sha256(data).hexdigest() != sha256:
        raise MaterialDamaged(f"材料文件已被改动：{sha256}")
    return data
