"""Fixtures of the early-warning tests: a merchant and its platform, and the warning service on
a fixed clock (noon in Beijing of DAY)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.catalog.loader import load_catalog
from ecredit.jobs.events import FAN_OUT_JOB
from ecredit.kit.clock import FixedClock
from ecredit.kit.crypto import Vault
from ecredit.models.audit import TimelineEvent
from ecredit.models.jobs import Job
from ecredit.models.warning import SubjectWarning
from ecredit.warning.service import WarningService
from tests.factories import subjects as make
from tests.factories.api import api, client  # noqa: F401
from tests.factories.records import noon
from tests.factories.subjects import vault  # noqa: F401

DAY = date(2026, 6, 15)


@dataclass
class Scene:
    session: Session
    service: WarningService
    clock: FixedClock
    platform_id: int
    merchant_id: int

    @property
    def now(self) -> datetime:
        return self.clock.now()

    def days_ago(self, days: int) -> date:
        return self.service.today() - timedelta(days=days)

    def recompute(self) -> SubjectWarning:
        return self.service.recompute(self.session, self.merchant_id)

    def level_events(self) -> list[TimelineEvent]:
        query = select(TimelineEvent).where(
            TimelineEvent.entity == "subject", TimelineEvent.entity_id == self.merchant_id,
            TimelineEvent.kind == "warning_level_changed",
        )  # fmt: skip
        return list(self.session.scalars(query.order_by(TimelineEvent.id)))

    def emitted(self) -> list[dict[str, Any]]:
        jobs = self.session.scalars(select(Job).where(Job.name == FAN_OUT_JOB).order_by(Job.id))
        return [
            job.payload for job in jobs
            if job.payload["event_type"] == "warning.level_changed"
            and job.payload["subject_id"] == self.merchant_id
        ]  # fmt: skip


@pytest.fixture
def scene(session: Session, vault: Vault) -> Scene:  # noqa: F811
    clock = FixedClock(noon(DAY))
    platform, merchant = make.platform(session, vault), make.enterprise(session, vault)
    service = WarningService(load_catalog(), clock)
    return Scene(session, service, clock, platform.id, merchant.id)
