"""Credit commitments: a commitment service on a fixed day, platforms with their merchants."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM, Principal
from ecredit.catalog.loader import load_catalog
from ecredit.commitment.schemas import BreachCreate
from ecredit.commitment.service import CommitmentService
from ecredit.commitment.templates import load_templates
from ecredit.kit.clock import SHANGHAI, FixedClock
from ecredit.kit.crypto import Vault
from ecredit.models.commitment import Commitment
from ecredit.models.org import OrgKind
from ecredit.models.subject import Subject
from ecredit.record.service import RecordService
from ecredit.subject.schemas import ShopCreate
from ecredit.subject.service import subject_service
from tests.factories import orgs
from tests.factories import subjects as make

DAY = date(2026, 3, 2)  # a Monday; every test of the service runs "today" on this day
_serial = itertools.count(1)


def service_on(day: date = DAY) -> CommitmentService:
    """The real commitment and record services, whose `today()` is `day` in Beijing."""
    clock = FixedClock(datetime.combine(day, time(12), tzinfo=SHANGHAI).astimezone(UTC))
    return CommitmentService(load_templates(), RecordService(load_catalog(), clock=clock))


def breach_data(**values: object) -> BreachCreate:
    data: dict[str, object] = {
        "summary": "拒绝为消费者办理七日无理由退货",
        "evidence_refs": [f"complaint:2026-{next(_serial)}"],
    }
    return BreachCreate.model_validate(data | values)


def sign(
    service: CommitmentService,
    session: Session,
    subject: Subject,
    code: str = "ecommerce_merchant",
    by: Principal = SYSTEM,
    **params: int | str,
) -> Commitment:
    return service.sign(session, subject.id, code, params, None, by)


def shop(session: Session, platform: Subject, merchant: Subject) -> None:
    data = ShopCreate(
        platform_id=platform.id,
        merchant_id=merchant.id,
        shop_code=f"S{next(_serial)}",
        name=f"测试旗舰店{merchant.id}",
    )
    subject_service.add_shop(session, data, SYSTEM)


def platform_with_merchant(session: Session, vault: Vault) -> tuple[Principal, Subject]:
    """(a platform's principal, a merchant with a shop on that platform)."""
    platform = make.platform(session, vault)
    merchant = make.enterprise(session, vault)
    shop(session, platform, merchant)
    org = orgs.organisation(session, OrgKind.PLATFORM, subject_id=platform.id)
    return orgs.principal(org), merchant
