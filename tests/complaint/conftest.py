"""Fixtures of the complaint tests: a complaint service on a fixed clock, a merchant with a shop
on a platform that has a consumer fund, the department and the platform as principals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM, Principal
from ecredit.complaint.schemas import ComplaintCreate, ComplaintTransition, ReportCreate
from ecredit.complaint.service import ComplaintService
from ecredit.fund.schemas import ContributionCreate
from ecredit.fund.service import fund_service
from ecredit.kit.clock import FixedClock
from ecredit.kit.crypto import Vault
from ecredit.models.complaint import Complaint, ComplaintStatus
from ecredit.models.org import OrgKind
from ecredit.models.subject import Subject
from tests.factories import orgs
from tests.factories import subjects as make
from tests.factories.api import Api, api, client  # noqa: F401
from tests.factories.commitments import shop
from tests.factories.records import fixed_service, noon
from tests.factories.subjects import vault  # noqa: F401

FILED = date(2026, 9, 30)  # the last working day before National Day 2026
PHONE, NAME, ADDRESS = "13912345678", "欧阳娜娜", "平山区人民路88号3单元"


def complaint_data(merchant_id: int, **values: Any) -> ComplaintCreate:
    data: dict[str, Any] = {
        "respondent_subject_id": merchant_id, "category": "quality",
        "order_ref": "ORD-2026-0930-001", "amount": Decimal("399.00"),
        "description": "收到的电饭煲无法加热，商家拒绝退货。",
        "attachment_refs": ["photo:rice-cooker-1"], "name": NAME, "phone": PHONE,
        "address": ADDRESS,
    }  # fmt: skip
    return ComplaintCreate.model_validate(data | values)


def report_data(subject_id: int, anonymous: bool = False, **values: Any) -> ReportCreate:
    data: dict[str, Any] = {
        "respondent_subject_id": subject_id, "category": "fake_reviews",
        "description": "该店铺组织刷单，雇人发布虚假好评。", "anonymous": anonymous,
    }  # fmt: skip
    if not anonymous:
        data |= {"name": NAME, "phone": PHONE}
    return ReportCreate.model_validate(data | values)


@dataclass
class Desk:
    """The complaint service whose today is controlled, and who may call it."""

    session: Session
    vault: Vault
    complaints: ComplaintService
    clock: FixedClock
    department: Principal
    platform: Principal
    other_platform: Principal
    merchant: Subject
    platform_subject: Subject
    fund_id: int

    def on(self, day: date) -> None:
        self.clock.at = noon(day)

    def complaint(self, **values: Any) -> Complaint:
        return self.complaints.file_complaint(
            self.session, self.vault, complaint_data(self.merchant.id, **values)
        )

    def report(self, anonymous: bool = False) -> Complaint:
        data = report_data(self.merchant.id, anonymous)
        return self.complaints.file_report(self.session, self.vault, data)

    def move(
        self, complaint: Complaint, status: ComplaintStatus, by: Principal | None = None,
        **values: Any,
    ) -> Complaint:  # fmt: skip
        data = ComplaintTransition.model_validate({"status": status, "reason": "经查"} | values)
        return self.complaints.transition(
            self.session, complaint.tracking_no, data, by or self.department
        )


@pytest.fixture
def desk(session: Session, vault: Vault) -> Desk:  # noqa: F811
    records, clock = fixed_service(FILED)
    department = orgs.principal(orgs.organisation(session, OrgKind.DEPARTMENT))
    merchant = make.enterprise(session, vault)
    platform_subject, elsewhere = make.platform(session, vault), make.platform(session, vault)
    shop(session, platform_subject, merchant)
    platform, other = (
        orgs.principal(orgs.organisation(session, OrgKind.PLATFORM, subject_id=subject.id))
        for subject in (platform_subject, elsewhere)
    )
    fund = fund_service.create(session, SYSTEM, platform_subject.id)
    money = ContributionCreate(amount=Decimal("10000.00"), idempotency_key="seed")
    fund_service.contribute(session, SYSTEM, fund.id, money)
    return Desk(session, vault, ComplaintService(records), clock, department, platform, other,
                merchant, platform_subject, fund.id)  # fmt: skip
