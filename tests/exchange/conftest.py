"""Fixtures of the 双公示 exchange tests: organisations with codes, the record service, the app."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from ecredit.catalog.loader import load_catalog
from ecredit.models.org import Organisation, OrgKind
from ecredit.org.schemas import OrganisationCreate
from ecredit.org.service import organisation_service
from ecredit.record.service import RecordService
from tests.factories.api import api, client  # noqa: F401
from tests.factories.subjects import uscc_number, vault  # noqa: F401
from tests.support.cli import data_dir  # noqa: F401  (the CLI tests: a migrated SQLite file)


def department(
    session: Session,
    name: str,
    department: str | None = "commerce",
    kind: OrgKind = OrgKind.DEPARTMENT,
) -> Organisation:
    """An organisation with a unified social credit code (a 双公示 file names it)."""
    data = OrganisationCreate(name=name, kind=kind, department=department, uscc=uscc_number())
    return organisation_service.create(session, data)


@pytest.fixture
def records() -> RecordService:
    return RecordService(load_catalog())


@pytest.fixture
def commerce(session: Session) -> Organisation:
    return department(session, "本溪市商务局")


@pytest.fixture
def samr(session: Session) -> Organisation:
    return department(session, "本溪市市场监督管理局", "samr")


@pytest.fixture
def office(session: Session) -> Organisation:
    return department(session, "本溪市社会信用体系建设办公室", None, OrgKind.CREDIT_OFFICE)
