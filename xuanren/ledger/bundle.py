"""The archive bundle (立卷归档): one ZIP per campaign that anyone can verify offline.

Layout (every path is UTF-8; the ZIP is deterministic: same inputs, same bytes)::

    manifest.json                    {"format": "xuanren-bundle/v1", "description": {...},
                                      "files": {"<path>": "<sha256 hex>", ...}} — every other file
    checkpoint.txt                   the log's signed checkpoint (C2SP tlog-checkpoint note)
    vkey.txt                         the log's verifier key, for convenience only: trust the key
                                     you hold, not the one in the bundle
    ledger/entries/<index>.json      canonical bytes of the entry at that leaf index (12 digits)
    ledger/proofs.json               {"tree_size": N, "proofs": {"<index>": ["<base64>", ...]}}
    record-forms/<name>              the record forms (记实表), e.g. DOCX and PDF
    materials/<name>                 uploaded materials (推荐、考察材料, 核查结论 ...)
    tallies/<name>                   vote and recommendation tallies
    minutes/<name>                   meeting minutes

:func:`verify_bundle` checks, in order: the manifest (naming the first missing, altered or extra
file), the checkpoint's signature, and each entry's inclusion proof against the checkpoint root.
A file whose SHA-256 appears in the ``payload.files`` of a verified entry is *anchored*: the
signed log vouches for it, not only the manifest. The others are listed as unanchored, so the
system should record an entry naming the hashes of the forms it generates before it bundles them.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, TypeAlias

from xuanren.ledger.canonical import CanonicalError, canonical_json, parse_entry, to_canonical_value
from xuanren.ledger.merkle import leaf_hash, verify_inclusion
from xuanren.ledger.note import (
    Checkpoint,
    InvalidKeyError,
    NoteError,
    VerifierKey,
    open_checkpoint,
    parse_verifier_key,
)

FORMAT = "xuanren-bundle/v1"
MANIFEST = "manifest.json"
CHECKPOINT = "checkpoint.txt"
VKEY = "vkey.txt"
ENTRIES_DIR = "ledger/entries/"
PROOFS = "ledger/proofs.json"
CATEGORIES = ("record-forms", "materials", "tallies", "minutes")

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the ZIP epoch: bundles carry no clock time of their own
_ENTRY_RE = re.compile(r"\Aledger/entries/(\d{12})\.json\Z")
_SHA256_RE = re.compile(r"\A[0-9a-f]{64}\Z")
_MAX_JSON = 256 << 20

Source: TypeAlias = str | os.PathLike[str] | bytes | bytearray | IO[bytes]


class BundleError(ValueError):
    """Inputs that would make a bundle that does not verify."""


@dataclasses.dataclass(frozen=True)
class BundleEntry:
    """A ledger entry to archive: its leaf index, canonical bytes and inclusion proof."""

    index: int
    data: bytes
    proof: Sequence[bytes]


def entry_path(index: int) -> str:
    """Where the entry at a leaf index lives in the bundle."""
    return f"{ENTRIES_DIR}{index:012d}.json"


def _check_name(name: str) -> str | None:
    """Why a path inside the bundle is unsafe, or None."""
    if not isinstance(name, str) or not name:
        return "empty name"
    if name.startswith("/") or "\\" in name or re.match(r"\A[A-Za-z]:", name):
        return "absolute or Windows path"
    if any(ord(c) < 0x20 or c == "\x7f" for c in name):
        return "control character in name"
    if any(part in ("", ".", "..") for part in name.split("/")):
        return "empty, '.' or '..' path component"
    return None


def _files(record_forms: Mapping[str, bytes], materials: Mapping[str, bytes],
           tallies: Mapping[str, bytes], minutes: Mapping[str, bytes]) -> dict[str, bytes]:  # fmt: skip
    out: dict[str, bytes] = {}
    for category, files in zip(CATEGORIES, (record_forms, materials, tallies, minutes), strict=True):
        for name, data in files.items():
            path = f"{category}/{name}"
            why = _check_name(name) or _check_name(path)
            if why:
                raise BundleError(f"file name {name!r}: {why}")
            if not isinstance(data, bytes | bytearray):
                raise BundleError(f"file {path}: contents must be bytes")
            out[path] = bytes(data)
    return out


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def write_bundle(
    target: str | os.PathLike[str] | IO[bytes],
    *,
    checkpoint: str,
    verifier_key: str,
    entries: Iterable[BundleEntry | tuple[int, bytes, Sequence[bytes]]],
    record_forms: Mapping[str, bytes] | None = None,
    materials: Mapping[str, bytes] | None = None,
    tallies: Mapping[str, bytes] | None = None,
    minutes: Mapping[str, bytes] | None = None,
    description: Mapping[str, Any] | None = None,
) -> None:
    """Write an archive bundle to a path or a binary file.

    Everything is checked before a byte is written: the checkpoint must be signed by
    ``verifier_key``, every entry must be canonical and its proof must verify against the
    checkpoint, and file names must be safe relative paths. ``description`` (campaign, dates,
    who archived it ...) goes into the manifest through ``to_canonical_value``.
    """
    try:
        vkey = parse_verifier_key(verifier_key)
        cp, _ = open_checkpoint(checkpoint, [vkey])
    except (NoteError, InvalidKeyError) as e:
        raise BundleError(f"checkpoint does not verify with the given key: {e}") from e

    contents: dict[str, bytes] = {
        CHECKPOINT: checkpoint.encode("utf-8"),
        VKEY: (vkey.encode() + "\n").encode(),
    }
    proofs: dict[str, list[str]] = {}
    for item in entries:
        be = item if isinstance(item, BundleEntry) else BundleEntry(*item)
        if type(be.index) is not int or be.index < 0:
            raise BundleError(f"leaf index {be.index!r} is not a non-negative integer")
        path = entry_path(be.index)
        if path in contents:
            raise BundleError(f"entry at leaf index {be.index} given twice")
        data = bytes(be.data)
        try:
            parse_entry(data)
        except CanonicalError as err:
            raise BundleError(f"entry at leaf index {be.index} is not a canonical entry: {err}") from err
        proof = [bytes(p) for p in be.proof]
        if not verify_inclusion(leaf_hash(data), be.index, cp.size, proof, cp.root):
            raise BundleError(f"entry at leaf index {be.index}: its proof does not reach the checkpoint root")
        contents[path] = data
        proofs[str(be.index)] = [base64.b64encode(p).decode("ascii") for p in proof]
    contents[PROOFS] = canonical_json({"tree_size": cp.size, "proofs": proofs})
    contents.update(_files(record_forms or {}, materials or {}, tallies or {}, minutes or {}))

    manifest = {
        "format": FORMAT,
        "description": to_canonical_value(dict(description or {})),
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()},
    }
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr(_zip_info(MANIFEST), canonical_json(manifest))
        for name in sorted(contents):
            zf.writestr(_zip_info(name), contents[name])


def bundle_bytes(**kwargs: Any) -> bytes:
    """:func:`write_bundle` into memory; returns the ZIP bytes."""
    buffer = io.BytesIO()
    write_bundle(buffer, **kwargs)
    return buffer.getvalue()


@dataclasses.dataclass(frozen=True)
class BundleProblem:
    """One thing wrong with a bundle: its kind, the file or entry concerned, and why."""

    kind: str
    name: str
    message: str

    LABELS = {
        "not-a-zip": "不是有效的归档包",
        "unsafe-name": "文件名不安全",
        "duplicate": "文件重复",
        "too-large": "文件过大",
        "manifest": "清单无效",
        "missing": "文件缺失",
        "altered": "文件被改动",
        "extra": "清单外的文件",
        "checkpoint": "检查点无效",
        "proofs": "证明无效",
        "entry": "记录无法验证",
    }

    def __str__(self) -> str:
        return f"{self.LABELS.get(self.kind, self.kind)} / {self.kind}: {self.name}: {self.message}"


@dataclasses.dataclass(frozen=True)
class BundleReport:
    """The outcome of :func:`verify_bundle`. ``ok`` only when there is no problem at all."""

    problems: tuple[BundleProblem, ...]
    checkpoint: Checkpoint | None
    entries: tuple[int, ...]
    """Leaf indices of the entries whose inclusion proofs verified."""
    key_trusted: bool
    """False when no trusted key was given and the bundle's own vkey.txt was used."""
    files: tuple[str, ...]
    unanchored: tuple[str, ...]
    """Files whose SHA-256 no verified entry records: vouched for by the manifest alone."""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> BundleProblem | None:
        return self.problems[0] if self.problems else None

    def summary(self) -> str:
        """A few lines for a person: the verdict, then each problem."""
        if self.ok:
            size = self.checkpoint.size if self.checkpoint else "?"
            lines = [f"OK: {len(self.files)} files, {len(self.entries)} entries in a log of {size}"]
            if not self.key_trusted:
                lines.append("warning: checked against the bundle's own key; pass the log's key to trust it")
            if self.unanchored:
                lines.append(f"note: {len(self.unanchored)} files are vouched for by the manifest only")
            return "\n".join(lines)
        return "\n".join(["FAILED", *(f"  {p}" for p in self.problems)])


