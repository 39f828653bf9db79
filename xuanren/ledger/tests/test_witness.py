"""The witness cosigns an append-only history and refuses, with reasons, anything else."""

from __future__ import annotations

import dataclasses

import pytest

from xuanren.ledger.merkle import EMPTY_ROOT, consistency_proof, leaf_hash, root
from xuanren.ledger.note import (
    Checkpoint,
    SignerKey,
    cosignatures,
    open_checkpoint,
    open_note,
    sign_checkpoint,
)
from xuanren.ledger.witness import WitnessRefusal, WitnessState, witness_update

LOG = SignerKey("xuanren.example/county-150525/ledger", bytes(range(32)))
WITNESS = SignerKey("jiwei.example/witness", bytes(range(32, 64)))
LEAVES = [leaf_hash(b"entry %d" % i) for i in range(20)]
NOW = 1_790_000_000


def checkpoint_note(
    size: int, leaves: list[bytes] = LEAVES, signer: SignerKey = LOG, origin: str = LOG.name
) -> str:
    return sign_checkpoint(Checkpoint(origin, size, root(leaves[:size])), signer)


def fresh() -> WitnessState:
    return WitnessState(origin=LOG.name, log_key=LOG.verifier_key().encode())


def at(size: int) -> WitnessState:
    return dataclasses.replace(fresh(), size=size, root=root(LEAVES[:size]), timestamp=NOW - 60)


def test_first_checkpoint_is_cosigned_and_remembered() -> None:
    state, note = witness_update(fresh(), checkpoint_note(5), [], WITNESS, NOW)
    assert (state.size, state.root, state.timestamp) == (5, root(LEAVES[:5]), NOW)
    opened = open_note(note, [LOG.verifier_key(), WITNESS.cosigner_verifier_key()])
    assert cosignatures(opened, [WITNESS.cosigner_verifier_key()]) == {WITNESS.name: NOW}
    assert open_checkpoint(note, [LOG.verifier_key()])[0].size == 5


def test_a_grown_log_with_a_valid_consistency_proof_is_cosigned() -> None:
    proof = consistency_proof(LEAVES[:13], 5)
    state, note = witness_update(at(5), checkpoint_note(13), proof, WITNESS, NOW)
    assert state.size == 13
    assert WITNESS.name in note


def test_the_same_checkpoint_is_cosigned_again_without_proof() -> None:
    state, _ = witness_update(at(7), checkpoint_note(7), [], WITNESS, NOW)
    assert state.size == 7 and state.timestamp == NOW


def test_a_rewritten_history_is_refused_and_reported() -> None:
    rewritten = list(LEAVES)
    rewritten[2] = leaf_hash(b"a quietly edited entry")
    proof = consistency_proof(rewritten[:13], 5)
    with pytest.raises(WitnessRefusal) as caught:
        witness_update(at(5), checkpoint_note(13, rewritten), proof, WITNESS, NOW)
    refusal = caught.value
    assert refusal.code == "inconsistent"
    assert "历史被改写" in str(refusal) and "history was rewritten" in str(refusal)


def test_a_proof_for_other_sizes_is_refused() -> None:
    with pytest.raises(WitnessRefusal) as caught:
        witness_update(at(5), checkpoint_note(13), consistency_proof(LEAVES[:13], 6), WITNESS, NOW)
    assert caught.value.code == "inconsistent"
    with pytest.raises(WitnessRefusal) as caught:
        witness_update(at(5), checkpoint_note(13), [], WITNESS, NOW)
    assert caught.value.code == "inconsistent"


def test_a_smaller_log_is_a_rollback() -> None:
    with pytest.raises(WitnessRefusal) as caught:
        witness_update(at(9), checkpoint_note(8), [], WITNESS, NOW)
    assert caught.value.code == "rollback"
    assert "回滚" in caught.value.reason_zh and "rollback" in caught.value.reason_en


def test_another_root_at_the_same_size_is_a_fork() -> None:
    rewritten = [leaf_hash(b"other"), *LEAVES[1:]]
    with pytest.raises(WitnessRefusal) as caught:
        witness_update(at(9), checkpoint_note(9, rewritten), [], WITNESS, NOW)
    assert caught.value.code == "fork"


def test_a_checkpoint_forged_under_the_logs_name_is_refused() -> None:
    forger = SignerKey(LOG.name, bytes(32))
    with pytest.raises(WitnessRefusal) as caught:
        witness_update(
            at(5), checkpoint_note(13, signer=forger), consistency_proof(LEAVES[:13], 5), WITNESS, NOW
        )
    assert caught.value.code == "bad-signature"
    assert "伪造" in caught.value.reason_zh


def test_a_checkpoint_with_a_tampered_signature_is_refused() -> None:
    note = checkpoint_note(13)
    body, sig = note.rsplit(" ", 1)
    # past the key ID (the first 4 bytes, 8 base64 characters), into the signature itself
    tampered = body + " " + sig[:20] + ("A" if sig[20] != "A" else "B") + sig[21:]
    with pytest.raises(WitnessRefusal) as caught:
        witness_update(at(5), tampered, consistency_proof(LEAVES[:13], 5), WITNESS, NOW)
    assert caught.value.code == "bad-signature"


def test_a_checkpoint_of_another_log_is_refused() -> None:
    note = checkpoint_note(13, origin="another.example/log")
    with pytest.raises(WitnessRefusal) as caught:
        witness_update(at(5), note, consistency_proof(LEAVES[:13], 5), WITNESS, NOW)
    assert caught.value.code == "wrong-origin"


def test_malformed_checkpoints_are_refused() -> None:
    for note in ("", "garbage\n", "a\nb\n\n— x AAAA\n"):
        with pytest.raises(WitnessRefusal) as caught:
            witness_update(at(5), note, [], WITNESS, NOW)
        assert caught.value.code == "malformed"


def test_a_proof_where_none_is_needed_is_refused() -> None:
    with pytest.raises(WitnessRefusal) as caught:
        witness_update(fresh(), checkpoint_note(5), [LEAVES[0]], WITNESS, NOW)
    assert caught.value.code == "unexpected-proof"


def test_the_witness_clock_may_not_go_backwards() -> None:
    state = dataclasses.replace(at(5), timestamp=NOW)
    with pytest.raises(WitnessRefusal) as caught:
        witness_update(state, checkpoint_note(13), consistency_proof(LEAVES[:13], 5), WITNESS, NOW - 1)
    assert caught.value.code == "clock"


def test_state_survives_json_and_a_refusal_leaves_it_unchanged() -> None:
    state, _ = witness_update(fresh(), checkpoint_note(5), [], WITNESS, NOW)
    text = state.to_json()
    assert WitnessState.from_json(text) == state
    before = state.to_json()
    with pytest.raises(WitnessRefusal):
        witness_update(state, checkpoint_note(4), [], WITNESS, NOW)
    assert state.to_json() == before


def test_state_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        WitnessState(origin=LOG.name, log_key="not a key")
    with pytest.raises(ValueError):
        WitnessState(origin=LOG.name, log_key=LOG.verifier_key().encode(), size=0, root=leaf_hash(b"x"))
    with pytest.raises(ValueError):
        WitnessState.from_json('{"v": 1}')
    assert fresh().root == EMPTY_ROOT
