"""Merkle trees for the tamper-evident ledger, exactly as Certificate Transparency builds them.

Hashing, tree shape and both proof kinds follow RFC 6962 §2.1 and the verification algorithms of
RFC 9162 §2.1.3.2 and §2.1.4.2, so any off-the-shelf CT/transparency-log verifier can check our
checkpoints. The hash is pluggable: SHA-256 (the RFC's) or SM3 (GB/T 32905, for deployments under
Chinese commercial cryptography rules); both produce 32-byte digests.

Conventions of this module:
- Every ``leaves`` argument is a sequence of *leaf hashes* (``leaf_hash(name, entry)``), never raw
  entries: the ledger stores the leaf hash next to each record, so we never re-hash entries.
- Generators (``root``, ``inclusion_proof``, ``consistency_proof``) raise ``ValueError`` on
  impossible arguments (index or size out of range) because that is a bug in the caller.
- Verifiers (``verify_inclusion``, ``verify_consistency``) never raise: they judge data from
  outside, and anything malformed (wrong sizes, wrong hash lengths, bad proof) is simply ``False``.
- A consistency proof *from the empty tree* (old size 0) is treated as invalid input:
  ``consistency_proof`` raises ``ValueError`` and ``verify_consistency`` returns ``False``.
  RFC 6962/9162 only define PROOF(m, D[n]) for 0 < m, and an empty checkpoint commits to nothing,
  so the ledger's first checkpoint needs no consistency proof at all.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from enum import StrEnum

from cryptography.hazmat.primitives import hashes

_LEAF_PREFIX = b"\x00"  # RFC 6962 §2.1: domain separation so a leaf can never pose as a node
_NODE_PREFIX = b"\x01"


class HashName(StrEnum):
    """The hash functions a tree may use; stored with each checkpoint so verifiers pick the same."""

    SHA256 = "sha256"
    SM3 = "sm3"


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _sm3(data: bytes) -> bytes:
    # hashlib only offers SM3 when the system OpenSSL happens to; cryptography always bundles it.
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


_HASHERS: dict[HashName, Callable[[bytes], bytes]] = {
    HashName.SHA256: _sha256,
    HashName.SM3: _sm3,
}
DIGEST_SIZE = 32  # both SHA-256 and SM3; verifiers reject anything else outright


def _hasher(name: HashName) -> Callable[[bytes], bytes]:
    # HashName(...) also accepts the plain string value, and rejects unknown names with ValueError.
    return _HASHERS[HashName(name)]


def digest(name: HashName, data: bytes) -> bytes:
    """The plain hash of ``data`` with the named function."""
    return _hasher(name)(data)


def leaf_hash(name: HashName, data: bytes) -> bytes:
    """MTH({d(0)}) = HASH(0x00 || d(0)), RFC 6962 §2.1."""
    return _hasher(name)(_LEAF_PREFIX + data)


def node_hash(name: HashName, left: bytes, right: bytes) -> bytes:
    """HASH(0x01 || MTH(left) || MTH(right)), RFC 6962 §2.1."""
    return _hasher(name)(_NODE_PREFIX + left + right)


def empty_root(name: HashName) -> bytes:
    """MTH({}) = HASH(), the hash of the empty string, RFC 6962 §2.1."""
    return _hasher(name)(b"")


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1), RFC 6962 §2.1's k."""
    return 1 << ((n - 1).bit_length() - 1)


