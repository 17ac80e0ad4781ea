"""What every command needs: settings, the database, the vault, and an acting identity."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.orm import Session

from ecredit.audit import changes
from ecredit.audit.context import acting_as
from ecredit.authz.principals import Principal, Scope
from ecredit.catalog.loader import load_catalog
from ecredit.config import Settings
from ecredit.kit.crypto import Vault, load_signing_key
from ecredit.kit.db import Database
from ecredit.kit.logs import configure_logging
from ecredit.kit.merkle import HashName
from ecredit.ledger.service import Signer
from ecredit.record.service import RecordService


@dataclass
class Context:
    settings: Settings

    @cached_property
    def db(self) -> Database:
        changes.install()
        return Database.from_url(self.settings.resolved_database_url)

    @cached_property
    def vault(self) -> Vault:
        return Vault.from_settings(self.settings)

    @cached_property
    def signer(self) -> Signer:
        """The ledger's checkpoint key (from settings, or data_dir, made on first use)."""
        return Signer(load_signing_key(self.settings))

    @cached_property
    def records(self) -> RecordService:
        """The record service as the server builds it (catalogue, ledger hash)."""
        return RecordService(
            load_catalog(self.settings.catalog_dir), HashName(self.settings.ledger_hash.value)
        )

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction, recorded as done by `cli:<os user>`."""
        with acting_as(actor()), self.db.unit_of_work() as session:
            yield session


def actor() -> str:
    """Who the CLI acts as: the operating-system user on the server."""
    return f"cli:{getpass.getuser()}"


def operator() -> Principal:
    """The operator on the server, acting for no organisation (any platform), every scope."""
    return Principal(actor=actor(), organisation_id=None, org_kind=None, scopes=frozenset(Scope))


def load() -> Context:
    settings = Settings()
    configure_logging(json_lines=False, level="WARNING")
    return Context(settings)
