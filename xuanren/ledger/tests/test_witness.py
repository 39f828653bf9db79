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
from xuanren.ledger.witness import (
    AddCheckpoint,
    WitnessRefusal,
    WitnessState,
    add_checkpoint,
    parse_add_checkpoint,
    witness_update,
)

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


# --- the tlog-witness add-checkpoint request -----------------------------------------------------

SPEC_REQUEST = """old 20852014
PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

example.com/behind-the-sofa
20852163
CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=
"""


def test_the_spec_example_request_parses_and_re_encodes() -> None:
    request = parse_add_checkpoint(SPEC_REQUEST)
    assert request.old_size == 20852014
    assert len(request.proof) == 4
    assert request.checkpoint.startswith("example.com/behind-the-sofa\n20852163\n")
    assert request.encode() == SPEC_REQUEST


def test_add_checkpoint_answers_with_a_cosignature_line_that_verifies_on_the_checkpoint() -> None:
    body = AddCheckpoint(5, tuple(consistency_proof(LEAVES[:13], 5)), checkpoint_note(13)).encode()
    state, line = add_checkpoint(at(5), body, WITNESS, NOW)
    assert state.size == 13
    assert line.startswith("— jiwei.example/witness ") and line.endswith("\n")
    opened = open_note(checkpoint_note(13) + line, [WITNESS.cosigner_verifier_key()])
    assert cosignatures(opened, [WITNESS.cosigner_verifier_key()]) == {WITNESS.name: NOW}


def test_a_first_request_with_old_size_zero_is_accepted() -> None:
    state, _ = add_checkpoint(fresh(), AddCheckpoint(0, (), checkpoint_note(4)).encode(), WITNESS, NOW)
    assert state.size == 4


@pytest.mark.parametrize(
    ("state", "request_", "code", "status"),
    [
        (
            at(5),
            AddCheckpoint(6, tuple(consistency_proof(LEAVES[:13], 6)), checkpoint_note(13)),
            "conflict",
            409,
        ),
        (at(5), AddCheckpoint(14, (), checkpoint_note(13)), "malformed", 400),
        (
            at(5),
            AddCheckpoint(5, tuple(consistency_proof(LEAVES[:13], 6)), checkpoint_note(13)),
            "inconsistent",
            422,
        ),
        (
            at(5),
            AddCheckpoint(5, (), checkpoint_note(13, signer=SignerKey(LOG.name, bytes(32)))),
            "bad-signature",
            403,
        ),
        (at(5), AddCheckpoint(5, (), checkpoint_note(13, origin="another.example/log")), "wrong-origin", 404),
        (fresh(), AddCheckpoint(0, (LEAVES[0],), checkpoint_note(4)), "unexpected-proof", 422),
        (at(5), AddCheckpoint(5, (LEAVES[0],) * 64, checkpoint_note(13)), "malformed", 400),
    ],
)
def test_add_checkpoint_refusals_carry_the_specs_http_status(
    state: WitnessState, request_: AddCheckpoint, code: str, status: int
) -> None:
    with pytest.raises(WitnessRefusal) as caught:
        add_checkpoint(state, request_.encode(), WITNESS, NOW)
    assert (caught.value.code, caught.value.http_status) == (code, status)
    if code == "conflict":
        assert caught.value.detail == "5"  # the size last cosigned, for the 409 body


@pytest.mark.parametrize(
    "body",
    [
        "",
        "old 5\n",
        "old 05\n\nx",
        "new 5\n\nx",
        "old 5\nnot base64!\n\nx",
        "old 5\nAAAA\n\nx",
        b"old 5\n\n\xff",
    ],
)
def test_malformed_requests_are_refused(body: str | bytes) -> None:
    with pytest.raises(WitnessRefusal) as caught:
        parse_add_checkpoint(body)
    assert caught.value.http_status == 400
