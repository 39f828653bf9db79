"""Archive bundles verify offline, and name what was altered, missing, added or forged."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xuanren.ledger.bundle import (
    MANIFEST,
    BundleEntry,
    BundleError,
    bundle_bytes,
    entry_path,
    verify_bundle,
    write_bundle,
)
from xuanren.ledger.canonical import Entry, canonical_json, entry_bytes, file_ref
from xuanren.ledger.merkle import inclusion_proof, leaf_hash, root
from xuanren.ledger.note import Checkpoint, SignerKey, sign_checkpoint

LOG = SignerKey("xuanren.example/county-150525/ledger", bytes(range(32)))
MATERIAL = b"%PDF-1.7 inspection material"
FORM = b"PK docx of the record form"


def _entry(seq: int, **changes: Any) -> bytes:
    fields: dict[str, Any] = {
        "seq": seq,
        "time": f"2026-11-20T02:{seq:02d}:00Z",
        "jurisdiction": "150525",
        "campaign": 3 if seq % 2 else 4,
        "candidate": 41,
        "stage": "organizational-inspection",
        "step": "individual-talk",
        "action": "record_talk",
        "actor": {"id": 7, "name": "王敏"},
        "payload": {"n": seq},
    }
    fields.update(changes)
    return entry_bytes(Entry(**fields))


ENTRIES = [_entry(i) for i in range(11)]
ENTRIES[5] = _entry(5, payload={"files": [file_ref("考察材料.pdf", MATERIAL)]})
ENTRIES[7] = _entry(7, payload={"files": [file_ref("记实表-张三.docx", FORM)]}, action="archive_forms")
LEAVES = [leaf_hash(e) for e in ENTRIES]
CHECKPOINT = sign_checkpoint(Checkpoint(LOG.name, len(LEAVES), root(LEAVES)), LOG)
VKEY = LOG.verifier_key().encode()
CAMPAIGN = [1, 3, 5, 7, 9]  # the entries of campaign 3


def _arguments(**changes: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "checkpoint": CHECKPOINT,
        "verifier_key": VKEY,
        "entries": [BundleEntry(i, ENTRIES[i], inclusion_proof(LEAVES, i)) for i in CAMPAIGN],
        "record_forms": {"记实表-张三.docx": FORM},
        "materials": {"考察材料.pdf": MATERIAL},
        "tallies": {"recommendation-tally.xlsx": b"tally"},
        "minutes": {"standing-committee-2026-11-20.pdf": b"minutes"},
        "description": {"campaign": 3, "title": "2026年乡镇党委副书记选拔"},
    }
    arguments.update(changes)
    return arguments


@pytest.fixture(scope="module")
def bundle() -> bytes:
    return bundle_bytes(**_arguments())


def rezip(data: bytes, changes: Mapping[str, bytes | None], *, fix_manifest: bool = False) -> bytes:
    """Copy a bundle with files replaced, added or (None) removed, optionally re-hashing the manifest."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        files = {name: zf.read(name) for name in zf.namelist()}
    for name, content in changes.items():
        if content is None:
            files.pop(name, None)
        else:
            files[name] = content
    if fix_manifest:
        manifest = json.loads(files[MANIFEST])
        manifest["files"] = {n: hashlib.sha256(c).hexdigest() for n, c in files.items() if n != MANIFEST}
        files[MANIFEST] = canonical_json(manifest)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def test_an_untouched_bundle_verifies_against_the_logs_key(bundle: bytes) -> None:
    report = verify_bundle(bundle, [VKEY])
    assert report.ok, report.summary()
    assert report.key_trusted
    assert report.entries == tuple(CAMPAIGN)
    assert report.checkpoint is not None and report.checkpoint.size == len(LEAVES)
    assert "record-forms/记实表-张三.docx" in report.files
    assert report.unanchored == (
        "minutes/standing-committee-2026-11-20.pdf",
        "tallies/recommendation-tally.xlsx",
    )
    assert report.summary().startswith("OK")


