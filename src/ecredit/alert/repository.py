"""Queries of the alert registry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.alert.schemas import AlertFilter
from ecredit.kit.paging import Page, PageRequest
from ecredit.models.alert import Alert
from ecredit.models.subject import Shop, Subject, SubjectKind

CHUNK = 500  # bound parameters per IN list, far below either database's limit


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def known_fingerprints(session: Session, fingerprints: Collection[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(fingerprints)):
        found.update(session.scalars(select(Alert.fingerprint).where(Alert.fingerprint.in_(chunk))))
    return found


def registered_platforms(session: Session, subject_ids: Collection[int]) -> set[int]:
    """Those of `subject_ids` that are registered subjects of the kind platform."""
    query = select(Subject.id).where(
        Subject.id.in_(sorted(subject_ids)), Subject.kind == SubjectKind.PLATFORM
    )
    return set(session.scalars(query)) if subject_ids else set()


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


def by_fingerprints(session: Session, fingerprints: Collection[str]) -> list[Alert]:
    found: list[Alert] = []
    for chunk in _chunks(sorted(fingerprints)):
        found.extend(session.scalars(select(Alert).where(Alert.fingerprint.in_(chunk))))
    return found


def newest_about_shops(
    session: Session, platform_id: int, detector: str, shop_codes: Collection[str]
) -> dict[str, int]:
    """The newest alert id of `detector` about each of the platform's shops named (if any)."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(shop_codes)):
        query = (
            select(Alert.shop_code, func.max(Alert.id))
            .where(Alert.platform_id == platform_id, Alert.detector == detector)
            .where(Alert.shop_code.in_(chunk))
            .group_by(Alert.shop_code)
        )
        found.update({code: alert_id for code, alert_id in session.execute(query) if code})
    return found
