"""Running the witness (``xuanren witness``): its key file, its state file, and one update.

The witness logic itself is pure (``xuanren.ledger.witness``); this module keeps the witness's
state in a JSON file written by compare-and-swap — under an exclusive lock on ``<state>.lock``,
the file must still hold the bytes the update started from, and the new state is written to a
temporary file, synced and renamed into place — so two runs never both advance from one state,
and a crash leaves the old state or the new one.

Two ways to run it:

- **online**, against the log's own database (the witness process can read it):
  :func:`witness_latest` takes the newest stored checkpoint and the consistency proof from the
  size the witness last cosigned, cosigns, and stores the cosignature back in the log so the UI
  shows the checkpoint as witnessed (已见证);
- **offline**, on the discipline side's own machine: the log side prints a C2SP tlog-witness
  ``add-checkpoint`` request (``xuanren ledger witness-request OLD_SIZE``), the witness answers it
  with :func:`witness_request` (``xuanren witness add --request FILE``), and the log side stores
  the cosigned checkpoint it gets back (``xuanren ledger add-cosignature FILE``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from xuanren.ledger.note import SignerKey, generate_signer_key, load_signer_key, save_signer_key
from xuanren.ledger.witness import WitnessRefusal, WitnessState, add_checkpoint, witness_update


class StateChanged(RuntimeError):
    """The state file changed under us: another witness run advanced it first."""


@dataclasses.dataclass(frozen=True)
class Outcome:
    state: WitnessState
    cosigned_note: str
    previous_size: int


def init_witness(
    key_path: Path, state_path: Path, *, name: str, origin: str, log_vkey: str
) -> tuple[SignerKey, WitnessState]:
    """Create the witness's key (0600) and its state for one log; refuse to overwrite either."""
    if state_path.exists():
        raise FileExistsError(f"见证状态文件已存在：{state_path}")
    key_path.parent.mkdir(parents=True, exist_ok=True)
    if key_path.exists():
        key = load_signer_key(key_path)
    else:
        key = generate_signer_key(name)
        save_signer_key(key_path, key)
    state = WitnessState(origin=origin, log_key=log_vkey)
    with _locked(state_path):
        _write(state_path, None, state.to_json())
    return key, state


@contextlib.contextmanager
def _locked(state_path: Path) -> Iterator[None]:
    state_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(f"{state_path}.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _read(state_path: Path) -> tuple[bytes, WitnessState]:
    raw = state_path.read_bytes()
    return raw, WitnessState.from_json(raw)


def _write(state_path: Path, expected: bytes | None, text: str) -> None:
    """Replace the state file with ``text`` if it still holds ``expected`` (None: must be absent)."""
    current = state_path.read_bytes() if state_path.exists() else None
    if current != expected:
        raise StateChanged(f"见证状态文件 {state_path} 已被另一次运行改动，本次未写入")
    fd, tmp = tempfile.mkstemp(prefix=".state-", dir=state_path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, state_path)
        dir_fd = os.open(state_path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_state(state_path: Path) -> WitnessState:
    return _read(state_path)[1]


def witness_request(key_path: Path, state_path: Path, body: str, *, now: int | None = None) -> Outcome:
    """Offline: answer a tlog-witness add-checkpoint request; return the cosigned checkpoint."""
    from xuanren.ledger.note import add_signatures
    from xuanren.ledger.witness import parse_add_checkpoint

    key = load_signer_key(key_path)
    with _locked(state_path):
        raw, state = _read(state_path)
        new_state, line = add_checkpoint(state, body, key, int(time.time()) if now is None else now)
        _write(state_path, raw, new_state.to_json())
    note = parse_add_checkpoint(body).checkpoint
    return Outcome(new_state, add_signatures(note, line), state.size)


def witness_latest(key_path: Path, state_path: Path, *, now: int | None = None) -> Outcome:
    """Online: cosign the log's newest checkpoint if it extends what this witness last cosigned.

    The consistency proof comes from the log's stored tree; the cosignature is stored back in the
    log (``Cosignature``). Raises ``WitnessRefusal`` — a rewritten or rolled-back history.
    """
    from xuanren.record import actions, store

    key = load_signer_key(key_path)
    checkpoint = store.latest_checkpoint()
    if checkpoint is None:
        raise WitnessRefusal("malformed", "the log has no checkpoint yet")
    with _locked(state_path):
        raw, state = _read(state_path)
        proof: list[bytes] = []
        if 0 < state.size < checkpoint.size:
            try:
                proof = store.consistency_proof(state.size, checkpoint.size)
            except (LookupError, ValueError) as e:  # the stored tree lacks nodes it must have
                raise WitnessRefusal("inconsistent", f"no consistency proof from the stored tree: {e}") from e
        new_state, cosigned = witness_update(
            state, checkpoint.note, proof, key, int(time.time()) if now is None else now
        )
        _write(state_path, raw, new_state.to_json())
    actions.record_cosignature(cosigned_note=cosigned, witness_vkey=key.cosigner_verifier_key().encode())
    return Outcome(new_state, cosigned, state.size)
