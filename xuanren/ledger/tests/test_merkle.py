"""RFC 6962 trees: reference vectors, the shared proof vectors, and properties."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xuanren.ledger.merkle import (
    EMPTY_ROOT,
    MAX_TREE_SIZE,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

# The eight reference leaves of RFC 6962's own tests (certificate-transparency, trillian testonly).
REFERENCE_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]

# MTH of the first n reference leaves, n = 1..8 (certificate-transparency merkle_test.py).
REFERENCE_ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}

# Consistency proofs between reference trees (certificate-transparency merkle_test.py).
REFERENCE_CONSISTENCY = [
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (3, 8, ["0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
]  # fmt: skip

# An inclusion proof from a real CT log: leaf 848049 of a tree of 3630887 (merkle_test.py).
CT_LEAF_INDEX = 848049
CT_TREE_SIZE = 3630887
CT_LEAF_HASH = "7a395c866d5ecdb0cccb623e011dbc392cd348d1d1d72776174e127a24b09c78"
CT_ROOT = "78316a05c9bcf14a3a4548f5b854a9adfcd46a4c034401b3ce7eb7ac2f1d0ecb"
CT_AUDIT_PATH = [
    "1a208aeebcd1b39fe2de247ee8db9454e1e93a312d206b87f6ca9cc6ec6f1ddd",
    "0a1b78b383f580856f433c01a5741e160d451c185910027f6cc9f828687a40c4",
    "3d1745789bc63f2da15850de1c12a5bf46ed81e1cc90f086148b1662e79aab3d",
    "9095b61e14d8990acf390905621e62b1714fb8e399fbb71de5510e0aef45affe",
    "0a332b91b8fab564e6afd1dd452449e04619b18accc0ff9aa8393cd4928451f2",
    "2336f0181d264aed6d8f3a6507ca14a8d3b3c3a23791ac263e845d208c1ee330",
    "b4ce56e300590500360c146c6452edbede25d4ed83919278749ee5dbe178e048",
    "933f6ddc848ea562e4f9c5cfb5f176941301dad0c6fdb9d1fbbe34fac1be6966",
    "b95a6222958a86f74c030be27c44f57dbe313e5e7c7f4ffb98bcbd3a03bb52f2",
    "daeeb3ce5923defd0faeb8e0c210b753b85b809445d7d3d3cd537a9aabaa9c45",
    "7fadd0a13e9138a2aa6c3fdec4e2275af233b94812784f66bcca9aa8e989f2bc",
    "1864e6ba3e32878610546539734fb5eeae2529991f130c575c73a7e25a2a7c56",
    "12842d1202b1dc6828a17ab253c02e7ce9409b5192430feba44189f39cc02d66",
    "29af64b16fa3053c13d02ac63aa75b23aa468506e44c3a2315edc85d2dc22b11",
    "b527b99934a0bd9edd154e449b0502e2c499bba783f3bc3dfe23364b6b532009",
    "4584db8ae8e351ace08e01f306378a92bfd43611714814f3d834a2842d69faa8",
    "86a9a41573b0d6e4292f01e93243d6cc65b30f06606fc6fa57390e7e90ed580f",
    "a88b98fbe84d4c6aae8db9d1605dfac059d9f03fe0fcb0d5dff1295dacba09e6",
    "06326dc617a6d1f7021dc536026dbfd5fffc6f7c5531d48ef6ccd1ed1569f2a1",
    "f41fe8fdc3a2e4e8345e30216e7ebecffee26ff266eeced208a6c2a3cf08f960",
    "40cf5bde8abb76983f3e98ba97aa36240402975674e120f234b3448911090f8d",
    "b3222dc8658538079883d980d7fdc2bef9285344ea34338968f736b04aeb387a",
]

H = bytes.fromhex
REFERENCE_HASHES = [leaf_hash(d) for d in REFERENCE_LEAVES]


def test_empty_tree_root_is_sha256_of_nothing() -> None:
    assert root([]) == EMPTY_ROOT == H("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


def test_leaf_and_node_hashes_use_distinct_prefixes() -> None:
    assert leaf_hash(b"") == H(REFERENCE_ROOTS[1])
    assert leaf_hash(H("101112131415161718191a1b1c1d1e1f")) == H(
        "3bfb960453ebaebf33727da7a1f4db38acc051d381b6da20d6d4e88f0eabfd7a"
    )
    left = bytes(range(32))
    right = bytes(range(32, 64))
    assert node_hash(left, right) == H("1a378704c17da31e2d05b6d121c2bb2c7d76f6ee6fa8f983e596c2d034963c57")


@pytest.mark.parametrize("size", sorted(REFERENCE_ROOTS))
def test_root_of_reference_leaves_matches_rfc6962_vectors(size: int) -> None:
    assert root(REFERENCE_HASHES[:size]).hex() == REFERENCE_ROOTS[size]


@pytest.mark.parametrize(("old", "new", "proof"), REFERENCE_CONSISTENCY)
def test_consistency_proof_matches_reference_and_verifies(old: int, new: int, proof: list[str]) -> None:
    made = consistency_proof(REFERENCE_HASHES[:new], old)
    assert [p.hex() for p in made] == proof
    assert verify_consistency(old, new, H(REFERENCE_ROOTS[old]), H(REFERENCE_ROOTS[new]), made)


def test_inclusion_proofs_of_reference_tree_match_known_paths() -> None:
    assert [p.hex() for p in inclusion_proof(REFERENCE_HASHES, 0)] == REFERENCE_CONSISTENCY[0][2]
    assert [p.hex() for p in inclusion_proof(REFERENCE_HASHES, 5)] == [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]
    for size in range(1, 9):
        for index in range(size):
            proof = inclusion_proof(REFERENCE_HASHES[:size], index)
            assert verify_inclusion(REFERENCE_HASHES[index], index, size, proof, H(REFERENCE_ROOTS[size]))


def test_real_ct_log_inclusion_proof_verifies() -> None:
    proof = [H(p) for p in CT_AUDIT_PATH]
    assert verify_inclusion(H(CT_LEAF_HASH), CT_LEAF_INDEX, CT_TREE_SIZE, proof, H(CT_ROOT))
    assert not verify_inclusion(H(CT_LEAF_HASH), CT_LEAF_INDEX + 1, CT_TREE_SIZE, proof, H(CT_ROOT))
    assert not verify_inclusion(H(CT_LEAF_HASH), CT_LEAF_INDEX, CT_TREE_SIZE, proof[:-1], H(CT_ROOT))


# --- the shared RFC 6962 proof vectors (transparency-dev/merkle testdata) -------------------------

_REPO_ROOT = Path(__file__).resolve().parents[3]
TESTDATA = Path(os.environ.get("XUANREN_RFC6962_TESTDATA") or _REPO_ROOT.parent / "shared/testdata/rfc6962")

# The cases that must verify. Every other file in the folder must be refused.
MUST_VERIFY = {
    "inclusion/0/happy-path.json",
    "inclusion/1/happy-path.json",
    "inclusion/2/happy-path.json",
    "inclusion/3/happy-path.json",
    "inclusion/4/happy-path.json",
    "inclusion/single-entry/matching-root-and-leaf.json",
    "consistency/0/happy-path.json",
    "consistency/1/happy-path.json",
    "consistency/2/happy-path.json",
    "consistency/3/happy-path.json",
    "consistency/4/happy-path.json",
}

# Cases the files mark valid (wantErr false) that this verifier refuses, and why.
STRICTER_THAN_FILE = {
    "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json": (
        "its two equal 'roots' are 12 bytes, not SHA-256 hashes: malformed input is refused, "
        "where the Go verifier only compares the byte strings"
    ),
}


def _cases() -> list[Any]:
    if not TESTDATA.is_dir():
        reason = f"RFC 6962 proof vectors not found at {TESTDATA} (set XUANREN_RFC6962_TESTDATA)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="testdata-absent")]
    files = sorted(p.relative_to(TESTDATA).as_posix() for p in TESTDATA.rglob("*.json"))
    return [pytest.param(f, id=f) for f in files]


def _b64(value: str) -> bytes:
    return base64.b64decode(value)


def _run_case(case: dict[str, Any], kind: str) -> bool:
    proof = [_b64(p) for p in case["proof"] or []]
    if kind == "inclusion":
        return verify_inclusion(
            _b64(case["leafHash"]), case["leafIdx"], case["treeSize"], proof, _b64(case["root"])
        )
    return verify_consistency(case["size1"], case["size2"], _b64(case["root1"]), _b64(case["root2"]), proof)


@pytest.mark.parametrize("name", _cases())
def test_shared_proof_vector_has_the_expected_verdict(name: str) -> None:
    case = json.loads((TESTDATA / name).read_text())
    kind = name.split("/", 1)[0]
    assert kind in ("inclusion", "consistency")
    expected = name in MUST_VERIFY
    assert _run_case(case, kind) is expected
    # Our expectation agrees with the file's, except where we are stricter on purpose.
    file_says_valid = case["wantErr"] is False
    if name in STRICTER_THAN_FILE:
        assert file_says_valid and not expected, STRICTER_THAN_FILE[name]
    else:
        assert file_says_valid is expected


@pytest.mark.skipif(not TESTDATA.is_dir(), reason=f"RFC 6962 proof vectors not found at {TESTDATA}")
def test_every_expected_valid_vector_is_present() -> None:
    for name in MUST_VERIFY | set(STRICTER_THAN_FILE):
        assert (TESTDATA / name).is_file(), name
    for folder in ("inclusion", "consistency", "inclusion/additional", "consistency/additional"):
        assert any((TESTDATA / folder).rglob("*.json")), folder
    assert any((TESTDATA / "inclusion/single-entry").glob("*.json"))


# --- malformed input never raises ----------------------------------------------------------------

GOOD = leaf_hash(b"x")
JUNK: list[Any] = [None, -1, 2**64, 1.0, True, "00" * 32, b"", b"\x00" * 31, b"\x00" * 33, [b"x"], object()]


@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_verifiers_return_false_on_malformed_input(junk: Any) -> None:
    assert verify_inclusion(junk, 0, 1, [], GOOD) is False
    assert verify_inclusion(GOOD, junk, 1, [], GOOD) is False
    assert verify_inclusion(GOOD, 0, junk, [], GOOD) is False
    assert verify_inclusion(GOOD, 0, 2, junk, GOOD) is False
    assert verify_inclusion(GOOD, 0, 2, [junk], GOOD) is False
    assert verify_inclusion(GOOD, 0, 1, [], junk) is False
    assert verify_consistency(junk, 1, GOOD, GOOD, []) is False
    assert verify_consistency(1, junk, GOOD, GOOD, []) is False
    assert verify_consistency(1, 1, junk, GOOD, []) is False
    assert verify_consistency(1, 1, GOOD, junk, []) is False
    assert verify_consistency(1, 2, GOOD, GOOD, junk) is False
    assert verify_consistency(1, 2, GOOD, GOOD, [junk]) is False


def test_verifiers_refuse_oversized_proofs_and_sizes() -> None:
    assert not verify_inclusion(GOOD, 0, 2, [GOOD] * 1000, GOOD)
    assert not verify_inclusion(GOOD, 0, MAX_TREE_SIZE + 1, [GOOD], GOOD)
    assert not verify_consistency(1, MAX_TREE_SIZE + 1, GOOD, GOOD, [GOOD])


def test_single_leaf_tree_needs_no_proof() -> None:
    assert verify_inclusion(GOOD, 0, 1, [], GOOD)
    assert not verify_inclusion(GOOD, 0, 1, [GOOD], GOOD)


def test_consistency_of_equal_sizes_needs_equal_roots_and_empty_proof() -> None:
    other = leaf_hash(b"y")
    assert verify_consistency(3, 3, GOOD, GOOD, [])
    assert not verify_consistency(3, 3, GOOD, other, [])
    assert not verify_consistency(3, 3, GOOD, GOOD, [GOOD])
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert not verify_consistency(0, 0, GOOD, GOOD, [])


def test_no_consistency_proof_is_accepted_from_the_empty_tree() -> None:
    assert not verify_consistency(0, 1, EMPTY_ROOT, GOOD, [])
    assert not verify_consistency(0, 1, EMPTY_ROOT, GOOD, [GOOD])
    with pytest.raises(ValueError, match="empty tree"):
        consistency_proof([GOOD], 0)


def test_proof_makers_refuse_bad_arguments() -> None:
    with pytest.raises(ValueError):
        inclusion_proof([GOOD], 1)
    with pytest.raises(ValueError):
        inclusion_proof([], 0)
    with pytest.raises(ValueError):
        consistency_proof([GOOD], 2)
    with pytest.raises(ValueError):
        inclusion_proof([b"short"], 0)
    with pytest.raises(ValueError):
        root([b"short"])
    assert consistency_proof([GOOD, GOOD], 2) == []


# --- properties ----------------------------------------------------------------------------------

leaves_strategy = st.lists(st.binary(max_size=8), min_size=1, max_size=70, unique=True).map(
    lambda data: [leaf_hash(d) for d in data]
)


def _flip(data: bytes, bit: int) -> bytes:
    b = bytearray(data)
    b[(bit // 8) % len(b)] ^= 1 << (bit % 8)
    return bytes(b)


@given(leaves_strategy, st.data())
def test_inclusion_proofs_of_random_trees_verify_and_flipped_bits_do_not(
    leaves: list[bytes], data: Any
) -> None:
    size = len(leaves)
    index = data.draw(st.integers(0, size - 1))
    proof = inclusion_proof(leaves, index)
    r = root(leaves)
    assert verify_inclusion(leaves[index], index, size, proof, r)
    bit = data.draw(st.integers(0, 255))
    assert not verify_inclusion(_flip(leaves[index], bit), index, size, proof, r)
    assert not verify_inclusion(leaves[index], index, size, proof, _flip(r, bit))
    if proof:
        at = data.draw(st.integers(0, len(proof) - 1))
        bad = [*proof[:at], _flip(proof[at], bit), *proof[at + 1 :]]
        assert not verify_inclusion(leaves[index], index, size, bad, r)
        assert not verify_inclusion(leaves[index], index, size, proof[:-1], r)
        assert not verify_inclusion(leaves[index], index, size, [*proof, proof[0]], r)


@given(leaves_strategy, st.data())
def test_consistency_proofs_of_random_trees_verify_and_flipped_bits_do_not(
    leaves: list[bytes], data: Any
) -> None:
    new = len(leaves)
    old = data.draw(st.integers(1, new))
    proof = consistency_proof(leaves, old)
    old_root, new_root = root(leaves[:old]), root(leaves)
    assert verify_consistency(old, new, old_root, new_root, proof)
    bit = data.draw(st.integers(0, 255))
    assert not verify_consistency(old, new, _flip(old_root, bit), new_root, proof)
    assert not verify_consistency(old, new, old_root, _flip(new_root, bit), proof)
    if proof:
        at = data.draw(st.integers(0, len(proof) - 1))
        bad = [*proof[:at], _flip(proof[at], bit), *proof[at + 1 :]]
        assert not verify_consistency(old, new, old_root, new_root, bad)
        assert not verify_consistency(old, new, old_root, new_root, proof[:-1])


@given(leaves_strategy, st.data())
def test_a_rewritten_prefix_breaks_consistency(leaves: list[bytes], data: Any) -> None:
    new = len(leaves)
    old = data.draw(st.integers(1, new))
    changed = data.draw(st.integers(0, old - 1))
    rewritten = list(leaves)
    rewritten[changed] = leaf_hash(b"rewritten" + leaves[changed])
    proof = consistency_proof(rewritten, old)
    assert not verify_consistency(old, new, root(leaves[:old]), root(rewritten), proof)


@given(
    st.one_of(st.none(), st.integers(), st.binary(), st.text(), st.floats()),
    st.one_of(st.integers(), st.booleans(), st.none()),
    st.one_of(st.integers(), st.binary()),
    st.one_of(st.lists(st.one_of(st.binary(max_size=40), st.integers(), st.none()), max_size=5), st.binary()),
    st.one_of(st.binary(max_size=40), st.none()),
)
def test_verifiers_never_raise_on_arbitrary_input(a: Any, b: Any, c: Any, d: Any, e: Any) -> None:
    assert verify_inclusion(a, b, c, d, e) in (True, False)
    assert verify_consistency(b, c, a, e, d) in (True, False)
