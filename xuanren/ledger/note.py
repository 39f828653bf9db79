"""Signed notes and checkpoints: C2SP signed-note v1.0.0, tlog-checkpoint v1.0.0, tlog-cosignature v1.

A signed note is a text ending in a newline, a blank line, then one line per signature::

    xuanren.example/county-123/ledger
    1024
    q6yroAAAAAAAAAAAAAAAAAAAAAAAAAAAAGAGHgASNFY=

    — xuanren.example/county-123/ledger Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe...

The signature line is U+2014 EM DASH, a space, the key name, a space, and base64 of the 4-byte
key ID followed by the signature. The key ID is the first 4 bytes of
SHA-256(name || "\\n" || type || public key), with type 0x01 for Ed25519 note signatures and 0x04
for timestamped Ed25519 witness cosignatures.

Key strings follow the signed-note conventions (golang.org/x/mod/sumdb/note):

- verifier key: ``<name>+<8 hex digits of key ID>+<base64(type || public key)>``;
- signer key:   ``PRIVATE+KEY+<name>+<8 hex digits of key ID>+<base64(0x01 || Ed25519 seed)>``.

A witness keeps an ordinary Ed25519 signer key; it publishes the type-0x04 verifier key of the
same public key (:meth:`SignerKey.cosigner_verifier_key`) and signs with
:meth:`SignerKey.cosignature_line`: Ed25519 over ``"cosignature/v1\\ntime <unix>\\n" + note text``,
sent as key ID || 8-byte big-endian timestamp || signature.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from xuanren.ledger.merkle import HASH_SIZE, MAX_TREE_SIZE

SIG_ED25519 = 0x01
"""Signature type of Ed25519 note signatures (signed-note)."""

SIG_COSIGNATURE_V1 = 0x04
"""Signature type of timestamped Ed25519 witness cosignatures (tlog-cosignature)."""

MAX_SIGNATURES = 100
"""Notes with more signature lines are refused (the spec asks verifiers to accept at least 16)."""

MAX_NOTE_BYTES = 1 << 20

MAX_TIMESTAMP = 2**63 - 1
"""tlog-cosignature: the timestamp MUST NOT exceed 2**63 - 1."""

_DASH = "\u2014 "
_SIZE_RE = re.compile(r"\A(0|[1-9][0-9]*)\Z")
_CONTROL_RE = re.compile("[\x00-\x09\x0b-\x1f]")  # every control character but the newline
_HEX8_RE = re.compile(r"\A[0-9a-fA-F]{8}\Z")


class NoteError(ValueError):
    """A note that is malformed, forged, or signed by no key we trust."""


class UnverifiedNoteError(NoteError):
    """A well-formed note with no signature from any of the given keys."""

    def __init__(self, note: Note) -> None:
        self.note = note
        super().__init__("note has no verifiable signatures from the given keys")


class SignatureError(NoteError):
    """A signature from a known key that does not verify: the note is forged or altered."""


class InvalidKeyError(ValueError):
    """A key string or key file that is malformed, inconsistent or unsafely stored."""


def _b64decode(text: str) -> bytes:
    """Strict standard base64: no whitespace, padding required, no stray bits."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as e:
        raise ValueError("not standard base64") from e
    if base64.b64encode(raw).decode("ascii") != text:
        raise ValueError("not canonical base64")
    return raw


def _b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def is_valid_name(name: object) -> bool:
    """A key name: non-empty, no Unicode spaces, no ``+``, no control characters."""
    return (
        isinstance(name, str)
        and name != ""
        and "+" not in name
        and not any(c.isspace() or ord(c) < 0x20 or c == "\x7f" for c in name)
    )


