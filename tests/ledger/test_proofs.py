"""Inclusion and consistency proofs, checked offline with nothing but the public key bytes.

Hypothesis draws random histories (records appended in batches, checkpoints after some of them,
SHA-256 or SM3); each example runs in its own SAVEPOINT, rolled back at its end.
"""

from __future__ import annotations

import base64
import copy
import itertools
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from ecredit.kit.crypto import Vault
from ecredit.kit.ledger import verify_consistency_document, verify_inclusion_document
from ecredit.kit.merkle import HashName
from ecredit.ledger.service import Signer, ledger_service
from ecredit.models.ledger import Checkpoint
from tests.ledger.support import Ledgered

Document = dict[str, Any]

# (records in the batch, whether one submit each or one submit_batch, checkpoint after it?)
batches = st.lists(
    st.tuples(st.integers(1, 5), st.booleans(), st.booleans()), min_size=1, max_size=5
)
examples = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def grow(session: Session, ledgered: Ledgered, plan: list[tuple[int, bool, bool]]) -> list[int]:
    """Append as planned, with a checkpoint at the end; the ids of the records appended."""
    record_ids: list[int] = []
    for count, one_by_one, sign in plan:
        if one_by_one:
            record_ids += [record.id for record in ledgered.submit(session, count)]
        else:
            record_ids += ledgered.batch(session, count)
        if sign:
            ledgered.checkpoint(session)
    ledgered.checkpoint(session)
    return record_ids


def signed_sizes(plan: list[tuple[int, bool, bool]]) -> list[int]:
    """The tree sizes `grow` signs: after each batch marked so, and at the end (once)."""
    sizes = list(itertools.accumulate(count for count, _, _ in plan))
    signed = [size for size, (_, _, sign) in zip(sizes, plan, strict=True) if sign]
    return signed if signed and signed[-1] == sizes[-1] else [*signed, sizes[-1]]


def flip(encoded: str) -> str:
    """The same base64 value with its first byte changed."""
    raw = bytearray(base64.b64decode(encoded))
    raw[0] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def altered(document: Document, change: Callable[[Document], None]) -> Document:
    changed = copy.deepcopy(document)
    change(changed)
    return changed


def flipped_at(key: str, index: int) -> Callable[[Document], None]:
    """A change flipping one hash of a list of hashes (an audit path, a consistency proof)."""

    def change(document: Document) -> None:
        document[key][index] = flip(document[key][index])

    return change


INCLUSION_TAMPERING: dict[str, Callable[[Document], None]] = {
    "canonical": lambda d: d["entry"].update(
        canonical=d["entry"]["canonical"].replace('"amount":"', '"amount":"1')
    ),
    "leaf_index": lambda d: d.update(leaf_index=d["leaf_index"] + 1),
    "tree_size": lambda d: d["checkpoint"].update(tree_size=d["checkpoint"]["tree_size"] + 1),
    "root_hash": lambda d: d["checkpoint"].update(root_hash=flip(d["checkpoint"]["root_hash"])),
    "chain_hash": lambda d: d["checkpoint"].update(chain_hash="00" * 32),
    "signed_at": lambda d: d["checkpoint"].update(signed_at="2020-01-01T00:00:00+00:00"),
    "hash_name": lambda d: d["checkpoint"].update(
        hash_name="sm3" if d["checkpoint"]["hash_name"] == "sha256" else "sha256"
    ),
    "signature": lambda d: d["checkpoint"].update(signature=flip(d["checkpoint"]["signature"])),
}


class TestInclusionProof:
    @examples
    @given(plan=batches, hash_name=st.sampled_from(HashName))
    def test_verifies_offline_only_when_document_and_key_are_genuine(
        self, session: Session, vault: Vault, plan: list[tuple[int, bool, bool]],
        hash_name: HashName,
    ) -> None:  # fmt: skip
        savepoint = session.begin_nested()
        try:
            signer = Signer(Ed25519PrivateKey.generate())
            ledgered = Ledgered(vault, signer, hash_name)
            record_ids = grow(session, ledgered, plan)
            for record_id in record_ids:
                self._check(
                    ledgered.signer.public_key, ledger_service.inclusion(session, record_id)
                )
        finally:
            savepoint.rollback()

    def _check(self, public_key: bytes, document: Document) -> None:
        assert verify_inclusion_document(document, public_key) == (
            True,
            "included in the signed log",
        )
        other_key = Signer(Ed25519PrivateKey.generate()).public_key
        assert not verify_inclusion_document(document, other_key)[0]
        for field, change in INCLUSION_TAMPERING.items():
            assert not verify_inclusion_document(altered(document, change), public_key)[0], field
        for index in range(len(document["audit_path"])):
            forged = altered(document, flipped_at("audit_path", index))
            assert not verify_inclusion_document(forged, public_key)[0], f"audit_path[{index}]"


class TestConsistencyProof:
    @examples
    @given(plan=batches, hash_name=st.sampled_from(HashName))
    def test_verifies_offline_between_every_pair_of_checkpoints_only_when_genuine(
        self, session: Session, vault: Vault, plan: list[tuple[int, bool, bool]],
        hash_name: HashName,
    ) -> None:  # fmt: skip
        savepoint = session.begin_nested()
        try:
            ledgered = Ledgered(vault, Signer(Ed25519PrivateKey.generate()), hash_name)
            grow(session, ledgered, plan)
            signed = ledger_service.checkpoints(session)
            assert [c.tree_size for c in signed] == signed_sizes(plan)
            for old, new in itertools.combinations_with_replacement(signed, 2):
                self._check(ledgered.signer.public_key, session, old, new)
        finally:
            savepoint.rollback()

    def _check(self, public_key: bytes, session: Session, old: Checkpoint, new: Checkpoint) -> None:
        document = ledger_service.consistency(session, old.id, new.id)
        ok = (True, "the newer signed log extends the older one")
        assert verify_consistency_document(document, public_key) == ok
        other_key = Signer(Ed25519PrivateKey.generate()).public_key
        assert not verify_consistency_document(document, other_key)[0]
        older_root = altered(
            document, lambda d: d["old"].update(root_hash=flip(d["old"]["root_hash"]))
        )
        assert verify_consistency_document(older_root, public_key) == (
            False, f"checkpoint of size {old.tree_size}: signature does not verify",
        )  # fmt: skip
        for index in range(len(document["proof"])):
            forged = altered(document, flipped_at("proof", index))
            assert verify_consistency_document(forged, public_key) == (
                False, "the newer log does not extend the older one",
            ), f"proof[{index}]"  # fmt: skip
        if old.tree_size < new.tree_size:
            swapped = dict(document, old=document["new"], new=document["old"])
            assert not verify_consistency_document(swapped, public_key)[0]
