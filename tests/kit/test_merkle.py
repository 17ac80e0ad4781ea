"""RFC 6962 / RFC 9162 Merkle trees: published vectors, a recursive reference, and properties."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecredit.kit.merkle import (
    HashName,
    MerkleTree,
    consistency_proof,
    digest,
    empty_root,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

SHA = HashName.SHA256

# The Certificate Transparency reference leaves and tree heads, as published in
# transparency-dev/merkle testonly/constants.go and proof/verify_test.go (data only).
CT_ENTRIES = [
    bytes.fromhex(x)
    for x in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",  # size 0
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
# (leaf index, tree size, proof); the Go source numbers leaves from 1, these from 0.
CT_INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
# (old size, new size, proof)
CT_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


def ct_leaves() -> list[bytes]:
    return [leaf_hash(SHA, e) for e in CT_ENTRIES]


def leaves_for(name: HashName, n: int) -> list[bytes]:
    return [leaf_hash(name, i.to_bytes(4, "big")) for i in range(n)]


def flip(b: bytes) -> bytes:
    return bytes([b[0] ^ 0x01]) + b[1:]


# --- a literal, recursive transcription of RFC 6962 §2.1 to check the iterative code against ---


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_root(name: HashName, d: Sequence[bytes]) -> bytes:
    if not d:
        return empty_root(name)
    if len(d) == 1:
        return d[0]
    k = _k(len(d))
    return node_hash(name, ref_root(name, d[:k]), ref_root(name, d[k:]))


def ref_path(name: HashName, m: int, d: Sequence[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return [*ref_path(name, m, d[:k]), ref_root(name, d[k:])]
    return [*ref_path(name, m - k, d[k:]), ref_root(name, d[:k])]


def ref_subproof(name: HashName, m: int, d: Sequence[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [ref_root(name, d)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(name, m, d[:k], b), ref_root(name, d[k:])]
    return [*ref_subproof(name, m - k, d[k:], False), ref_root(name, d[:k])]


class TestHashing:
    def test_sha256_matches_rfc_when_hashing_empty_tree_and_first_leaf(self) -> None:
        assert empty_root(SHA).hex() == CT_ROOTS[0]
        assert leaf_hash(SHA, b"").hex() == CT_ROOTS[1]

    def test_sm3_matches_gbt_32905_when_hashing_abc(self) -> None:
        # GB/T 32905-2016 appendix A, example 1.
        want = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        assert digest(HashName.SM3, b"abc").hex() == want

    def test_leaf_and_node_differ_when_bytes_are_the_same(self) -> None:
        a, b = leaf_hash(SHA, b"a"), leaf_hash(SHA, b"b")
        assert leaf_hash(SHA, a + b) != node_hash(SHA, a, b)

    def test_unknown_hash_rejected_when_named(self) -> None:
        with pytest.raises(ValueError, match="md5"):
            digest("md5", b"")  # type: ignore[arg-type]


class TestRoot:
    @pytest.mark.parametrize("size", range(9))
    def test_matches_ct_vector_when_tree_has_size(self, size: int) -> None:
        assert root(SHA, ct_leaves()[:size]).hex() == CT_ROOTS[size]

    @pytest.mark.parametrize("name", list(HashName))
    def test_equals_recursive_reference_when_size_is_1_to_130(self, name: HashName) -> None:
        leaves = leaves_for(name, 130)
        for n in range(1, 131):
            assert root(name, leaves[:n]) == ref_root(name, leaves[:n]), n


class TestInclusionProof:
    @pytest.mark.parametrize(("index", "size", "proof"), CT_INCLUSION)
    def test_matches_ct_vector_when_built(self, index: int, size: int, proof: list[str]) -> None:
        got = inclusion_proof(SHA, ct_leaves()[:size], index)
        assert [p.hex() for p in got] == proof
        root_hash = bytes.fromhex(CT_ROOTS[size])
        assert verify_inclusion(SHA, ct_leaves()[index], index, size, got, root_hash)

    def test_equals_recursive_reference_when_size_is_1_to_40(self) -> None:
        leaves = leaves_for(SHA, 40)
        for n in range(1, 41):
            for m in range(n):
                assert inclusion_proof(SHA, leaves, m, n) == ref_path(SHA, m, leaves[:n])

    @pytest.mark.parametrize(("index", "size"), [(-1, 3), (3, 3), (0, 0), (0, 9)])
    def test_raises_when_index_or_size_out_of_range(self, index: int, size: int) -> None:
        with pytest.raises(ValueError, match="outside"):
            inclusion_proof(SHA, ct_leaves(), index, size)

    def test_fails_when_index_is_out_of_range_or_hash_has_wrong_length(self) -> None:
        leaves, r = ct_leaves(), bytes.fromhex(CT_ROOTS[8])
        proof = inclusion_proof(SHA, leaves, 5)
        assert not verify_inclusion(SHA, leaves[5], 8, 8, proof, r)
        assert not verify_inclusion(SHA, leaves[5], -1, 8, proof, r)
        assert not verify_inclusion(SHA, leaves[5][:31], 5, 8, proof, r)
        assert not verify_inclusion(SHA, leaves[5], 5, 8, [*proof, b""], r)
        assert not verify_inclusion(SHA, leaves[5], 5, 8, [*proof, r], r)

    @settings(max_examples=60, deadline=None)
    @given(name=st.sampled_from(HashName), n=st.integers(1, 300), data=st.data())
    def test_verifies_and_rejects_tampering_when_random(
        self, name: HashName, n: int, data: st.DataObject
    ) -> None:
        leaves = leaves_for(name, n)
        i = data.draw(st.integers(0, n - 1), label="index")
        proof, r = inclusion_proof(name, leaves, i), root(name, leaves)
        assert verify_inclusion(name, leaves[i], i, n, proof, r)
        assert not verify_inclusion(name, flip(leaves[i]), i, n, proof, r)
        assert not verify_inclusion(name, leaves[i], i, n, proof, flip(r))
        if n > 1:
            other = data.draw(st.integers(0, n - 1).filter(lambda j: j != i), label="other")
            assert not verify_inclusion(name, leaves[i], other, n, proof, r)
            assert not verify_inclusion(name, leaves[i], i, n, proof[:-1], r)
        for j in range(len(proof)):
            bad = [*proof[:j], flip(proof[j]), *proof[j + 1 :]]
            assert not verify_inclusion(name, leaves[i], i, n, bad, r)


class TestConsistencyProof:
    @pytest.mark.parametrize(("old", "new", "proof"), CT_CONSISTENCY)
    def test_matches_ct_vector_when_built(self, old: int, new: int, proof: list[str]) -> None:
        got = consistency_proof(SHA, ct_leaves()[:new], old)
        assert [p.hex() for p in got] == proof
        old_root, new_root = bytes.fromhex(CT_ROOTS[old]), bytes.fromhex(CT_ROOTS[new])
        assert verify_consistency(SHA, old, new, old_root, new_root, got)

    def test_equals_recursive_reference_when_size_is_1_to_40(self) -> None:
        leaves = leaves_for(SHA, 40)
        for n in range(1, 41):
            for m in range(1, n + 1):
                want = ref_subproof(SHA, m, leaves[:n], True)
                assert consistency_proof(SHA, leaves, m, n) == want, (m, n)

    @pytest.mark.parametrize(("old", "new"), [(0, 8), (-1, 8), (5, 4), (1, 9)])
    def test_raises_when_sizes_are_out_of_range(self, old: int, new: int) -> None:
        with pytest.raises(ValueError, match="outside"):
            consistency_proof(SHA, ct_leaves(), old, new)

    def test_fails_when_old_size_is_zero_or_sizes_go_backwards(self) -> None:
        r0, r8 = bytes.fromhex(CT_ROOTS[0]), bytes.fromhex(CT_ROOTS[8])
        assert not verify_consistency(SHA, 0, 8, r0, r8, [])
        assert not verify_consistency(SHA, 0, 0, r0, r0, [])
        assert not verify_consistency(SHA, 8, 6, r8, r8, [])

    def test_same_size_needs_equal_roots_and_empty_proof_when_checked(self) -> None:
        r4, r5 = bytes.fromhex(CT_ROOTS[4]), bytes.fromhex(CT_ROOTS[5])
        assert verify_consistency(SHA, 4, 4, r4, r4, [])
        assert not verify_consistency(SHA, 4, 4, r4, r5, [])
        assert not verify_consistency(SHA, 4, 4, r4, r4, [r4])

    def test_fails_when_proof_is_empty_or_padded(self) -> None:
        leaves, r6, r8 = ct_leaves(), bytes.fromhex(CT_ROOTS[6]), bytes.fromhex(CT_ROOTS[8])
        proof = consistency_proof(SHA, leaves, 6)
        assert not verify_consistency(SHA, 6, 8, r6, r8, [])
        assert not verify_consistency(SHA, 6, 8, r6, r8, [*proof, r8])
        assert not verify_consistency(SHA, 6, 8, r6, r8, [r6, *proof])
        assert not verify_consistency(SHA, 6, 8, r6, r8, [proof[0][:31], *proof[1:]])

    @settings(max_examples=60, deadline=None)
    @given(name=st.sampled_from(HashName), n=st.integers(1, 300), data=st.data())
    def test_verifies_and_rejects_tampering_when_random(
        self, name: HashName, n: int, data: st.DataObject
    ) -> None:
        leaves = leaves_for(name, n)
        m = data.draw(st.integers(1, n), label="old_size")
        proof = consistency_proof(name, leaves, m)
        old_root, new_root = root(name, leaves[:m]), root(name, leaves)
        assert verify_consistency(name, m, n, old_root, new_root, proof)
        assert not verify_consistency(name, m, n, flip(old_root), new_root, proof)
        assert not verify_consistency(name, m, n, old_root, flip(new_root), proof)
        for j in range(len(proof)):
            bad = [*proof[:j], flip(proof[j]), *proof[j + 1 :]]
            assert not verify_consistency(name, m, n, old_root, new_root, bad)
        if proof:
            assert not verify_consistency(name, m, n, old_root, new_root, proof[:-1])


class TestMerkleTree:
    def test_answers_for_older_size_when_log_has_grown(self) -> None:
        tree = MerkleTree(SHA)
        for entry in CT_ENTRIES[:6]:
            tree.append_entry(entry)
        checkpoint_size, checkpoint_root = tree.size, tree.root()
        for entry in CT_ENTRIES[6:]:
            tree.append_entry(entry)

        assert tree.size == 8
        assert tree.root(checkpoint_size) == checkpoint_root == bytes.fromhex(CT_ROOTS[6])
        proof = tree.inclusion_proof(5, checkpoint_size)
        assert verify_inclusion(SHA, tree.leaf(5), 5, 6, proof, checkpoint_root)
        consistency = tree.consistency_proof(checkpoint_size)
        assert [p.hex() for p in consistency] == CT_CONSISTENCY[2][2]
        assert verify_consistency(SHA, 6, 8, checkpoint_root, tree.root(), consistency)

    def test_append_returns_index_when_leaf_is_added(self) -> None:
        tree = MerkleTree(HashName.SM3, leaves_for(HashName.SM3, 3))
        assert tree.append(leaf_hash(HashName.SM3, b"x")) == 3
        assert tree.root() == ref_root(HashName.SM3, [tree.leaf(i) for i in range(4)])

    def test_append_raises_when_value_is_not_a_leaf_hash(self) -> None:
        with pytest.raises(ValueError, match="32 bytes"):
            MerkleTree().append(b"raw entry")

    def test_raises_when_tree_size_exceeds_log(self) -> None:
        tree = MerkleTree(SHA, ct_leaves())
        with pytest.raises(ValueError, match="outside"):
            tree.root(9)
        with pytest.raises(ValueError, match="outside"):
            tree.inclusion_proof(0, 9)
