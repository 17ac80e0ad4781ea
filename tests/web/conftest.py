"""Portal fixtures: the app on the test database (both backends) and a browser-like client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.app import create_app
from ecredit.config import Settings
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database


@pytest.fixture
def app(settings: Settings, db: Database) -> FastAPI:
    return create_app(settings, db=db, run_jobs=False)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def vault(settings: Settings) -> Vault:
    return Vault.from_settings(settings)
