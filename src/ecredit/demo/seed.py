"""`seed_demo`: a plausible city — government, platforms, carriers, agencies, makers and about
two thousand merchants, with their credit records and commitments, evaluations, red, black and
watch list entries in every state, the joint measures loop, objections and repairs, products
with their trace chains and one recalled batch, complaints and reports with advance
compensation from the platforms' funds — created in one unit of work through the real
services, then one signed ledger checkpoint. Given a lake, the platforms also upload a month of
orders, shipments, reviews, traffic and prices with planted fraud (demo.lake_plan), which the
first detector run turns into alerts about the city's merchants.

No webhook subscription is seeded: one pointing at an unreachable receiver would queue a
failing delivery (and its retries) for every list change as soon as a worker runs.

Planning (`demo.city.plan_city`, `demo.credit_plan.plan_credit`) is pure and seeded, so names,
codes and records are the same on every run with the same seed and anchor date; passwords and
API keys are fresh random secrets each time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecredit.audit.context import acting_as
from ecredit.catalog.loader import load_catalog
from ecredit.commitment.templates import TemplateBook, load_templates
from ecredit.demo.apply import CityBuilder, Progress
from ecredit.demo.cases_apply import CaseBuilder
from ecredit.demo.city import plan_city
from ecredit.demo.complaints_apply import ComplaintBuilder
from ecredit.demo.credentials import DemoCredentials
from ecredit.demo.credit_apply import CreditBuilder
from ecredit.demo.credit_plan import plan_credit
from ecredit.demo.lake_apply import LakeBuilder, detect_soon
from ecredit.demo.lake_plan import plan_lake
from ecredit.demo.lists_apply import ListBuilder
from ecredit.demo.measures_apply import apply_measures
from ecredit.demo.plan import CREDIT_OFFICE
from ecredit.demo.shipments import ShipmentBuilder
from ecredit.demo.trace_apply import TraceBuilder
from ecredit.kit.clock import local_date
from ecredit.kit.crypto import Vault
from ecredit.kit.db import Database
from ecredit.lake.store import LakeStore
from ecredit.ledger.service import Signer, ledger_service
from ecredit.models.org import Organisation
from ecredit.record.service import RecordService

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
    signer: Signer | None = None,
    anchor: date | None = None,
    records: RecordService | None = None,
    templates: TemplateBook | None = None,
    lake: LakeStore | None = None,
) -> DemoCredentials:
    """Create the demo city; returns the staff passwords and API keys (shown once).

    `anchor` is the day the records count back from (default: today in Beijing); `records`
    and `templates` carry the configured catalogue and ledger hash (default: packaged ones).
    With a `signer`, the ledger gets a signed checkpoint covering every seeded record; with a
    `lake`, the platforms upload the month before the anchor into it."""
    plan = plan_city(merchants, seed)
    anchor = anchor or local_date(datetime.now(UTC))
    records = records or RecordService(load_catalog())
    credentials = DemoCredentials()
    with acting_as(ACTOR), db.unit_of_work() as session:
        city = CityBuilder(session, vault, credentials)
        city.apply(plan, progress)
        credit_plan = plan_credit(plan, seed, anchor)
        credit = CreditBuilder(city, records, templates or load_templates(), anchor)
        credit.apply(credit_plan)
        lists = ListBuilder(city, records.catalog, anchor)
        lists.apply()
        apply_measures(city, db)
        CaseBuilder(city, records, anchor).apply()
        TraceBuilder(city, anchor, seed).apply()
        ComplaintBuilder(city, records, anchor).apply()
        ShipmentBuilder(city, anchor, seed).apply()
        lists.evaluate(0)  # today's grades, after the repairs and corrections
        if lake is not None:  # late: its files are written at once, outside the transaction
            LakeBuilder(session, lake, seed).apply(plan_lake(plan, credit_plan, anchor))
            detect_soon(session)
        if signer is not None:
            ledger_service.checkpoint(session, signer, records.ledger_hash)
    return credentials