# What reading a damaged or hostile member can raise (bad CRC, encryption, unknown compression).
_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    RuntimeError,
    NotImplementedError,
)


class _Reader:
    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.problems: list[BundleProblem] = []
        self.members: dict[str, zipfile.ZipInfo] = {}

    def problem(self, kind: str, name: str, message: str) -> None:
        self.problems.append(BundleProblem(kind, name, message))

    def read(self, name: str, limit: int = _MAX_JSON) -> bytes | None:
        info = self.members.get(name)
        if info is None:
            return None
        if info.file_size > limit:
            self.problem("too-large", name, "file too large to read")
            return None
        try:
            with self.zf.open(info) as f:
                return f.read(limit + 1)[:limit]
        except _READ_ERRORS as e:
            self.problem("altered", name, f"unreadable: {e}")
            return None

    def sha256(self, name: str) -> str | None:
        h = hashlib.sha256()
        try:
            with self.zf.open(self.members[name]) as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
        except _READ_ERRORS:
            return None  # a CRC failure: the stored bytes were changed
        return h.hexdigest()


def _open_zip(source: Source) -> zipfile.ZipFile:
    if isinstance(source, bytes | bytearray):
        return zipfile.ZipFile(io.BytesIO(bytes(source)))
    return zipfile.ZipFile(source)


