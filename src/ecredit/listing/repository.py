"""Every query of list entries and notices."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from ecredit.kit.paging import Page, PageRequest
from ecredit.models.listing import ListEntry, ListStatus
from ecredit.models.notice import Notice
from ecredit.models.subject import Subject, SubjectKind

# An entry that still stands or may still come to stand (the idempotency of proposals).
LIVE = frozenset(
    {ListStatus.PROPOSED, ListStatus.UNDER_REVIEW, ListStatus.PUBLICISED, ListStatus.EFFECTIVE}
)
# What the public sees of a list: members, and proposals open for objections.
SHOWN = (ListStatus.PUBLICISED, ListStatus.EFFECTIVE)


@dataclass(frozen=True)
class PublicFilter:
    q: str | None = None
    region: str | None = None
    subject_kind: SubjectKind | None = None


class ListEntryRepository:
    def get(self, session: Session, entry_id: int) -> ListEntry | None:
        return session.get(ListEntry, entry_id)

    def live(self, session: Session, subject_id: int, list_kind: str) -> ListEntry | None:
        query = select(ListEntry).where(
            ListEntry.subject_id == subject_id,
            ListEntry.list_kind == list_kind,
            ListEntry.status.in_(LIVE),
        )
        return session.scalars(query.limit(1)).first()

    def of_subject(self, session: Session, subject_id: int) -> list[ListEntry]:
        query = select(ListEntry).where(ListEntry.subject_id == subject_id)
        return list(session.scalars(query.order_by(ListEntry.id)))

    def from_records(self, session: Session, record_ids: Collection[int]) -> set[tuple[str, int]]:
        """(list kind, source record) of every entry ever proposed from these records."""
        if not record_ids:
            return set()
        query = select(ListEntry.list_kind, ListEntry.source_record_id).where(
            ListEntry.source_record_id.in_(record_ids)
        )
        return {(kind, rid) for kind, rid in session.execute(query) if rid is not None}

    def queue(
        self,
        session: Session,
        request: PageRequest,
        status: ListStatus | None = None,
        list_kind: str | None = None,
    ) -> Page[ListEntry]:
        query = select(ListEntry)
        if status is not None:
            query = query.where(ListEntry.status == status)
        if list_kind is not None:
            query = query.where(ListEntry.list_kind == list_kind)
        return _page(session, query.order_by(ListEntry.id), request)

    def public_page(
        self, session: Session, list_kind: str, where: PublicFilter, request: PageRequest
    ) -> Page[tuple[ListEntry, Subject]]:
        query = (
            select(ListEntry, Subject)
            .join(Subject, Subject.id == ListEntry.subject_id)
            .where(ListEntry.list_kind == list_kind, ListEntry.status.in_(SHOWN))
        )
        if where.q:
            text = where.q.strip()
            pattern = f"%{text.lower().replace(' ', '')}%"
            query = query.where(
                or_(
                    Subject.name.contains(text, autoescape=True),
                    Subject.name_pinyin.like(pattern),
                    Subject.name_initials.like(pattern),
                    Subject.uscc == text.upper(),
                )
            )
        if where.region:
            query = query.where(Subject.region_code.startswith(where.region, autoescape=True))
        if where.subject_kind is not None:
            query = query.where(Subject.kind == where.subject_kind)
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(
            query.order_by(ListEntry.id.desc()).offset(request.offset).limit(request.size)
        )
        items = [(entry, subject) for entry, subject in rows]
        return Page(items, total, request.page, request.size)

    def shown_of_subject(
        self, session: Session, subject_id: int, kinds: Collection[str]
    ) -> list[ListEntry]:
        query = select(ListEntry).where(
            ListEntry.subject_id == subject_id,
            ListEntry.status.in_(SHOWN),
            ListEntry.list_kind.in_(kinds),
        )
        return list(session.scalars(query.order_by(ListEntry.id)))

    def due_effective(self, session: Session, today: date) -> list[ListEntry]:
        """Publicised entries whose publicity has ended before `today`."""
        query = select(ListEntry).where(
            ListEntry.status == ListStatus.PUBLICISED, ListEntry.publicity_until < today
        )
        return list(session.scalars(query.order_by(ListEntry.id)))

    def due_expiry(self, session: Session, today: date) -> list[ListEntry]:
        """Effective entries whose last valid day is before `today`."""
        query = select(ListEntry).where(
            ListEntry.status == ListStatus.EFFECTIVE, ListEntry.valid_until < today
        )
        return list(session.scalars(query.order_by(ListEntry.id)))

    def notices(self, session: Session, subject_id: int) -> list[Notice]:
        query = select(Notice).where(Notice.subject_id == subject_id)
        return list(session.scalars(query.order_by(Notice.id)))


def _page(session: Session, query: Select[ListEntry], request: PageRequest) -> Page[ListEntry]:
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.offset(request.offset).limit(request.size))
    return Page(list(rows), total, request.page, request.size)


list_entry_repository = ListEntryRepository()
