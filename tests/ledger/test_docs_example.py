"""docs/verify_proof_example.py, the standalone checker in docs/ledger.md, against real proofs."""

from __future__ import annotations

import base64
import json
import runpy
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from ecredit.kit.crypto import Vault
from ecredit.kit.merkle import HashName
from ecredit.ledger.service import Signer, ledger_service
from tests.ledger.support import Ledgered

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXAMPLE = DOCS / "verify_proof_example.py"
Verify = Callable[[dict[str, Any], bytes], bool]


@pytest.fixture(scope="module")
def example_verify() -> Verify:
    namespace = runpy.run_path(str(EXAMPLE))  # not as __main__: only the definitions
    function: Verify = namespace["verify"]
    return function


def proofs(session: Session, vault: Vault, hash_name: HashName) -> tuple[list[Any], bytes]:
    """Proof documents of seven records (two checkpoints), and the public key."""
    ledgered = Ledgered(vault, Signer(Ed25519PrivateKey.generate()), hash_name)
    records = ledgered.submit(session, 4)
    ledgered.checkpoint(session)
    ledgered.batch(session, 3)
    ledgered.checkpoint(session)
    documents = [ledger_service.inclusion(session, record.id) for record in records]
    # Through JSON, as a downloaded proof would be.
    return json.loads(json.dumps(documents)), ledgered.signer.public_key


class TestStandaloneExample:
    @pytest.mark.parametrize("hash_name", list(HashName))
    def test_accepts_every_genuine_proof_when_given_the_platform_key(
        self, session: Session, vault: Vault, example_verify: Verify, hash_name: HashName
    ) -> None:
        documents, public_key = proofs(session, vault, hash_name)
        assert [example_verify(document, public_key) for document in documents] == [True] * 4

    def test_rejects_proof_when_entry_or_path_or_key_is_wrong(
        self, session: Session, vault: Vault, example_verify: Verify
    ) -> None:
        documents, public_key = proofs(session, vault, HashName.SHA256)
        entry = json.loads(json.dumps(documents[0]))
        entry["entry"]["canonical"] = entry["entry"]["canonical"].replace(
            '"amount":"', '"amount":"9'
        )
        assert example_verify(entry, public_key) is False
        path = json.loads(json.dumps(documents[1]))
        path["audit_path"][0] = base64.b64encode(bytes(32)).decode()
        assert example_verify(path, public_key) is False
        with pytest.raises(InvalidSignature):
            example_verify(documents[2], Signer(Ed25519PrivateKey.generate()).public_key)

    def test_prints_included_when_run_as_a_script_on_a_saved_proof(
        self, session: Session, vault: Vault, tmp_path: Path
    ) -> None:
        documents, public_key = proofs(session, vault, HashName.SHA256)
        saved = tmp_path / "proof.json"
        saved.write_text(json.dumps(documents[3]), encoding="utf-8")
        key = base64.b64encode(public_key).decode()

        result = subprocess.run(
            [sys.executable, str(EXAMPLE), str(saved), key],
            capture_output=True, text=True, check=False, cwd=tmp_path,
        )  # fmt: skip

        assert (result.returncode, result.stdout.strip()) == (0, "included"), result.stderr

    def test_page_shows_the_tested_code_when_docs_quote_the_example(self) -> None:
        source = EXAMPLE.read_text(encoding="utf-8")
        quoted = source[source.index("def digest") : source.index("\n\nif __name__")]
        assert quoted in (DOCS / "ledger.md").read_text(encoding="utf-8")