def verify_bundle(source: Source, trusted_vkeys: Iterable[VerifierKey | str] | None = None) -> BundleReport:
    """Check an archive bundle offline; never raises on a bad bundle, reports it instead.

    ``trusted_vkeys`` are the log keys the checker trusts (obtained independently of the bundle);
    without them the bundle's own ``vkey.txt`` is used and the report says the key is not trusted.
    """
    try:
        zf = _open_zip(source)
    except Exception as e:  # a damaged central directory can raise almost anything from zipfile
        return BundleReport((BundleProblem("not-a-zip", str(source)[:80], str(e)),), None, (), False, (), ())
    with zf:
        return _verify(_Reader(zf), trusted_vkeys)


def _verify(r: _Reader, trusted_vkeys: Iterable[VerifierKey | str] | None) -> BundleReport:
    for info in r.zf.infolist():
        name = info.filename
        if name.endswith("/"):  # a directory entry, as re-zipping tools add
            continue
        why = _check_name(name)
        if why:
            r.problem("unsafe-name", name, why)
        if name in r.members:
            r.problem("duplicate", name, "the ZIP holds two files of this name")
        r.members[name] = info

    files = tuple(sorted(n for n in r.members if n != MANIFEST))
    hashes = _check_manifest(r, files)
    checkpoint, key_trusted = _check_checkpoint(r, trusted_vkeys)
    verified, anchors = _check_entries(r, checkpoint)
    unanchored = tuple(n for n in files if n.split("/", 1)[0] in CATEGORIES and hashes.get(n) not in anchors)
    return BundleReport(tuple(r.problems), checkpoint, verified, key_trusted, files, unanchored)


