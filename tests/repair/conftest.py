"""Fixtures of the repair tests: a repair service over a record service on a fixed clock, the
organisations that file and decide, and a merchant with a shop on a platform."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.authz.principals import Principal
from ecredit.kit.clock import FixedClock
from ecredit.kit.crypto import Vault
from ecredit.listing.service import listing_service
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.notice import Notice
from ecredit.models.org import OrgKind
from ecredit.models.record import CreditRecord
from ecredit.models.repair import CaseKind, CaseTarget, RepairCase
from ecredit.models.subject import Subject
from ecredit.record import views
from ecredit.record.schemas import RecordCreate
from ecredit.repair.schemas import CaseCreate
from ecredit.repair.service import RepairService
from tests.factories import orgs
from tests.factories import records as rec
from tests.factories import subjects as make
from tests.factories.api import Api, api, client  # noqa: F401
from tests.factories.commitments import shop
from tests.factories.records import fixed_service, noon
from tests.factories.subjects import vault  # noqa: F401

TODAY = date(2026, 9, 30)  # the day before National Day: deadlines cross the holiday
DECIDED = date(2026, 3, 2)  # a general penalty decided here may be repaired from 2026-06-03


@dataclass
class Desk:
    """A repair service whose today is controlled, and who may call it."""

    session: Session
    vault: Vault
    repairs: RepairService
    clock: FixedClock
    office: Principal
    department: Principal
    platform: Principal
    merchant: Subject

    def on(self, day: date) -> None:
        self.clock.at = noon(day)

    def record(self, data: RecordCreate | None = None, by: Principal | None = None) -> int:
        data = data or rec.penalty(self.merchant.id, DECIDED)
        return self.repairs.records.submit(self.session, data, by or self.department).id

    def file(
        self,
        kind: CaseKind = CaseKind.REPAIR,
        record_id: int | None = None,
        by: Principal | None = None,
        **values: Any,
    ) -> RepairCase:
        data = case_data(kind, record_id or self.record(), **values)
        return self.repairs.file(self.session, data, by or self.office)

    def list_entry(self, status: ListStatus = ListStatus.EFFECTIVE) -> ListEntry:
        entry = ListEntry(
            subject_id=self.merchant.id, list_kind="ecommerce_serious_dishonesty",
            status=status, origin="decision", reason="严重失信", effective_from=DECIDED,
        )  # fmt: skip
        self.session.add(entry)
        self.session.flush()
        return entry

    def public_ids(self) -> list[int]:
        records = self.repairs.records
        states = records.file(self.session, self.merchant.id)
        public = views.public_file(
            self.session, records.catalog, self.merchant.id, states, records.today()
        )
        return [r.id for g in public.groups for r in g.records]

    def notices(self, case: RepairCase) -> list[str]:
        query = select(Notice.title).where(
            Notice.entity == "repair_case", Notice.entity_id == case.id
        )
        return list(self.session.scalars(query.order_by(Notice.id)))

    def count(self, model: type[Any]) -> int:
        return self.session.scalar(select(func.count()).select_from(model)) or 0


def case_data(kind: CaseKind, record_id: int, **values: Any) -> CaseCreate:
    data: dict[str, Any] = {
        "kind": kind,
        "target": CaseTarget.RECORD,
        "record_id": record_id,
        "grounds": "已全额缴纳罚款并完成整改" if kind is CaseKind.REPAIR else "处罚对象认定错误",
        "evidence_refs": ["receipt:2026-0001"],
    }
    return CaseCreate(**(data | values))


@pytest.fixture
def desk(session: Session, vault: Vault, monkeypatch: pytest.MonkeyPatch) -> Desk:  # noqa: F811
    records, clock = fixed_service(TODAY)
    # The listing service dates a removal by its own clock: the same fixed day here.
    monkeypatch.setattr(listing_service, "clock", clock)
    office, department = (
        orgs.principal(orgs.organisation(session, kind))
        for kind in (OrgKind.CREDIT_OFFICE, OrgKind.DEPARTMENT)
    )
    merchant = make.enterprise(session, vault)
    platform_subject = make.platform(session, vault)
    shop(session, platform_subject, merchant)
    platform = orgs.principal(
        orgs.organisation(session, OrgKind.PLATFORM, subject_id=platform_subject.id)
    )
    return Desk(session, vault, RepairService(records), clock, office, department, platform,
                merchant)  # fmt: skip


def record_rows(session: Session, root_id: int) -> list[CreditRecord]:
    query = select(CreditRecord).where(
        (CreditRecord.id == root_id) | (CreditRecord.amends_id == root_id)
    )
    return list(session.scalars(query.order_by(CreditRecord.id)))