def key_id(name: str, sig_type: int, public_key: bytes) -> int:
    """SHA-256(name || "\\n" || type || public key)[:4], as a big-endian integer."""
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([sig_type]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


@dataclasses.dataclass(frozen=True)
class VerifierKey:
    """A public key with its name and signature type; :meth:`encode` gives the vkey string."""

    name: str
    sig_type: int
    public_key: bytes

    def __post_init__(self) -> None:
        if not is_valid_name(self.name):
            raise InvalidKeyError(f"invalid key name {self.name!r}")
        if self.sig_type not in (SIG_ED25519, SIG_COSIGNATURE_V1):
            raise InvalidKeyError(f"unsupported signature type 0x{self.sig_type:02x}")
        if len(self.public_key) != 32:
            raise InvalidKeyError("an Ed25519 public key is 32 bytes")

    @property
    def key_id(self) -> int:
        return key_id(self.name, self.sig_type, self.public_key)

    @functools.cached_property
    def _ed25519(self) -> Ed25519PublicKey:
        """The loaded public key, kept: checking thousands of checkpoints loads it once."""
        return Ed25519PublicKey.from_public_bytes(self.public_key)

    def encode(self) -> str:
        """``<name>+<8 hex key ID>+<base64(type || public key)>``."""
        raw = bytes([self.sig_type]) + self.public_key
        return f"{self.name}+{self.key_id:08x}+{_b64encode(raw)}"

    def __str__(self) -> str:
        return self.encode()

    def verify(self, text: bytes, blob: bytes) -> int:
        """Check a signature (what follows the key ID) over note ``text``.

        Returns the cosignature timestamp (0 for a plain note signature). Raises ``SignatureError``.
        """
        who = f"{self.name}+{self.key_id:08x}"
        if self.sig_type == SIG_COSIGNATURE_V1:
            if len(blob) != 8 + 64:
                raise SignatureError(f"cosignature from key {who} is not 72 bytes")
            timestamp = int.from_bytes(blob[:8], "big")
            if timestamp > MAX_TIMESTAMP:
                raise SignatureError(f"cosignature from key {who} has an impossible timestamp")
            message = cosigned_message(text, timestamp)
            signature = blob[8:]
        else:
            if len(blob) != 64:
                raise SignatureError(f"signature from key {who} is not 64 bytes")
            timestamp, message, signature = 0, text, blob
        try:
            self._ed25519.verify(signature, message)
        except InvalidSignature:
            raise SignatureError(f"invalid signature for key {who}") from None
        return timestamp


def parse_verifier_key(text: str) -> VerifierKey:
    """Read a vkey string ``<name>+<hex key ID>+<base64(type || key)>``, checking its key ID."""
    if not isinstance(text, str):
        raise InvalidKeyError("a verifier key is a string")
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not _HEX8_RE.match(parts[1]):
        raise InvalidKeyError("a verifier key reads <name>+<8 hex digits>+<base64 key>")
    name, id_hex, key64 = parts
    try:
        raw = _b64decode(key64)
    except ValueError as e:
        raise InvalidKeyError(f"verifier key {name}: {e}") from None
    if len(raw) < 1:
        raise InvalidKeyError(f"verifier key {name} is empty")
    key = VerifierKey(name, raw[0], raw[1:])
    if key.key_id != int(id_hex, 16):
        raise InvalidKeyError(f"verifier key {name}: key ID {id_hex} does not match the key")
    return key


@dataclasses.dataclass(frozen=True, repr=False)
class SignerKey:
    """An Ed25519 private key (its 32-byte seed) and its name. Its repr never shows the seed."""

    name: str
    seed: bytes

    def __post_init__(self) -> None:
        if not is_valid_name(self.name):
            raise InvalidKeyError(f"invalid key name {self.name!r}")
        if not isinstance(self.seed, bytes) or len(self.seed) != 32:
            raise InvalidKeyError("an Ed25519 seed is 32 bytes")

    def __repr__(self) -> str:
        return f"SignerKey(name={self.name!r}, key_id={self.verifier_key().key_id:08x})"

    @functools.cached_property
    def _ed25519(self) -> Ed25519PrivateKey:
        """The loaded private key, kept: a log signs a checkpoint per action with it."""
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def public_key(self) -> bytes:
        return self._ed25519.public_key().public_bytes_raw()

    @functools.cached_property
    def _verifier_key(self) -> VerifierKey:
        return VerifierKey(self.name, SIG_ED25519, self.public_key)

    def verifier_key(self) -> VerifierKey:
        """The key that checks this signer's note signatures (type 0x01)."""
        return self._verifier_key

    def cosigner_verifier_key(self) -> VerifierKey:
        """The key that checks this signer's witness cosignatures (type 0x04)."""
        return VerifierKey(self.name, SIG_COSIGNATURE_V1, self.public_key)

    def encode(self) -> str:
        """``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>``: secret; keep it in a 0600 file."""
        vkey = self.verifier_key()
        return f"PRIVATE+KEY+{self.name}+{vkey.key_id:08x}+{_b64encode(bytes([SIG_ED25519]) + self.seed)}"

    def _sign(self, message: bytes) -> bytes:
        return self._ed25519.sign(message)

    @functools.cached_property
    def _key_id_bytes(self) -> bytes:
        return self.verifier_key().key_id.to_bytes(4, "big")

    def signature_line(self, text: str) -> str:
        """The note signature line over ``text`` (which must be a valid note text)."""
        raw = _check_text(text)
        blob = self._key_id_bytes + self._sign(raw)
        return f"{_DASH}{self.name} {_b64encode(blob)}\n"

    def cosignature_line(self, text: str, timestamp: int) -> str:
        """The tlog-cosignature v1 line over checkpoint text ``text`` at ``timestamp`` (Unix seconds)."""
        raw = _check_text(text)
        if type(timestamp) is not int or not 0 <= timestamp <= MAX_TIMESTAMP:
            raise ValueError(f"cosignature timestamp {timestamp!r} is not a Unix time")
        signature = self._sign(cosigned_message(raw, timestamp))
        blob = (
            self.cosigner_verifier_key().key_id.to_bytes(4, "big") + timestamp.to_bytes(8, "big") + signature
        )
        return f"{_DASH}{self.name} {_b64encode(blob)}\n"


def cosigned_message(text: bytes, timestamp: int) -> bytes:
    """What an Ed25519 cosignature v1 signs: two header lines, then the checkpoint text."""
    return b"cosignature/v1\ntime %d\n" % timestamp + text


def generate_signer_key(name: str) -> SignerKey:
    """A fresh Ed25519 signer key from the operating system's randomness."""
    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    return SignerKey(name, seed)


def parse_signer_key(text: str) -> SignerKey:
    """Read ``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>``, checking its key ID."""
    if not isinstance(text, str):
        raise InvalidKeyError("a signer key is a string")
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not _HEX8_RE.match(parts[3]):
        raise InvalidKeyError("a signer key reads PRIVATE+KEY+<name>+<8 hex digits>+<base64 key>")
    name, id_hex, key64 = parts[2:]
    try:
        raw = _b64decode(key64)
    except ValueError as e:
        raise InvalidKeyError(f"signer key {name}: {e}") from None
    if len(raw) != 33 or raw[0] != SIG_ED25519:
        raise InvalidKeyError(f"signer key {name} is not an Ed25519 key")
    key = SignerKey(name, raw[1:])
    if key.verifier_key().key_id != int(id_hex, 16):
        raise InvalidKeyError(f"signer key {name}: key ID {id_hex} does not match the key")
    return key


def save_signer_key(path: str | os.PathLike[str], key: SignerKey, *, overwrite: bool = False) -> None:
    """Write the signer key to ``path`` with permission 0600, never readable by group or others.

    Refuses to replace an existing file unless ``overwrite``; a replacement is written beside it
    and renamed into place, so a crash leaves the old key or the new one, never half of either.
    """
    path = Path(path)
    data = (key.encode() + "\n").encode("ascii")
    if not overwrite:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        _write_private(fd, data)
        return
    fd, tmp = tempfile.mkstemp(prefix=".key-", dir=path.parent)
    try:
        _write_private(fd, data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_private(fd: int, data: bytes) -> None:
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def load_signer_key(path: str | os.PathLike[str], *, check_permissions: bool = True) -> SignerKey:
    """Read a signer key file; refuse it if group or others may read or write it (POSIX)."""
    path = Path(path)
    if check_permissions and os.name == "posix":
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise InvalidKeyError(
                f"key file {path} has permissions {stat.S_IMODE(mode):o}; it must be 600 (chmod 600 {path})"
            )
    return parse_signer_key(path.read_text(encoding="ascii"))


@dataclasses.dataclass(frozen=True)
class Signature:
    """One signature line of a note."""

    name: str
    key_id: int
    blob: bytes
    """The signature bytes after the key ID (for a cosignature: timestamp, then signature)."""
    line: str
    timestamp: int | None = None
    """For a verified cosignature, when it was made (Unix seconds); 0 for a plain signature."""


@dataclasses.dataclass(frozen=True)
class Note:
    """An opened note: its text, the signatures verified, and those from keys not given."""

    text: str
    signatures: tuple[Signature, ...]
    unverified: tuple[Signature, ...]

    def signed_by(self, key: VerifierKey) -> Signature | None:
        """The verified signature of ``key``, if any."""
        for s in self.signatures:
            if s.name == key.name and s.key_id == key.key_id:
                return s
        return None


def _check_text(text: str) -> bytes:
    if not isinstance(text, str) or not text.endswith("\n"):
        raise NoteError("note text must be a string ending in a newline")
    _check_chars(text)
    return text.encode("utf-8")


def _check_chars(text: str) -> None:
    if _CONTROL_RE.search(text):
        raise NoteError("note contains a control character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise NoteError("note is not valid UTF-8") from None


def sign_note(text: str, *signers: SignerKey) -> str:
    """The note ``text`` signed by each of ``signers``."""
    if not signers:
        raise ValueError("a note needs at least one signer")
    return text + "\n" + "".join(s.signature_line(text) for s in signers)


def _split_note(note: str | bytes) -> tuple[str, list[Signature]]:
    if isinstance(note, bytes | bytearray):
        if len(note) > MAX_NOTE_BYTES:
            raise NoteError("note is too large")
        try:
            note = bytes(note).decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError("note is not valid UTF-8") from None
    if not isinstance(note, str):
        raise NoteError("a note is text")
    if len(note) > MAX_NOTE_BYTES:
        raise NoteError("note is too large")
    _check_chars(note)
    if not note.endswith("\n"):
        raise NoteError("malformed note: it must end in a newline")
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("malformed note: no blank line before the signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block:
        raise NoteError("malformed note: no signatures")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise NoteError("malformed note: too many signatures")
    signatures = []
    for line in lines:
        if not line.startswith(_DASH):
            raise NoteError("malformed note: a signature line must start with an em dash and a space")
        name, space, sig64 = line[len(_DASH) :].partition(" ")
        if not space or not is_valid_name(name):
            raise NoteError("malformed note: bad key name in a signature line")
        try:
            raw = _b64decode(sig64)
        except ValueError:
            raise NoteError("malformed note: signature is not base64") from None
        if len(raw) < 5:
            raise NoteError("malformed note: signature too short")
        signatures.append(Signature(name, int.from_bytes(raw[:4], "big"), raw[4:], line + "\n"))
    return text, signatures


def _as_keys(verifiers: Iterable[VerifierKey | str]) -> list[VerifierKey]:
    return [v if isinstance(v, VerifierKey) else parse_verifier_key(v) for v in verifiers]


def open_note(note: str | bytes, verifiers: Iterable[VerifierKey | str]) -> Note:
    """Open a signed note against trusted keys.

    Signatures from unknown keys (name and key ID not both matching a given key) are ignored and
    listed in ``unverified``. A signature from a known key that does not verify refuses the whole
    note (``NoteError``), as does a malformed note. With no verified signature at all,
    ``UnverifiedNoteError``.
    """
    text, signatures = _split_note(note)
    raw = text.encode("utf-8")
    known: dict[tuple[str, int], list[VerifierKey]] = {}
    for key in _as_keys(verifiers):
        slot = known.setdefault((key.name, key.key_id), [])
        if key not in slot:
            slot.append(key)
    verified: dict[tuple[str, int], Signature] = {}
    unverified: dict[str, Signature] = {}
    for sig in signatures:
        candidates = known.get((sig.name, sig.key_id))
        if not candidates:
            unverified.setdefault(sig.line, sig)
            continue
        if len(candidates) > 1:
            raise NoteError(f"ambiguous key {sig.name}+{sig.key_id:08x}")
        timestamp = candidates[0].verify(raw, sig.blob)
        verified.setdefault((sig.name, sig.key_id), dataclasses.replace(sig, timestamp=timestamp))
    opened = Note(text, tuple(verified.values()), tuple(unverified.values()))
    if not verified:
        raise UnverifiedNoteError(opened)
    return opened


def add_signatures(note: str, *lines: str) -> str:
    """Add signature lines to a signed note, replacing any earlier line from the same key."""
    text, existing = _split_note(note)
    new = []
    for line in lines:
        _, parsed = _split_note("x\n\n" + (line if line.endswith("\n") else line + "\n"))
        new.extend(parsed)
    replaced = {(s.name, s.key_id) for s in new}
    kept = [s for s in existing if (s.name, s.key_id) not in replaced]
    return text + "\n" + "".join(s.line for s in kept + new)


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """A tlog-checkpoint body: the log's origin, its tree size and root, and extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.origin, str) or not self.origin or "\n" in self.origin:
            raise NoteError("a checkpoint origin is one non-empty line")
        if type(self.size) is not int or not 0 <= self.size <= MAX_TREE_SIZE:
            raise NoteError("a checkpoint tree size is an unsigned 64-bit integer")
        if not isinstance(self.root, bytes) or len(self.root) != HASH_SIZE:
            raise NoteError("a checkpoint root is a 32-byte SHA-256 hash")
        for line in self.extensions:
            if not isinstance(line, str) or not line or "\n" in line:
                raise NoteError("checkpoint extension lines are non-empty single lines")
        _check_chars(self.body())

    def body(self) -> str:
        """The note text: origin, size, base64 root and any extension lines, each ending in newline."""
        lines = [self.origin, str(self.size), _b64encode(self.root), *self.extensions]
        return "".join(line + "\n" for line in lines)


def parse_checkpoint(text: str) -> Checkpoint:
    """Read a checkpoint body (the note text, without signatures)."""
    if not isinstance(text, str) or not text.endswith("\n"):
        raise NoteError("a checkpoint body ends in a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        raise NoteError("a checkpoint has an origin, a size and a root line")
    origin, size, root64, *extensions = lines
    if not _SIZE_RE.match(size):
        raise NoteError("checkpoint size is not a decimal number without leading zeros")
    try:
        root = _b64decode(root64)
    except ValueError:
        raise NoteError("checkpoint root is not base64") from None
    if any(not line for line in extensions):
        raise NoteError("checkpoint extension lines must not be empty")
    return Checkpoint(origin, int(size), root, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: SignerKey) -> str:
    """The checkpoint as a note signed by the log's key."""
    return sign_note(checkpoint.body(), signer)


def open_checkpoint(
    note: str | bytes, verifiers: Iterable[VerifierKey | str], *, origin: str | None = None
) -> tuple[Checkpoint, Note]:
    """Open a signed checkpoint with the log's key(s); check its origin when one is given."""
    opened = open_note(note, verifiers)
    checkpoint = parse_checkpoint(opened.text)
    if origin is not None and checkpoint.origin != origin:
        raise NoteError(f"checkpoint is for log {checkpoint.origin!r}, not {origin!r}")
    return checkpoint, opened


def cosign_checkpoint(note: str, witness: SignerKey, timestamp: int) -> str:
    """The signed note ``note`` with ``witness``'s cosignature added (or replaced).

    Only the signature is made here; the witness logic in ``xuanren.ledger.witness`` decides
    whether the checkpoint deserves it.
    """
    text, _ = _split_note(note)
    parse_checkpoint(text)
    return add_signatures(note, witness.cosignature_line(text, timestamp))


def cosignatures(note: Note, witness_keys: Sequence[VerifierKey]) -> dict[str, int]:
    """Which of ``witness_keys`` cosigned an opened note, and when (name → Unix time)."""
    out = {}
    for key in witness_keys:
        sig = note.signed_by(key)
        if sig is not None and key.sig_type == SIG_COSIGNATURE_V1 and sig.timestamp is not None:
            out[key.name] = sig.timestamp
    return out