def _check_manifest(r: _Reader, files: Sequence[str]) -> dict[str, str]:
    """Compare every file with the manifest; return the actual hash of each readable file."""
    actual: dict[str, str] = {}
    raw = r.read(MANIFEST)
    listed: dict[str, str] = {}
    manifest_ok = False
    if raw is None:
        r.problem("missing", MANIFEST, "the bundle has no manifest")
    else:
        try:
            manifest = json.loads(raw.decode("utf-8"))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise ValueError(f"not a {FORMAT} manifest")
            listed = manifest["files"]
            if not isinstance(listed, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and _SHA256_RE.match(v) for k, v in listed.items()
            ):
                raise ValueError("files must map names to SHA-256 hex")
            manifest_ok = True
        except (ValueError, KeyError, UnicodeDecodeError) as e:
            r.problem("manifest", MANIFEST, str(e))
            listed = {}
    for name in sorted(set(listed) | set(files)):
        if name not in r.members:
            r.problem("missing", name, "listed in the manifest but not in the bundle")
            continue
        digest = r.sha256(name)
        if digest is not None:
            actual[name] = digest
        if name not in listed:
            if manifest_ok:
                r.problem("extra", name, "in the bundle but not in the manifest")
        elif digest != listed[name]:
            r.problem("altered", name, "its SHA-256 differs from the manifest")
    return actual


def _check_checkpoint(
    r: _Reader, trusted_vkeys: Iterable[VerifierKey | str] | None
) -> tuple[Checkpoint | None, bool]:
    raw = r.read(CHECKPOINT)
    if raw is None:
        r.problem("missing", CHECKPOINT, "the bundle has no checkpoint")
        return None, False
    key_trusted = trusted_vkeys is not None
    try:
        if trusted_vkeys is not None:
            keys: list[VerifierKey | str] = list(trusted_vkeys)
        else:
            vkey = r.read(VKEY)
            if vkey is None:
                r.problem("missing", VKEY, "no trusted key given and no key in the bundle")
                return None, False
            keys = [vkey.decode("utf-8").strip()]
        checkpoint, _ = open_checkpoint(raw, keys)
    except (NoteError, InvalidKeyError, UnicodeDecodeError) as e:
        r.problem("checkpoint", CHECKPOINT, f"not validly signed by the log's key: {e}")
        return None, key_trusted
    return checkpoint, key_trusted


def _proofs(r: _Reader, checkpoint: Checkpoint) -> dict[int, list[bytes]] | None:
    raw = r.read(PROOFS)
    if raw is None:
        r.problem("missing", PROOFS, "the bundle has no inclusion proofs")
        return None
    try:
        value = json.loads(raw.decode("utf-8"))
        if value["tree_size"] != checkpoint.size:
            raise ValueError(f"proofs are for size {value['tree_size']}, the checkpoint is {checkpoint.size}")
        return {
            int(index): [base64.b64decode(p, validate=True) for p in proof]
            for index, proof in value["proofs"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, UnicodeDecodeError) as e:
        r.problem("proofs", PROOFS, str(e))
        return None


def _entry_files(r: _Reader) -> Iterator[tuple[int, str]]:
    for name in sorted(r.members):
        m = _ENTRY_RE.match(name)
        if m:
            yield int(m.group(1)), name
        elif name.startswith(ENTRIES_DIR):
            r.problem("entry", name, "not an entry file name (ledger/entries/<12 digits>.json)")


def _check_entries(r: _Reader, checkpoint: Checkpoint | None) -> tuple[tuple[int, ...], set[str]]:
    if checkpoint is None:
        return (), set()
    proofs = _proofs(r, checkpoint)
    if proofs is None:
        return (), set()
    verified: list[int] = []
    anchors: set[str] = set()
    seen: set[int] = set()
    for index, name in _entry_files(r):
        seen.add(index)
        data = r.read(name)
        if data is None:
            continue
        if index not in proofs:
            r.problem("entry", name, "no inclusion proof for this entry")
            continue
        if not verify_inclusion(leaf_hash(data), index, checkpoint.size, proofs[index], checkpoint.root):
            r.problem(
                "entry", name, f"entry {index} is not in the signed log (its bytes or proof were changed)"
            )
            continue
        try:
            entry = parse_entry(data)
        except CanonicalError as e:
            r.problem("entry", name, f"in the log but not a canonical entry: {e}")
            continue
        verified.append(index)
        anchors.update(f["sha256"] for f in entry.files)
    for index in sorted(set(proofs) - seen):
        r.problem("entry", entry_path(index), "a proof is given for an entry the bundle lacks")
    return tuple(verified), anchors
