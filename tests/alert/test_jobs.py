"""`alert.raise_findings`: findings handed over as a job payload become alerts once."""

from __future__ import annotations

from sqlalchemy import func, select

from ecredit.alert.jobs import RAISE_JOB, finding_of, payload_of
from ecredit.jobs.registry import registry
from ecredit.jobs.service import JobService
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.alert import Alert
from tests.alert.conftest import market
from tests.factories.alerts import finding


class TestRaiseJob:
    def test_round_trips_finding_when_encoded(self) -> None:
        original = finding(7, "S1")
        assert finding_of(payload_of([original])["findings"][0]) == original

    def test_raises_once_when_job_runs_twice(self, db: Database, vault: Vault) -> None:
        runner = JobService(registry)
        with db.unit_of_work() as session:
            shops = market(session, vault)
            payload = payload_of([finding(shops.platform_id, shops.shop_code, key=("w",))])
            runner.enqueue(session, RAISE_JOB, payload)
            runner.enqueue(session, RAISE_JOB, payload)
        assert runner.run_due(db) == 2
        with db.unit_of_work() as session:
            alert = session.scalars(select(Alert)).one()
            assert alert.subject_id == shops.merchant_id
            assert session.scalar(select(func.count()).select_from(Alert)) == 1
