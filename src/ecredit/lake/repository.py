"""Queries of the lake's batch registry."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecredit.kit.paging import Page, PageRequest
from ecredit.models.lake import LakeBatch


def by_key(session: Session, platform_id: int, dataset: str, batch_key: str) -> LakeBatch | None:
    return session.scalar(
        select(LakeBatch).where(
            LakeBatch.platform_id == platform_id,
            LakeBatch.dataset == dataset,
            LakeBatch.batch_key == batch_key,
        )
    )


def page(
    session: Session, request: PageRequest, platform_id: int | None, dataset: str | None
) -> Page[LakeBatch]:
    """Batches newest first, of one platform and dataset when given."""
    query = select(LakeBatch)
    if platform_id is not None:
        query = query.where(LakeBatch.platform_id == platform_id)
    if dataset is not None:
        query = query.where(LakeBatch.dataset == dataset)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = session.scalars(
        query.order_by(LakeBatch.id.desc()).offset(request.offset).limit(request.size)
    ).all()
    return Page(list(items), total, request.page, request.size)
