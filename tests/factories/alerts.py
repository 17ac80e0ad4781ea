"""Findings as detectors make them, and shops to match them against."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from ecredit.authz.principals import SYSTEM
from ecredit.detection.finding import Finding
from ecredit.models.subject import Shop, Subject
from ecredit.subject.schemas import ShopCreate
from ecredit.subject.service import subject_service

_serial = itertools.count(1)


def shop(session: Session, platform: Subject, merchant: Subject, code: str | None = None) -> Shop:
    code = code or f"SHOP{next(_serial)}"
    data = ShopCreate(platform_id=platform.id, merchant_id=merchant.id, shop_code=code,
                      name=f"测试店{merchant.id}")  # fmt: skip
    return subject_service.add_shop(session, data, SYSTEM)


def finding(platform_id: int, shop_code: str | None, **values: Any) -> Finding:
    """A brushing finding over one hour with a few orders as evidence."""
    start = datetime(2026, 3, 1, 10, tzinfo=UTC)
    base: dict[str, Any] = {
        "detector": "brushing", "platform_id": platform_id, "shop_code": shop_code,
        "record_type": "order_brushing", "score": 0.93,
        "key": (start.isoformat(), f"k{next(_serial)}"),
        "window_start": start, "window_end": start.replace(hour=11),
        "evidence": {"orders": ["o1", "o2", "o3"], "buyers": 3, "share_of_window": 0.8},
    }  # fmt: skip
    return Finding(**(base | values))