def root(name: HashName, leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of RFC 6962 §2.1 over ``leaves``, which are already leaf hashes.

    Computed bottom-up, level by level, in O(n) hashes and without recursion: pairing neighbours
    and carrying an odd last node up unchanged yields exactly the RFC's "split at the largest
    power of two below n" tree, because the left part of every RFC split is a perfect subtree and
    so is always closed off before the ragged right edge is reached.
    """
    if not leaves:
        return empty_root(name)
    h = _hasher(name)
    level = list(leaves)
    while len(level) > 1:
        # zip of the two strided slices drops an odd last node, which is then carried up as is.
        paired = [h(_NODE_PREFIX + a + b) for a, b in zip(level[0::2], level[1::2], strict=False)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def _check_size(leaves: Sequence[bytes], tree_size: int | None) -> int:
    n = len(leaves) if tree_size is None else tree_size
    if not 0 <= n <= len(leaves):
        raise ValueError(f"tree size {n} is outside 0..{len(leaves)}")
    return n


def inclusion_proof(
    name: HashName, leaves: Sequence[bytes], index: int, tree_size: int | None = None
) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1 (the audit path), leaf-side sibling first.

    ``tree_size`` (default ``len(leaves)``) proves inclusion in the prefix tree of that size.
    Iterative: walk down from the root choosing the half holding ``index`` and collect the other
    half's MTH; the RFC appends the top-level sibling last, hence the final reversal.
    """
    n = _check_size(leaves, tree_size)
    if not 0 <= index < n:
        raise ValueError(f"leaf index {index} is outside 0..{n - 1}")
    siblings: list[bytes] = []
    lo, hi = 0, n
    while hi - lo > 1:
        mid = lo + _split(hi - lo)
        if index < mid:
            siblings.append(root(name, leaves[mid:hi]))
            hi = mid
        else:
            siblings.append(root(name, leaves[lo:mid]))
            lo = mid
    siblings.reverse()
    return siblings


def consistency_proof(
    name: HashName, leaves: Sequence[bytes], old_size: int, tree_size: int | None = None
) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 6962 §2.1.2, innermost node first.

    ``tree_size`` (default ``len(leaves)``) is the newer size n; ``old_size`` must be 1..n
    (0 is rejected, see the module docstring). Iterative form of SUBPROOF: descend while m < n,
    remembering each opposite half's MTH; at the bottom (m == n) the subtree's own MTH is part
    of the proof unless it is the whole old tree (b is still true), which the verifier knows.
    """
    n = _check_size(leaves, tree_size)
    if not 1 <= old_size <= n:
        raise ValueError(f"old size {old_size} is outside 1..{n}")
    siblings: list[bytes] = []
    lo, hi, m, whole_old_tree = 0, n, old_size, True
    while m < hi - lo:
        k = _split(hi - lo)
        if m <= k:
            siblings.append(root(name, leaves[lo + k : hi]))
            hi = lo + k
        else:
            siblings.append(root(name, leaves[lo : lo + k]))
            lo, m, whole_old_tree = lo + k, m - k, False
    proof = [] if whole_old_tree else [root(name, leaves[lo:hi])]
    proof.extend(reversed(siblings))
    return proof


def _well_formed(*hashes_: bytes) -> bool:
    return all(isinstance(x, bytes) and len(x) == DIGEST_SIZE for x in hashes_)


def verify_inclusion(
    name: HashName,
    leaf: bytes,
    index: int,
    tree_size: int,
    proof: Sequence[bytes],
    expected_root: bytes,
) -> bool:
    """Whether ``proof`` shows leaf hash ``leaf`` at ``index`` of the tree with ``expected_root``.

    The RFC 9162 §2.1.3.2 algorithm, step by step; fn/sn track the node's index and the last
    index at the current level, so a proof of the wrong length or for the wrong position fails.
    """
    if not (0 <= index < tree_size and _well_formed(leaf, expected_root, *proof)):
        return False
    h = _hasher(name)
    fn, sn, r = index, tree_size - 1, leaf
    for p in proof:
        if sn == 0:
            return False  # more proof than tree: padding or a proof for another size
        if fn & 1 or fn == sn:
            r = h(_NODE_PREFIX + p + r)
            # A right-edge node with no right sibling is carried up: skip those levels.
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = h(_NODE_PREFIX + r + p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and hmac.compare_digest(r, expected_root)


def verify_consistency(
    name: HashName,
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> bool:
    """Whether ``proof`` shows the tree of ``new_root`` extends the tree of ``old_root``.

    Equal sizes need an empty proof and equal roots; otherwise the RFC 9162 §2.1.4.2 algorithm
    rebuilds both roots from one path. ``old_size`` 0 is rejected (see the module docstring).
    """
    if not (0 < old_size <= new_size and _well_formed(old_root, new_root, *proof)):
        return False
    if old_size == new_size:
        return not proof and hmac.compare_digest(old_root, new_root)
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        # A power-of-two old tree is a complete subtree of the new one, so the proof omits it.
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:  # climb to the old tree's last complete subtree (its rightmost full node)
        fn, sn = fn >> 1, sn >> 1
    fr, sr = _fold_consistency(_hasher(name), fn, sn, path)
    return (
        sr is not None and hmac.compare_digest(fr, old_root) and hmac.compare_digest(sr, new_root)
    )


def _fold_consistency(
    h: Callable[[bytes], bytes], fn: int, sn: int, path: list[bytes]
) -> tuple[bytes, bytes | None]:
    """Step 6-7 of RFC 9162 §2.1.4.2: fold ``path`` into (old root, new root); None on failure."""
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return fr, None  # more proof than tree
        if fn & 1 or fn == sn:
            fr = h(_NODE_PREFIX + c + fr)
            sr = h(_NODE_PREFIX + c + sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = h(_NODE_PREFIX + sr + c)  # a node only the new tree has, on the right
        fn, sn = fn >> 1, sn >> 1
    return fr, (sr if sn == 0 else None)


class MerkleTree:
    """An append-only list of leaf hashes with RFC 6962 roots and proofs for any prefix size.

    The ledger signs checkpoints of older sizes while it keeps growing, so every query takes an
    optional ``tree_size``. Nothing is cached: each root or proof costs O(size) hashes, which is
    fine at a checkpoint's pace; keep the interior nodes elsewhere if proofs become hot.
    """

    def __init__(self, name: HashName = HashName.SHA256, leaves: Sequence[bytes] = ()) -> None:
        self.name = HashName(name)
        self._leaves: list[bytes] = []
        for leaf in leaves:
            self.append(leaf)

    def append(self, leaf: bytes) -> int:
        """Add a leaf *hash* and return its index."""
        if not _well_formed(leaf):
            raise ValueError(f"a leaf hash is {DIGEST_SIZE} bytes")
        self._leaves.append(leaf)
        return len(self._leaves) - 1

    def append_entry(self, data: bytes) -> int:
        """Hash ``data`` as a leaf (RFC 6962 §2.1) and add it; return its index."""
        return self.append(leaf_hash(self.name, data))

    @property
    def size(self) -> int:
        return len(self._leaves)

    def leaf(self, index: int) -> bytes:
        return self._leaves[index]

    def _prefix(self, tree_size: int | None) -> list[bytes]:
        n = _check_size(self._leaves, tree_size)
        return self._leaves if n == len(self._leaves) else self._leaves[:n]

    def root(self, tree_size: int | None = None) -> bytes:
        """MTH of the first ``tree_size`` leaves (default: all), RFC 6962 §2.1."""
        return root(self.name, self._prefix(tree_size))

    def inclusion_proof(self, index: int, tree_size: int | None = None) -> list[bytes]:
        """PATH for leaf ``index`` in the tree of ``tree_size`` leaves, RFC 6962 §2.1.1."""
        return inclusion_proof(self.name, self._leaves, index, tree_size)

    def consistency_proof(self, old_size: int, tree_size: int | None = None) -> list[bytes]:
        """PROOF that ``tree_size`` (default: all) extends ``old_size``, RFC 6962 §2.1.2."""
        return consistency_proof(self.name, self._leaves, old_size, tree_size)
