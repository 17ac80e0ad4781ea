"""Ledger primitives anyone can use offline: canonical JSON, checkpoints and their signatures,
and verification of inclusion and consistency proofs with nothing but the public key.

This module depends only on the standard library, `cryptography` and `kit.merkle`, so it can be
copied out and run by a subject or an auditor who trusts nothing of ours but the public key. The
algorithm is written out in docs/ledger.md.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ecredit.kit import merkle
from ecredit.kit.merkle import HashName

CHECKPOINT_ORIGIN = "ecredit-ledger/v1"


def canonical_json(value: dict[str, Any]) -> bytes:
    """Sorted keys, no insignificant white space, UTF-8: one byte string per value.

    Values are limited to strings, integers, booleans, null, lists and objects (decimals and
    dates are written as strings by the caller), so no float formatting question arises.
    """
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def chain_next(name: HashName, previous: bytes, leaf: bytes) -> bytes:
    """chain_n = H(chain_{n-1} || leaf_n); chain_0 is 32 zero bytes."""
    return merkle.digest(name, previous + leaf)


GENESIS_CHAIN = bytes(32)


@dataclass(frozen=True)
class CheckpointBody:
    """What a checkpoint signs: the log's size, Merkle root and chain head at one moment."""

    hash_name: HashName
    tree_size: int
    root_hash: bytes
    chain_hash: bytes
    signed_at: str  # ISO 8601 UTC

    def note(self) -> bytes:
        """The exact bytes signed (a signed-note style text, one field per line)."""
        lines = [
            CHECKPOINT_ORIGIN,
            self.hash_name.value,
            str(self.tree_size),
            base64.b64encode(self.root_hash).decode(),
            self.chain_hash.hex(),
            self.signed_at,
        ]
        return ("\n".join(lines) + "\n").encode()


def key_id(public_key: bytes) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def public_key_bytes(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def sign_checkpoint(private_key: Ed25519PrivateKey, body: CheckpointBody) -> bytes:
    return private_key.sign(body.note())


def verify_checkpoint(public_key: bytes, body: CheckpointBody, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, body.note())
    except (InvalidSignature, ValueError):
        return False
    return True


class CompactRange:
    """The roots of the perfect subtrees covering a growing log (RFC 6962's tree shape): append
    leaves one by one and ask for the root of the log so far in O(log n), in one pass."""

    def __init__(self, name: HashName) -> None:
        self.name = name
        self.size = 0
        self._stack: list[tuple[int, bytes]] = []  # (height, subtree root), left to right

    def append(self, leaf: bytes) -> None:
        height, node = 0, leaf
        while self._stack and self._stack[-1][0] == height:
            _, left = self._stack.pop()
            node, height = merkle.node_hash(self.name, left, node), height + 1
        self._stack.append((height, node))
        self.size += 1

    def root(self) -> bytes:
        if not self._stack:
            return merkle.empty_root(self.name)
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = merkle.node_hash(self.name, left, node)
        return node


def verify_inclusion_document(document: dict[str, Any], public_key: bytes) -> tuple[bool, str]:
    """Check an inclusion proof as served by `GET /api/v1/ledger/records/{id}/proof`.

    Steps: (1) the checkpoint's signature verifies with the public key; (2) the leaf hash is
    H(0x00 || canonical entry); (3) the audit path leads from that leaf to the signed root.
    Returns (ok, reason).
    """
    try:
        body = _checkpoint_body(document["checkpoint"])
        signature = base64.b64decode(document["checkpoint"]["signature"])
        canonical = document["entry"]["canonical"].encode("utf-8")
        index = int(document["leaf_index"])
        path = [base64.b64decode(item) for item in document["audit_path"]]
    except (KeyError, TypeError, ValueError) as exc:
        return False, f"malformed proof document: {exc}"
    if not verify_checkpoint(public_key, body, signature):
        return False, "checkpoint signature does not verify with this public key"
    leaf = merkle.leaf_hash(body.hash_name, canonical)
    if not merkle.verify_inclusion(
        body.hash_name, leaf, index, body.tree_size, path, body.root_hash
    ):
        return False, "audit path does not lead to the signed root"
    return True, "included in the signed log"


def verify_consistency_document(document: dict[str, Any], public_key: bytes) -> tuple[bool, str]:
    """Check a consistency proof between two signed checkpoints (the older is a prefix)."""
    try:
        old = _checkpoint_body(document["old"])
        new = _checkpoint_body(document["new"])
        old_signature = base64.b64decode(document["old"]["signature"])
        new_signature = base64.b64decode(document["new"]["signature"])
        proof = [base64.b64decode(item) for item in document["proof"]]
    except (KeyError, TypeError, ValueError) as exc:
        return False, f"malformed proof document: {exc}"
    for body, signature in ((old, old_signature), (new, new_signature)):
        if not verify_checkpoint(public_key, body, signature):
            return False, f"checkpoint of size {body.tree_size}: signature does not verify"
    if old.hash_name != new.hash_name:
        return False, "the two checkpoints use different hash functions"
    consistent = merkle.verify_consistency(
        old.hash_name, old.tree_size, new.tree_size, old.root_hash, new.root_hash, proof
    )
    if not consistent:
        return False, "the newer log does not extend the older one"
    return True, "the newer signed log extends the older one"


def _checkpoint_body(data: dict[str, Any]) -> CheckpointBody:
    return CheckpointBody(
        hash_name=HashName(data["hash_name"]),
        tree_size=int(data["tree_size"]),
        root_hash=base64.b64decode(data["root_hash"]),
        chain_hash=bytes.fromhex(data["chain_hash"]),
        signed_at=str(data["signed_at"]),
    )
