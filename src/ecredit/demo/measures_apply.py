"""The joint measures loop of the demo city: departments and platforms check listed merchants
before handling them (the check log, 响应) and report measures applied or not applied with a
reason (反馈), through the check and feedback services."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ecredit.demo.apply import CityBuilder
from ecredit.demo.plan import PLATFORMS, SAMR
from ecredit.kit.db import Database
from ecredit.kit.paging import PageRequest
from ecredit.listing.service import ListingService
from ecredit.measure.catalogue import load_measures
from ecredit.measure.check import Caller, CheckService
from ecredit.measure.loop import feedback_service
from ecredit.measure.runtime import CheckRuntime
from ecredit.measure.schemas import FeedbackCreate
from ecredit.models.listing import ListStatus
from ecredit.models.measure import FeedbackOutcome
from ecredit.models.org import Organisation
from ecredit.subject.service import subject_service

CHECKED = 12  # effective entries whose subjects are checked and reported on
NOT_APPLIED = "该商户已于检查前关闭店铺，措施无法实施"


def apply_measures(city: CityBuilder, db: Database) -> None:
    session = city.session
    checks = CheckService(load_measures(), CheckRuntime(db))
    entries = ListingService().queue(session, PageRequest(1, CHECKED), ListStatus.EFFECTIVE)
    callers = [city.orgs[SAMR], *(city.orgs[name] for name, _domain, _prefix in PLATFORMS)]
    for position, entry in enumerate(entries.items):
        subject = subject_service.get(session, entry.subject_id)
        if subject.uscc is None:
            continue
        for org in callers[: 1 + position % len(callers)]:
            caller = Caller(org.id, org.kind, org.department)
            result = checks.check(session, caller, subject.uscc, None)
            _report(session, checks, caller, org, entry.id, entry.list_kind, result.check_id,
                    position)  # fmt: skip
    checks.runtime.flush(session)


def _report(
    session: Session, checks: CheckService, caller: Caller, org: Organisation, entry_id: int,
    list_kind: str, check_id: str, position: int,
) -> None:  # fmt: skip
    """Report every measure the caller carries out; every fifth is not applied, with a reason."""
    for index, spec in enumerate(checks.catalogue.applicable(list_kind, org.kind, org.department)):
        skipped = (position + index) % 5 == 4
        data = FeedbackCreate(
            list_entry_id=entry_id, measure_code=spec.code, check_id=check_id,
            outcome=FeedbackOutcome.NOT_APPLIED if skipped else FeedbackOutcome.APPLIED,
            reason=NOT_APPLIED if skipped else None,
        )  # fmt: skip
        feedback_service.report(session, checks.catalogue, caller, data, f"org:{org.id}")
