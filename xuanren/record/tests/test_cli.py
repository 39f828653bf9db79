"""`xuanren ledger vkey|checkpoint|export|prove`: what a verifier outside the system needs."""

from __future__ import annotations

import base64
import json

import pytest
from django.core.management import CommandError, call_command

from xuanren.ledger.canonical import parse_entry
from xuanren.ledger.merkle import leaf_hash, verify_inclusion
from xuanren.ledger.note import open_checkpoint, parse_verifier_key
from xuanren.record import keys
from xuanren.record.models import Entry
from xuanren.record.tests.helpers import add

pytestmark = pytest.mark.django_db


def run(capsys, *args: str) -> str:
    capsys.readouterr()
    call_command("ledger", *args)
    return capsys.readouterr().out


def test_vkey_prints_the_signed_note_verifier_key(capsys):
    out = run(capsys, "vkey").strip()
    key = parse_verifier_key(out)
    assert key.name == keys.origin() and out == keys.verifier_key()
    assert out.split("+")[1] == f"{key.key_id:08x}"


def test_checkpoint_prints_the_newest_signed_checkpoint(capsys):
    with pytest.raises(CommandError):
        call_command("ledger", "checkpoint")
    add(4)
    body, _ = open_checkpoint(run(capsys, "checkpoint"), [keys.verifier_key()], origin=keys.origin())
    assert body.size == 4


def test_export_prints_every_entry_with_its_leaf_index_and_bytes(capsys, tmp_path):
    add(3, payload={"名称": "干部"})
    lines = [json.loads(line) for line in run(capsys, "export", "--jsonl").splitlines()]
    assert [line["index"] for line in lines] == [0, 1, 2]
    for line in lines:
        data = base64.b64decode(line["data"])
        assert parse_entry(data).seq == line["index"]
        assert leaf_hash(data) == bytes(Entry.objects.get(seq=line["index"]).leaf_hash)
    out = tmp_path / "log.jsonl"
    call_command("ledger", "export", "--jsonl", "-o", str(out))
    assert len(out.read_text().splitlines()) == 3


def test_prove_prints_an_inclusion_proof_that_verifies_against_the_printed_checkpoint(capsys):
    add(11)
    text = run(capsys, "prove", "6")
    proof_part, _, note = text.partition("\n\n")
    header, index, size, leaf, *proof = proof_part.splitlines()
    assert (header, index, size) == ("xuanren inclusion proof v1", "index 6", "size 11")
    body, _ = open_checkpoint(note, [keys.verifier_key()], origin=keys.origin())
    leaf_bytes = base64.b64decode(leaf.removeprefix("leaf "))
    assert leaf_bytes == leaf_hash(Entry.objects.get(seq=6).data_bytes)
    assert verify_inclusion(leaf_bytes, 6, body.size, [base64.b64decode(p) for p in proof], body.root)
    with pytest.raises(CommandError):
        call_command("ledger", "prove", "11")