def test_bundle_layout(bundle: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(bundle)) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read(MANIFEST))
        proofs = json.loads(zf.read("ledger/proofs.json"))
    assert names[0] == MANIFEST
    assert set(names) == {
        MANIFEST,
        "checkpoint.txt",
        "vkey.txt",
        "ledger/proofs.json",
        *(entry_path(i) for i in CAMPAIGN),
        "record-forms/记实表-张三.docx",
        "materials/考察材料.pdf",
        "tallies/recommendation-tally.xlsx",
        "minutes/standing-committee-2026-11-20.pdf",
    }
    assert entry_path(5) == "ledger/entries/000000000005.json"
    assert manifest["format"] == "xuanren-bundle/v1"
    assert manifest["description"]["title"] == "2026年乡镇党委副书记选拔"
    assert set(manifest["files"]) == set(names) - {MANIFEST}
    assert proofs["tree_size"] == len(LEAVES) and set(proofs["proofs"]) == {str(i) for i in CAMPAIGN}


def test_the_same_inputs_make_the_same_bytes(bundle: bytes) -> None:
    assert bundle_bytes(**_arguments()) == bundle


def test_one_altered_file_fails_naming_that_file(bundle: bytes) -> None:
    altered = rezip(bundle, {"materials/考察材料.pdf": MATERIAL + b" edited"})
    report = verify_bundle(altered, [VKEY])
    assert not report.ok
    assert report.first_problem is not None
    assert (report.first_problem.kind, report.first_problem.name) == ("altered", "materials/考察材料.pdf")
    assert "文件被改动" in report.summary() and "materials/考察材料.pdf" in report.summary()


def test_a_file_altered_with_its_manifest_is_no_longer_anchored_in_the_log(bundle: bytes) -> None:
    altered = rezip(bundle, {"materials/考察材料.pdf": b"replaced"}, fix_manifest=True)
    report = verify_bundle(altered, [VKEY])
    assert report.ok  # the manifest alone cannot tell ...
    assert "materials/考察材料.pdf" in report.unanchored  # ... but the signed log no longer vouches for it


def test_a_missing_file_is_named(bundle: bytes) -> None:
    report = verify_bundle(rezip(bundle, {"minutes/standing-committee-2026-11-20.pdf": None}), [VKEY])
    assert report.first_problem is not None
    assert (report.first_problem.kind, report.first_problem.name) == (
        "missing",
        "minutes/standing-committee-2026-11-20.pdf",
    )


def test_an_extra_file_is_named(bundle: bytes) -> None:
    report = verify_bundle(rezip(bundle, {"materials/late-addition.pdf": b"x"}), [VKEY])
    assert report.first_problem is not None
    assert (report.first_problem.kind, report.first_problem.name) == ("extra", "materials/late-addition.pdf")


def test_an_altered_entry_fails_by_manifest(bundle: bytes) -> None:
    path = entry_path(3)
    report = verify_bundle(rezip(bundle, {path: _entry(3, payload={"n": 300})}), [VKEY])
    assert report.first_problem is not None
    assert (report.first_problem.kind, report.first_problem.name) == ("altered", path)


def test_an_altered_entry_fails_its_inclusion_proof_even_with_a_rewritten_manifest(bundle: bytes) -> None:
    path = entry_path(3)
    report = verify_bundle(rezip(bundle, {path: _entry(3, payload={"n": 300})}, fix_manifest=True), [VKEY])
    assert not report.ok
    assert report.first_problem is not None
    assert (report.first_problem.kind, report.first_problem.name) == ("entry", path)
    assert 3 not in report.entries


