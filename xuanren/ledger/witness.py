"""The witness: an independent party that cosigns a log's checkpoints only while it stays append-only.

The discipline side (纪委) runs the witness with its own key and its own state. Shown a new
checkpoint and a consistency proof from the last checkpoint it cosigned, it checks that the log's
key signed the checkpoint and that the proof holds, then cosigns (C2SP tlog-cosignature v1) and
remembers the new size and root. A checkpoint that is older, or forks, or rewrites history is
refused, and the refusal says why in Chinese and English, so that it can be reported.

This module is pure: the state comes in and goes out as a value (JSON for the command line), the
time is passed in, and nothing is written here.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
from collections.abc import Sequence

from xuanren.ledger.merkle import EMPTY_ROOT, HASH_SIZE, verify_consistency
from xuanren.ledger.note import (
    MAX_TIMESTAMP,
    Checkpoint,
    InvalidKeyError,
    NoteError,
    SignatureError,
    SignerKey,
    UnverifiedNoteError,
    VerifierKey,
    add_signatures,
    open_checkpoint,
    parse_verifier_key,
)

STATE_VERSION = 1


class WitnessRefusal(Exception):
    """The witness will not cosign. ``code`` is stable for programs; the reasons are for people."""

    REASONS: dict[str, tuple[str, str]] = {
        "malformed": ("检查点格式错误", "the checkpoint is malformed"),
        "bad-signature": (
            "检查点未经日志密钥有效签名（可能伪造）",
            "the checkpoint is not validly signed by the log's key (possibly forged)",
        ),
        "wrong-origin": ("检查点来自另一个日志", "the checkpoint belongs to another log"),
        "rollback": (
            "日志规模倒退：检查点早于已见证的检查点（回滚或删除了记录）",
            "the log went backwards: the checkpoint is smaller than one already witnessed "
            "(rollback or deleted entries)",
        ),
        "fork": (
            "同一规模出现不同的根哈希：历史被改写（分叉）",
            "a different root for the same size: history was rewritten (fork)",
        ),
        "inconsistent": (
            "一致性证明不成立：新检查点不是已见证记录的延续，历史被改写",
            "the consistency proof fails: the new checkpoint does not extend what was witnessed; "
            "history was rewritten",
        ),
        "conflict": (
            "提交的旧规模与见证方最后联署的规模不符",
            "the old size does not match the size this witness last cosigned",
        ),
        "unexpected-proof": (
            "首次见证或规模未变时不应附带一致性证明",
            "no consistency proof is expected for a first checkpoint or an unchanged size",
        ),
        "clock": (
            "见证时间早于上次联署时间（时钟倒退）",
            "the witness clock is earlier than its last cosignature (clock went backwards)",
        ),
    }

    HTTP_STATUS: dict[str, int] = {
        "malformed": 400,
        "bad-signature": 403,
        "wrong-origin": 404,
        "rollback": 409,
        "fork": 409,
        "conflict": 409,
        "inconsistent": 422,
        "unexpected-proof": 422,
        "clock": 500,
    }
    """The status a tlog-witness HTTP endpoint answers with (C2SP tlog-witness add-checkpoint)."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.reason_zh, self.reason_en = self.REASONS[code]
        self.detail = detail
        text = f"{self.reason_zh} / {self.reason_en}"
        super().__init__(f"{text}: {detail}" if detail else text)

    @property
    def http_status(self) -> int:
        return self.HTTP_STATUS[self.code]


