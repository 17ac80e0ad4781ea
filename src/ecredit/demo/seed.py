"""`seed_demo`: a plausible city — government, platforms, carriers, agencies, makers and about
two thousand merchants — created in one unit of work through the real services.

Planning (`demo.city.plan_city`) is pure and seeded, so names and codes are the same on every
run with the same seed; passwords and API keys are fresh random secrets each time.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.audit.context import acting_as
from ecredit.demo.apply import CityBuilder, Progress
from ecredit.demo.city import plan_city
from ecredit.demo.credentials import DemoCredentials
from ecredit.demo.plan import CREDIT_OFFICE
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.models.org import Organisation

ACTOR = "demo-seed"


def is_seeded(session: Session) -> bool:
    """The demo city exists when its credit office does."""
    found = session.scalar(select(Organisation.id).where(Organisation.name == CREDIT_OFFICE))
    return found is not None


def seed_demo(
    db: Database,
    vault: Vault,
    merchants: int = 2000,
    seed: int = 2017,
    progress: Progress | None = None,
) -> DemoCredentials:
    """Create the demo city; returns the staff passwords and API keys (shown once)."""
    plan = plan_city(merchants, seed)
    credentials = DemoCredentials()
    with acting_as(ACTOR), db.unit_of_work() as session:
        CityBuilder(session, vault, credentials).apply(plan, progress)
    return credentials