def test_a_forged_checkpoint_fails_with_the_logs_key(bundle: bytes) -> None:
    forger = SignerKey(LOG.name, bytes(32))
    forged_leaves = list(LEAVES)
    forged_leaves[3] = leaf_hash(_entry(3, payload={"n": 300}))
    forged = sign_checkpoint(Checkpoint(LOG.name, len(LEAVES), root(forged_leaves)), forger)
    forged_proofs = {
        str(i): [base64.b64encode(p).decode() for p in inclusion_proof(forged_leaves, i)] for i in CAMPAIGN
    }
    changes: dict[str, bytes | None] = {
        "checkpoint.txt": forged.encode(),
        "vkey.txt": (forger.verifier_key().encode() + "\n").encode(),
        entry_path(3): _entry(3, payload={"n": 300}),
        "ledger/proofs.json": canonical_json({"tree_size": len(LEAVES), "proofs": forged_proofs}),
    }
    tampered = rezip(bundle, changes, fix_manifest=True)
    report = verify_bundle(tampered, [VKEY])
    assert report.first_problem is not None
    assert (report.first_problem.kind, report.first_problem.name) == ("checkpoint", "checkpoint.txt")
    assert report.entries == ()
    # Trusting the bundle's own key is exactly what a forger hopes for: it "verifies", untrusted.
    self_signed = verify_bundle(tampered)
    assert self_signed.ok and not self_signed.key_trusted
    assert "pass the log's key" in self_signed.summary()


def test_a_checkpoint_edited_without_re_signing_fails(bundle: bytes) -> None:
    edited = CHECKPOINT.replace(f"\n{len(LEAVES)}\n", f"\n{len(LEAVES) + 1}\n")
    report = verify_bundle(rezip(bundle, {"checkpoint.txt": edited.encode()}, fix_manifest=True), [VKEY])
    assert report.first_problem is not None and report.first_problem.kind == "checkpoint"


def test_not_a_zip_is_reported_not_raised() -> None:
    report = verify_bundle(b"not a zip at all", [VKEY])
    assert report.first_problem is not None and report.first_problem.kind == "not-a-zip"


def test_unsafe_names_in_a_bundle_are_reported(bundle: bytes) -> None:
    report = verify_bundle(rezip(bundle, {"../escape.txt": b"x"}), [VKEY])
    assert report.first_problem is not None
    assert (report.first_problem.kind, report.first_problem.name) == ("unsafe-name", "../escape.txt")


def test_a_bundle_written_to_a_path_verifies_from_that_path(tmp_path: Any) -> None:
    path = tmp_path / "campaign-3.zip"
    write_bundle(path, **_arguments())
    assert verify_bundle(path, [VKEY]).ok
    assert verify_bundle(str(path), [VKEY]).ok


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"entries": [BundleEntry(3, ENTRIES[3], inclusion_proof(LEAVES, 4))]}, "proof"),
        ({"entries": [BundleEntry(3, ENTRIES[3] + b" ", inclusion_proof(LEAVES, 3))]}, "canonical"),
        ({"entries": [(3, ENTRIES[3], inclusion_proof(LEAVES, 3))] * 2}, "twice"),
        ({"materials": {"../evil.pdf": b"x"}}, "evil"),
        ({"materials": {"/etc/passwd": b"x"}}, "absolute"),
        ({"verifier_key": SignerKey("other", bytes(32)).verifier_key().encode()}, "checkpoint"),
        ({"description": {"share": 0.5}}, "float"),
    ],
)
def test_the_writer_refuses_inputs_that_would_not_verify(changes: dict[str, Any], message: str) -> None:
    with pytest.raises((BundleError, ValueError), match=message):
        bundle_bytes(**_arguments(**changes))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_verifying_a_damaged_bundle_reports_and_never_raises(bundle: bytes, data: Any) -> None:
    damaged = bytearray(bundle)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(damaged) - 1))
        damaged[at] = data.draw(st.integers(0, 255))
    report = verify_bundle(bytes(damaged), [VKEY])
    assert report.ok in (True, False)
    if bytes(damaged) != bundle and report.ok:
        # only bytes outside every file's contents (ZIP metadata such as times) may change unnoticed
        with (
            zipfile.ZipFile(io.BytesIO(bytes(damaged))) as zf,
            zipfile.ZipFile(io.BytesIO(bundle)) as original,
        ):
            assert {n: zf.read(n) for n in zf.namelist()} == {
                n: original.read(n) for n in original.namelist()
            }
