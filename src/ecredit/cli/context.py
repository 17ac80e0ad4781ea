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
from ecredit.config import Settings
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.kit.logs import configure_logging


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

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction, recorded as done by `cli:<os user>`."""
        with acting_as(f"cli:{getpass.getuser()}"), self.db.unit_of_work() as session:
            yield session


def load() -> Context:
    settings = Settings()
    configure_logging(json_lines=False, level="WARNING")
    return Context(settings)
