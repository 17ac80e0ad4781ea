"""The application's services as the portal reaches them, all on one clock.

The portal's "today" is the record service's today (`app.state.records.clock`): deadlines,
urgency colours, publicity and list moves all read the same day, so a test that fixes the
record service's clock fixes every page (and a deployment uses the system clock throughout).
"""

from __future__ import annotations

from datetime import date

from starlette.requests import Request

from ecredit.listing.service import ListingService
from ecredit.measure.check import CheckService
from ecredit.record.service import RecordService
from ecredit.repair.deps import get_repairs
from ecredit.repair.service import RepairService
from ecredit.scoring.deps import get_scoring
from ecredit.scoring.service import ScoringService


def records_service(request: Request) -> RecordService:
    records: RecordService = request.app.state.records
    return records


def today(request: Request) -> date:
    """The portal's today (Beijing), from the record service's clock."""
    return records_service(request).today()


def scoring(request: Request) -> ScoringService:
    """The scoring service the API uses (built once, on the records' catalogue and clock)."""
    return get_scoring(request)


def listing(request: Request) -> ListingService:
    """`app.state.listing` when set (as the API uses it), else one on the records' clock."""
    service = getattr(request.app.state, "listing", None)
    if isinstance(service, ListingService):
        return service
    return ListingService(clock=records_service(request).clock)


def repairs(request: Request) -> RepairService:
    return get_repairs(request)


def checks(request: Request) -> CheckService:
    service: CheckService = request.app.state.checks
    return service