@dataclasses.dataclass(frozen=True)
class WitnessState:
    """What a witness remembers about one log: the last checkpoint it cosigned.

    A new witness starts at size 0 with the empty root: its first checkpoint is taken on trust
    (there is nothing yet to be consistent with), every later one must extend it.
    """

    origin: str
    log_key: str
    """The log's verifier key string; only checkpoints signed by it are considered."""
    size: int = 0
    root: bytes = EMPTY_ROOT
    timestamp: int = 0
    """When it last cosigned (Unix seconds); 0 before the first cosignature."""

    def __post_init__(self) -> None:
        if not isinstance(self.origin, str) or not self.origin:
            raise ValueError("a witness state needs the log's origin")
        try:
            parse_verifier_key(self.log_key)
        except InvalidKeyError as e:
            raise ValueError(f"a witness state needs the log's verifier key: {e}") from None
        if type(self.size) is not int or self.size < 0:
            raise ValueError("size must be a non-negative integer")
        if not isinstance(self.root, bytes) or len(self.root) != HASH_SIZE:
            raise ValueError("root must be a 32-byte hash")
        if self.size == 0 and self.root != EMPTY_ROOT:
            raise ValueError("the root of an empty log is SHA-256 of nothing")
        if type(self.timestamp) is not int or not 0 <= self.timestamp <= MAX_TIMESTAMP:
            raise ValueError("timestamp must be Unix seconds")

    @property
    def log_verifier(self) -> VerifierKey:
        return parse_verifier_key(self.log_key)

    def to_json(self) -> str:
        """The state as JSON, for the witness's state file."""
        value = {
            "v": STATE_VERSION,
            "origin": self.origin,
            "log_key": self.log_key,
            "size": self.size,
            "root": base64.b64encode(self.root).decode("ascii"),
            "timestamp": self.timestamp,
        }
        return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> WitnessState:
        """Read a state written by :meth:`to_json`."""
        try:
            value = json.loads(text)
            if not isinstance(value, dict) or value.get("v") != STATE_VERSION:
                raise ValueError(f"not a version {STATE_VERSION} witness state")
            root = base64.b64decode(value["root"], validate=True)
            return cls(value["origin"], value["log_key"], value["size"], root, value["timestamp"])
        except (KeyError, TypeError, binascii.Error, json.JSONDecodeError) as e:
            raise ValueError(f"unreadable witness state: {e}") from None


def _open(state: WitnessState, note: str | bytes) -> Checkpoint:
    try:
        checkpoint, _ = open_checkpoint(note, [state.log_verifier])
    except UnverifiedNoteError as e:
        raise WitnessRefusal("bad-signature", "no signature by the log's key") from e
    except SignatureError as e:
        raise WitnessRefusal("bad-signature", str(e)) from e
    except NoteError as e:
        raise WitnessRefusal("malformed", str(e)) from e
    return checkpoint


def _cosign(
    state: WitnessState,
    checkpoint: Checkpoint,
    proof: Sequence[bytes],
    witness_signer: SignerKey,
    now_unix: int,
) -> tuple[WitnessState, str]:
    if type(now_unix) is not int or not 0 <= now_unix <= MAX_TIMESTAMP:
        raise ValueError("now_unix must be Unix seconds")
    _check_extends(state, checkpoint, list(proof))
    if now_unix < state.timestamp:
        raise WitnessRefusal("clock", f"now {now_unix} < last cosignature {state.timestamp}")
    line = witness_signer.cosignature_line(checkpoint.body(), now_unix)
    new_state = dataclasses.replace(state, size=checkpoint.size, root=checkpoint.root, timestamp=now_unix)
    return new_state, line


def witness_update(
    state: WitnessState,
    checkpoint_note: str | bytes,
    consistency_proof: Sequence[bytes],
    witness_signer: SignerKey,
    now_unix: int,
) -> tuple[WitnessState, str]:
    """Cosign ``checkpoint_note`` if it extends what this witness last cosigned.

    ``consistency_proof`` runs from the state's size to the checkpoint's size; it must be empty
    for the first checkpoint and for an unchanged size (which also needs an unchanged root).
    Returns the new state and the note with the witness's cosignature added. Raises
    :class:`WitnessRefusal` otherwise, leaving the caller's state as it was.
    """
    checkpoint = _open(state, checkpoint_note)
    new_state, line = _cosign(state, checkpoint, consistency_proof, witness_signer, now_unix)
    note = checkpoint_note if isinstance(checkpoint_note, str) else bytes(checkpoint_note).decode("utf-8")
    return new_state, add_signatures(note, line)


MAX_PROOF_LINES = 63
"""tlog-witness: a client MUST NOT send more consistency proof lines than this."""

