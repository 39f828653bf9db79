"""The witness: cosigns only checkpoints that extend what it cosigned; refuses rewritten history."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from xuanren.ledger import nodestore
from xuanren.ledger.merkle import leaf_hash
from xuanren.ledger.note import Checkpoint as Body
from xuanren.ledger.note import generate_signer_key, open_note, parse_verifier_key, sign_checkpoint
from xuanren.ledger.witness import AddCheckpoint, WitnessRefusal
from xuanren.record import keys, store, witnessing
from xuanren.record.models import Checkpoint, Cosignature, Entry, TreeNode
from xuanren.record.tests.helpers import add
from xuanren.record.tests.test_verify import sql

pytestmark = pytest.mark.django_db


@pytest.fixture
def witness(tmp_path):
    key, state = tmp_path / "w" / "witness.key", tmp_path / "w" / "state.json"
    signer, _ = witnessing.init_witness(
        key, state, name="witness.discipline.test", origin=keys.origin(), log_vkey=keys.verifier_key()
    )
    return key, state, signer


def test_init_makes_a_private_key_and_an_empty_state_and_refuses_to_run_twice(witness):
    key, state, _ = witness
    assert keys.key_file_mode(key) == 0o600
    assert witnessing.read_state(state).size == 0
    with pytest.raises(FileExistsError):
        witnessing.init_witness(key, state, name="x", origin=keys.origin(), log_vkey=keys.verifier_key())


def test_the_witness_cosigns_a_growing_log_and_the_cosignature_is_stored(witness):
    key, state, signer = witness
    add(5)
    first = witnessing.witness_latest(key, state, now=1_800_000_000)
    assert (first.previous_size, first.state.size) == (0, 5)
    add(6)
    second = witnessing.witness_latest(key, state, now=1_800_000_100)
    assert (second.previous_size, second.state.size) == (5, 11)
    cosignatures = list(Cosignature.objects.order_by("id"))
    assert [c.checkpoint.size for c in cosignatures] == [5, 11]
    vkey = signer.cosigner_verifier_key()
    assert cosignatures[1].witness_vkey == vkey.encode() and cosignatures[1].timestamp == 1_800_000_100
    opened = open_note(store.cosigned_note(Checkpoint.objects.get(size=11)), [vkey, keys.verifier_key()])
    assert len(opened.signatures) == 2


def rewrite_history(seq: int) -> None:
    """What an operator with the database and the log's key could do: change an old entry,
    recompute every stored hash, and carry on signing checkpoints."""
    entry = Entry.objects.get(seq=seq)
    forged = entry.data.replace(f'"i":{seq}', f'"i":{seq + 1000}')
    assert forged != entry.data
    sql(
        "UPDATE record_entry SET data = %s, leaf_hash = %s WHERE seq = %s",
        [forged, leaf_hash(forged.encode()), seq],
    )
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    memory = nodestore.MemoryNodeStore()
    for i, h in enumerate(leaves):
        nodestore.append_leaf(memory, i, h)
    sql("DELETE FROM record_treenode")
    TreeNode.objects.bulk_create(
        TreeNode(id=TreeNode.key_id(lv, ix), level=lv, index=ix, hash=h)
        for (lv, ix), h in memory.nodes.items()
        if lv
    )
    edge = nodestore.CompactRange.from_store(store.DatabaseNodeStore(), len(leaves))
    sql("UPDATE record_loghead SET root = %s, edge = %s", [edge.root(), b"".join(edge.hashes)])


def test_a_witness_refuses_to_cosign_a_rewritten_history(witness):
    key, state, _ = witness
    add(8)
    witnessing.witness_latest(key, state)
    rewrite_history(3)
    add(1)  # the log signs a checkpoint of size 9 over the rewritten tree
    with pytest.raises(WitnessRefusal) as refused:
        witnessing.witness_latest(key, state)
    assert refused.value.code == "inconsistent"
    assert witnessing.read_state(state).size == 8  # the state did not move
    assert Cosignature.objects.count() == 1


def test_a_witness_refuses_a_rolled_back_log(witness):
    key, state, _ = witness
    add(6)
    witnessing.witness_latest(key, state)
    sql("DELETE FROM record_cosignature")
    sql("DELETE FROM record_checkpoint WHERE size > 4")
    with pytest.raises(WitnessRefusal) as refused:
        witnessing.witness_latest(key, state)
    assert refused.value.code == "rollback"


def test_a_forged_checkpoint_is_refused_by_the_witness(witness, tmp_path):
    key, state, _ = witness
    add(3)
    forged = sign_checkpoint(
        Body(keys.origin(), 3, bytes(Checkpoint.objects.get(size=3).root)), generate_signer_key(keys.origin())
    )
    body = AddCheckpoint(0, (), forged).encode()
    with pytest.raises(WitnessRefusal) as refused:
        witnessing.witness_request(key, state, body)
    assert refused.value.code == "bad-signature"


def test_the_offline_path_through_the_commands(witness, tmp_path, capsys):
    key, state, signer = witness
    add(4)
    request = tmp_path / "request.txt"
    call_command("ledger", "witness-request", "0", "-o", str(request))
    cosigned = tmp_path / "cosigned.txt"
    call_command(
        "witness",
        "add",
        "--key",
        str(key),
        "--state",
        str(state),
        "--request",
        str(request),
        "-o",
        str(cosigned),
    )
    assert witnessing.read_state(state).size == 4
    vkey = signer.cosigner_verifier_key().encode()
    call_command("ledger", "add-cosignature", str(cosigned), "--witness-vkey", vkey)
    assert Cosignature.objects.get().checkpoint.size == 4
    add(3)
    call_command("ledger", "witness-request", "4", "-o", str(request))
    call_command(
        "witness",
        "add",
        "--key",
        str(key),
        "--state",
        str(state),
        "--request",
        str(request),
        "-o",
        str(cosigned),
    )
    call_command("ledger", "add-cosignature", str(cosigned), "--witness-vkey", vkey)
    assert sorted(Cosignature.objects.values_list("checkpoint__size", flat=True)) == [4, 7]
    capsys.readouterr()
    call_command("witness", "status", "--state", str(state))
    assert "已联署规模：7" in capsys.readouterr().out


def test_the_command_reports_a_refusal_with_exit_status_2(witness, capsys):
    key, state, _ = witness
    add(5)
    call_command("witness", "add", "--key", str(key), "--state", str(state))
    rewrite_history(1)
    add(1)
    with pytest.raises(SystemExit) as exited:
        call_command("witness", "add", "--key", str(key), "--state", str(state))
    assert exited.value.code == 2
    assert "inconsistent" in capsys.readouterr().err


def test_a_cosignature_from_an_unknown_checkpoint_or_a_wrong_key_is_not_stored(witness, tmp_path):
    from xuanren.record.actions import RecordRefused, record_cosignature

    key, state, _ = witness
    add(2)
    outcome = witnessing.witness_latest(key, state)
    other = generate_signer_key("someone.else").cosigner_verifier_key().encode()
    with pytest.raises(RecordRefused):
        record_cosignature(cosigned_note=outcome.cosigned_note, witness_vkey=other)


def test_the_state_file_is_written_by_compare_and_swap(witness):
    _, state, _ = witness
    before = state.read_bytes()
    with pytest.raises(witnessing.StateChanged):
        witnessing._write(state, b"something else", "{}")
    assert state.read_bytes() == before
    new = json.loads(before)
    witnessing._write(state, before, json.dumps(new))
    assert parse_verifier_key(json.loads(state.read_bytes())["log_key"]).name == keys.origin()
