"""Signed notes, checkpoints and cosignatures, checked against the Go reference vectors and the specs."""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from xuanren.ledger.merkle import EMPTY_ROOT, leaf_hash
from xuanren.ledger.note import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    Checkpoint,
    InvalidKeyError,
    NoteError,
    SignatureError,
    SignerKey,
    UnverifiedNoteError,
    add_signatures,
    cosign_checkpoint,
    cosignatures,
    generate_signer_key,
    key_id,
    load_signer_key,
    open_checkpoint,
    open_note,
    parse_checkpoint,
    parse_signer_key,
    parse_verifier_key,
    save_signer_key,
    sign_checkpoint,
    sign_note,
)

# Interoperability vectors from golang.org/x/mod/sumdb/note (note_test.go).
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_SIG = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

# The cosignature line of the tlog-cosignature spec's example (its key is not published).
SPEC_COSIGNATURE = (
    "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA=="
)
SPEC_CHECKPOINT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"

LOG = SignerKey("xuanren.example/county-150525/ledger", bytes(range(32)))
WITNESS = SignerKey("jiwei.example/witness", bytes(range(32, 64)))


def test_go_reference_keys_parse_and_agree() -> None:
    signer = parse_signer_key(PETER_SKEY)
    assert signer.encode() == PETER_SKEY
    assert signer.verifier_key().encode() == PETER_VKEY
    vkey = parse_verifier_key(PETER_VKEY)
    assert vkey.key_id == 0xC74F20A3 == key_id("PeterNeumann", SIG_ED25519, vkey.public_key)


def test_signing_reproduces_the_go_reference_note_byte_for_byte() -> None:
    assert sign_note(TEXT, parse_signer_key(PETER_SKEY)) == TEXT + "\n" + PETER_SIG


def test_open_verifies_known_keys_and_ignores_unknown_ones() -> None:
    note = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    opened = open_note(note, [PETER_VKEY])
    assert opened.text == TEXT
    assert [s.name for s in opened.signatures] == ["PeterNeumann"]
    assert [s.name for s in opened.unverified] == ["EnochRoot"]
    both = open_note(note, [PETER_VKEY, ENOCH_VKEY])
    assert [s.name for s in both.signatures] == ["PeterNeumann", "EnochRoot"]
    assert both.unverified == ()


def test_a_note_with_no_trusted_signature_is_refused() -> None:
    with pytest.raises(UnverifiedNoteError) as caught:
        open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])
    assert len(caught.value.note.unverified) == 2


def test_a_key_sharing_only_the_name_or_only_the_id_is_unknown() -> None:
    impostor = generate_signer_key("PeterNeumann").verifier_key()
    with pytest.raises(UnverifiedNoteError):
        open_note(TEXT + "\n" + PETER_SIG, [impostor])


def test_an_altered_signature_from_a_known_key_refuses_the_whole_note() -> None:
    forged = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(SignatureError, match="PeterNeumann\\+c74f20a3"):
        open_note(TEXT + "\n" + forged + ENOCH_SIG, [PETER_VKEY, ENOCH_VKEY])
    with pytest.raises(SignatureError):
        open_note(TEXT.replace("problem", "answer") + "\n" + PETER_SIG, [PETER_VKEY])


@pytest.mark.parametrize(
    "note",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT
        + "\n"
        + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIG.replace("—", "-"),
        TEXT + "\n" + PETER_SIG.replace("=\n", "\n"),
        TEXT + "\n" + "— PeterNeumann AAAA\n",
        TEXT + "\n" + PETER_SIG * 101,
        (TEXT + "\n" + PETER_SIG).encode() + b"\xff",
    ],
)
def test_malformed_notes_are_refused(note: str | bytes) -> None:
    with pytest.raises(NoteError):
        open_note(note, [PETER_VKEY])


def test_every_mangling_of_a_verifier_key_is_refused() -> None:
    raw = PETER_VKEY
    for i in range(len(raw)):
        for j in range(i + 1, len(raw) + 1):
            if (i, j) != (0, len(raw)):
                with pytest.raises(InvalidKeyError):
                    parse_verifier_key(raw[i:j])
    for i in range(len(raw)):
        mangled = raw[:i] + chr(ord(raw[i]) + 1) + raw[i + 1 :]
        with pytest.raises(InvalidKeyError):
            parse_verifier_key(mangled)


