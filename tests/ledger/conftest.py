"""Fixtures of the ledger tests: the vault, the running app, a signer and a record writer."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ecredit.kit.crypto import Vault
from ecredit.ledger.service import Signer
from tests.factories.api import api, client  # noqa: F401
from tests.factories.subjects import vault  # noqa: F401
from tests.ledger.support import Ledgered


@pytest.fixture
def signer() -> Signer:
    return Signer(Ed25519PrivateKey.generate())


@pytest.fixture
def ledgered(vault: Vault, signer: Signer) -> Ledgered:  # noqa: F811 - the imported fixture
    return Ledgered(vault, signer)
