"""Queries of the alert registry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.alert.schemas import AlertFilter
from ecredit.kit.paging import Page, PageRequest
from ecredit.models.alert import Alert
from ecredit.models.subject import Shop

CHUNK = 500  # bound parameters per IN list, far below either database's limit


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def known_fingerprints(session: Session, fingerprints: Collection[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(fingerprints)):
        found.update(session.scalars(select(Alert.fingerprint).where(Alert.fingerprint.in_(chunk))))
    return found


def shops(session: Session, pairs: Collection[tuple[int, str]]) -> dict[tuple[int, str], Shop]:
    """Registered shops by (platform id, the platform's shop code)."""
    codes: dict[int, list[str]] = defaultdict(list)
    for platform_id, code in pairs:
        codes[platform_id].append(code)
    found: dict[tuple[int, str], Shop] = {}
    for platform_id, wanted in codes.items():
        for chunk in _chunks(sorted(set(wanted))):
            query = select(Shop).where(Shop.platform_id == platform_id, Shop.shop_code.in_(chunk))
            found.update({(platform_id, shop.shop_code): shop for shop in session.scalars(query)})
    return found


def locked(session: Session, alert_id: int) -> Alert | None:
    """The alert, locked until commit: two reviewers cannot both decide it."""
    query = select(Alert).where(Alert.id == alert_id).with_for_update()
    return session.scalar(query.execution_options(populate_existing=True))


def page(session: Session, request: PageRequest, where: AlertFilter) -> Page[Alert]:
    """Alerts newest first, narrowed by every filter given."""
    query = select(Alert)
    for name, value in where.model_dump(exclude_none=True).items():
        query = query.where(getattr(Alert, name) == value)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Alert.id.desc()).offset(request.offset).limit(request.size)
    )
    return Page(list(rows), total, request.page, request.size)