def test_every_mangling_of_a_signer_key_is_refused() -> None:
    raw = PETER_SKEY
    for i in range(len(raw)):
        mangled = raw[:i] + chr(ord(raw[i]) + 1) + raw[i + 1 :]
        with pytest.raises(InvalidKeyError):
            parse_signer_key(mangled)
    with pytest.raises(InvalidKeyError):
        parse_signer_key(PETER_VKEY)


@pytest.mark.parametrize("name", ["", "a b", "a+b", "a\tb", "名\u3000字", "a\nb"])
def test_key_names_without_spaces_or_plus_only(name: str) -> None:
    with pytest.raises(InvalidKeyError):
        SignerKey(name, bytes(32))


def test_signer_repr_never_shows_the_seed() -> None:
    text = repr(LOG) + str(LOG)
    assert base64.b64encode(LOG.seed).decode() not in text
    assert LOG.seed.hex() not in text


def test_key_file_is_written_0600_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "log.key"
    key = generate_signer_key("xuanren.example/ledger")
    save_signer_key(path, key)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_signer_key(path) == key
    assert path.read_text().startswith("PRIVATE+KEY+xuanren.example/ledger+")


def test_key_file_is_never_silently_replaced(tmp_path: Path) -> None:
    path = tmp_path / "log.key"
    save_signer_key(path, LOG)
    with pytest.raises(FileExistsError):
        save_signer_key(path, WITNESS)
    save_signer_key(path, WITNESS, overwrite=True)
    assert load_signer_key(path) == WITNESS
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["log.key"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.key"
    save_signer_key(path, LOG)
    path.chmod(0o644)
    with pytest.raises(InvalidKeyError, match="chmod 600"):
        load_signer_key(path)


def test_checkpoint_body_is_origin_size_and_base64_root() -> None:
    checkpoint = Checkpoint("xuanren.example/ledger", 3, leaf_hash(b"x"))
    body = checkpoint.body()
    assert body == f"xuanren.example/ledger\n3\n{base64.b64encode(leaf_hash(b'x')).decode()}\n"
    assert parse_checkpoint(body) == checkpoint


def test_spec_example_checkpoint_parses() -> None:
    checkpoint = parse_checkpoint(SPEC_CHECKPOINT)
    assert (checkpoint.origin, checkpoint.size) == ("example.com/behind-the-sofa", 20852163)
    assert checkpoint.body() == SPEC_CHECKPOINT


def test_extension_lines_are_kept_and_signed() -> None:
    checkpoint = Checkpoint("o", 0, EMPTY_ROOT, ("ext one",))
    note = sign_checkpoint(checkpoint, LOG)
    assert open_checkpoint(note, [LOG.verifier_key()])[0] == checkpoint


@pytest.mark.parametrize(
    "body",
    [
        "o\n3\n",
        "o\n03\n" + base64.b64encode(EMPTY_ROOT).decode() + "\n",
        "o\n-3\n" + base64.b64encode(EMPTY_ROOT).decode() + "\n",
        "o\n3\n" + base64.b64encode(EMPTY_ROOT[:31]).decode() + "\n",
        "o\n3\n" + base64.b64encode(EMPTY_ROOT).decode(),
        "o\n3\n" + base64.b64encode(EMPTY_ROOT).decode() + "\n\n",
        "\n3\n" + base64.b64encode(EMPTY_ROOT).decode() + "\n",
        "o\n18446744073709551616\n" + base64.b64encode(EMPTY_ROOT).decode() + "\n",
        "o\n３\n" + base64.b64encode(EMPTY_ROOT).decode() + "\n",
    ],
)
def test_malformed_checkpoints_are_refused(body: str) -> None:
    with pytest.raises(NoteError):
        parse_checkpoint(body)


def test_checkpoint_opens_only_with_the_logs_key_and_origin() -> None:
    checkpoint = Checkpoint(LOG.name, 5, leaf_hash(b"x"))
    note = sign_checkpoint(checkpoint, LOG)
    assert open_checkpoint(note, [LOG.verifier_key().encode()], origin=LOG.name)[0] == checkpoint
    with pytest.raises(NoteError, match="not"):
        open_checkpoint(note, [LOG.verifier_key()], origin="another.example/log")
    forger = SignerKey(LOG.name, bytes(32))
    with pytest.raises(UnverifiedNoteError):
        open_checkpoint(sign_checkpoint(checkpoint, forger), [LOG.verifier_key()])


def test_cosignature_signs_the_timestamped_message_with_type_4_key_id() -> None:
    body = Checkpoint(LOG.name, 5, leaf_hash(b"x")).body()
    line = WITNESS.cosignature_line(body, 1679315147)
    name, sig64 = line.removeprefix("— ").split(" ")
    blob = base64.b64decode(sig64)
    assert name == WITNESS.name and len(blob) == 4 + 8 + 64
    expected_id = hashlib.sha256(WITNESS.name.encode() + b"\n\x04" + WITNESS.public_key).digest()[:4]
    assert blob[:4] == expected_id != WITNESS.verifier_key().key_id.to_bytes(4, "big")
    assert int.from_bytes(blob[4:12], "big") == 1679315147
    message = b"cosignature/v1\ntime 1679315147\n" + body.encode()
    Ed25519PublicKey.from_public_bytes(WITNESS.public_key).verify(blob[12:], message)


def test_spec_example_cosignature_has_key_id_timestamp_and_signature() -> None:
    blob = base64.b64decode(SPEC_COSIGNATURE)
    assert len(blob) == 4 + 8 + 64
    assert int.from_bytes(blob[4:12], "big") == 1679315147  # "time 1679315147" in the spec's example


def test_cosigned_checkpoint_verifies_with_log_and_witness_keys() -> None:
    checkpoint = Checkpoint(LOG.name, 5, leaf_hash(b"x"))
    note = cosign_checkpoint(sign_checkpoint(checkpoint, LOG), WITNESS, 1_790_000_000)
    witness_key = WITNESS.cosigner_verifier_key()
    assert witness_key.sig_type == SIG_COSIGNATURE_V1
    opened = open_note(note, [LOG.verifier_key(), witness_key])
    assert cosignatures(opened, [witness_key]) == {WITNESS.name: 1_790_000_000}
    # a plain Ed25519 key of the witness does not match its cosignature's key ID
    only_log = open_note(note, [LOG.verifier_key(), WITNESS.verifier_key()])
    assert cosignatures(only_log, [witness_key]) == {}
    assert len(only_log.unverified) == 1
    # parse the witness vkey string back
    assert parse_verifier_key(witness_key.encode()) == witness_key


def test_cosigning_again_replaces_the_earlier_cosignature() -> None:
    note = sign_checkpoint(Checkpoint(LOG.name, 5, leaf_hash(b"x")), LOG)
    once = cosign_checkpoint(note, WITNESS, 100)
    twice = cosign_checkpoint(once, WITNESS, 200)
    assert twice.count("— jiwei.example/witness") == 1
    opened = open_note(twice, [WITNESS.cosigner_verifier_key()])
    assert opened.signatures[0].timestamp == 200


def test_altered_cosignature_timestamp_is_refused() -> None:
    note = cosign_checkpoint(sign_checkpoint(Checkpoint(LOG.name, 5, leaf_hash(b"x")), LOG), WITNESS, 100)
    line = note.splitlines()[-1]
    blob = bytearray(base64.b64decode(line.split(" ")[-1]))
    blob[11] ^= 1
    forged = add_signatures(note, f"— {WITNESS.name} {base64.b64encode(bytes(blob)).decode()}")
    with pytest.raises(SignatureError):
        open_note(forged, [WITNESS.cosigner_verifier_key()])


def test_signing_refuses_text_that_is_not_a_note() -> None:
    with pytest.raises(NoteError):
        sign_note("no newline", LOG)
    with pytest.raises(NoteError):
        sign_note("bell\x07\n", LOG)
    with pytest.raises(ValueError):
        WITNESS.cosignature_line(SPEC_CHECKPOINT, -1)
