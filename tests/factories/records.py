"""Credit records: valid submissions of each kind of type, and a record service on a fixed clock."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from ecredit.catalog.loader import load_catalog
from ecredit.kit.clock import SHANGHAI, FixedClock, local_date
from ecredit.models.record import PenaltyKind, Severity
from ecredit.record.schemas import RecordCreate
from ecredit.record.service import RecordService

_serial = itertools.count(1)
BASIS = "《中华人民共和国电子商务法》第七十七条"


def noon(day: date) -> datetime:
    """Noon of `day` in Beijing, as the UTC instant a clock returns."""
    return datetime.combine(day, time(12), tzinfo=SHANGHAI).astimezone(UTC)


def fixed_service(day: date) -> tuple[RecordService, FixedClock]:
    """The real record service whose `today()` is `day` (move it with `clock.at = noon(...)`)."""
    clock = FixedClock(noon(day))
    return RecordService(load_catalog(), clock=clock), clock


def beijing_today() -> date:
    return local_date(datetime.now(UTC))


def _who(subject: int | str) -> dict[str, Any]:
    """A subject by id (int) or by unified social credit code (str)."""
    return {"subject_code": subject} if isinstance(subject, str) else {"subject_id": subject}


def decision_no() -> str:
    return f"本市监罚〔2026〕{next(_serial)}号"


def penalty(subject: int | str, decision_date: date, **values: Any) -> RecordCreate:
    """An administrative penalty (双公示), general severity unless told otherwise."""
    data: dict[str, Any] = {
        **_who(subject),
        "type_code": "administrative_penalty",
        "severity": Severity.GENERAL,
        "legal_basis": BASIS,
        "decision_no": decision_no(),
        "decision_date": decision_date,
        "penalty_kind": PenaltyKind.FINE,
        "amount": Decimal("5000.00"),
        "summary": "虚构交易、编造用户评价",
    }
    return RecordCreate(**(data | values))


def samr_penalty(
    subject: int | str, kind: PenaltyKind, decision_date: date, **values: Any
) -> RecordCreate:
    values = {"type_code": "samr_penalty", "penalty_kind": kind} | values
    return penalty(subject, decision_date, **values)


def dishonest(
    subject: int | str, decision_date: date, type_code: str = "order_brushing", **values: Any
) -> RecordCreate:
    """A dishonest behaviour as a platform reports it (no decision number needed)."""
    data: dict[str, Any] = {
        **_who(subject),
        "type_code": type_code,
        "decision_date": decision_date,
        "evidence_refs": ["orders:2026-03/brushing-ring-17"],
        "summary": "组织虚假交易刷单",
    }
    return RecordCreate(**(data | values))


def honour(subject: int | str, decision_date: date, **values: Any) -> RecordCreate:
    data: dict[str, Any] = {
        **_who(subject),
        "type_code": "honour_award",
        "decision_no": f"本信用办表〔2026〕{next(_serial)}号",
        "decision_date": decision_date,
        "summary": "诚信示范网店",
    }
    return RecordCreate(**(data | values))


def judgment_debtor(
    subject: int | str, decision_date: date, valid_until: date | None, **values: Any
) -> RecordCreate:
    data: dict[str, Any] = {
        **_who(subject),
        "type_code": "dishonest_judgment_debtor",
        "decision_no": f"（2026）辽0502执{next(_serial)}号",
        "decision_date": decision_date,
        "legal_basis": "《中华人民共和国民事诉讼法》第二百六十六条",
        "valid_until": valid_until,
    }
    return RecordCreate(**(data | values))