_OLD_RE = re.compile(r"\Aold (0|[1-9][0-9]*)\Z")


@dataclasses.dataclass(frozen=True)
class AddCheckpoint:
    """A C2SP tlog-witness ``add-checkpoint`` request: old size, consistency proof, signed checkpoint.

    The same text serves the command line: the log side writes it with :meth:`encode`, the
    witness reads it with :func:`parse_add_checkpoint` and answers with :func:`add_checkpoint`.
    """

    old_size: int
    proof: tuple[bytes, ...]
    checkpoint: str

    def encode(self) -> str:
        """``old <size>``, one base64 hash per line, an empty line, then the signed checkpoint."""
        lines = [f"old {self.old_size}", *(base64.b64encode(p).decode("ascii") for p in self.proof)]
        return "".join(line + "\n" for line in lines) + "\n" + self.checkpoint


def parse_add_checkpoint(body: str | bytes) -> AddCheckpoint:
    """Read an ``add-checkpoint`` request body; a malformed one is refused (HTTP 400)."""
    try:
        text = body if isinstance(body, str) else bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        raise WitnessRefusal("malformed", "request is not UTF-8") from None
    head, sep, checkpoint = text.partition("\n\n")
    if not sep:
        raise WitnessRefusal("malformed", "no empty line before the checkpoint")
    old_line, *proof_lines = head.split("\n")
    match = _OLD_RE.match(old_line)
    if not match:
        raise WitnessRefusal("malformed", "the first line must be 'old <size>'")
    if len(proof_lines) > MAX_PROOF_LINES:
        raise WitnessRefusal("malformed", f"more than {MAX_PROOF_LINES} consistency proof lines")
    proof = []
    for line in proof_lines:
        try:
            h = base64.b64decode(line, validate=True)
        except binascii.Error:
            raise WitnessRefusal("malformed", "a proof line is not base64") from None
        if len(h) != HASH_SIZE:
            raise WitnessRefusal("malformed", "a proof line is not a 32-byte hash")
        proof.append(h)
    return AddCheckpoint(int(match.group(1)), tuple(proof), checkpoint)


def add_checkpoint(
    state: WitnessState, body: str | bytes, witness_signer: SignerKey, now_unix: int
) -> tuple[WitnessState, str]:
    """Answer a tlog-witness ``add-checkpoint`` request: the new state and the cosignature line.

    Checks in the order the spec gives: the log's signature (403) and origin (404), the old size
    not above the checkpoint's (400) and equal to the size last cosigned (409; the refusal's
    ``detail`` is then that size), the consistency proof (422), an equal root at an equal size (409).
    """
    request = parse_add_checkpoint(body)
    checkpoint = _open(state, request.checkpoint)
    if checkpoint.origin != state.origin:
        raise WitnessRefusal("wrong-origin", f"{checkpoint.origin!r} is not {state.origin!r}")
    if request.old_size > checkpoint.size:
        raise WitnessRefusal("malformed", f"old size {request.old_size} exceeds the checkpoint size")
    if request.old_size != state.size:
        raise WitnessRefusal("conflict", str(state.size))
    return _cosign(state, checkpoint, request.proof, witness_signer, now_unix)


def _check_extends(state: WitnessState, checkpoint: Checkpoint, proof: list[bytes]) -> None:
    if checkpoint.origin != state.origin:
        raise WitnessRefusal("wrong-origin", f"{checkpoint.origin!r} is not {state.origin!r}")
    if checkpoint.size < state.size:
        raise WitnessRefusal("rollback", f"size {checkpoint.size} < witnessed size {state.size}")
    if checkpoint.size == state.size:
        if checkpoint.root != state.root:
            raise WitnessRefusal("fork", f"size {checkpoint.size}")
        if proof:
            raise WitnessRefusal("unexpected-proof")
        return
    if state.size == 0:
        if proof:
            raise WitnessRefusal("unexpected-proof")
        return
    if not verify_consistency(state.size, checkpoint.size, state.root, checkpoint.root, proof):
        raise WitnessRefusal("inconsistent", f"from size {state.size} to size {checkpoint.size}")
