"""The application under test: a TestClient on the test's rolled-back database, and API keys.

Fixtures here (`api`, `client`) are imported by the conftest of each test package that needs them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ecredit.app import create_app
from ecredit.authz.principals import Scope
from ecredit.config import Settings
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.org import OrgKind
from tests.factories import orgs


@dataclass
class Api:
    """A running app and what a test needs next to it."""

    app: FastAPI
    client: TestClient
    db: Database
    settings: Settings

    @property
    def vault(self) -> Vault:
        vault: Vault = self.app.state.vault
        return vault

    def key(
        self,
        scopes: Iterable[Scope] = tuple(Scope),
        kind: OrgKind = OrgKind.CREDIT_OFFICE,
        subject_id: int | None = None,
    ) -> str:
        """A new organisation of `kind` with one API key holding `scopes`; the plaintext key."""
        with self.db.unit_of_work() as session:
            org = orgs.organisation(session, kind, subject_id=subject_id)
            _key, plaintext = orgs.api_key(session, org, scopes)
        return plaintext

    def headers(self, *scopes: Scope, kind: OrgKind = OrgKind.CREDIT_OFFICE) -> dict[str, str]:
        return {"X-API-Key": self.key(scopes or tuple(Scope), kind)}


@contextmanager
def running_app(settings: Settings, db: Database) -> Iterator[Api]:
    app = create_app(settings, db=db, run_jobs=False)
    with TestClient(app) as client:
        yield Api(app, client, db, settings)


@pytest.fixture
def api(settings: Settings, db: Database) -> Iterator[Api]:
    with running_app(settings, db) as running:
        yield running


@pytest.fixture
def client(api: Api) -> TestClient:
    return api.client
